using System.Buffers.Binary;

namespace Twine.Protocols.Amp;

/// <summary>
/// Reads boxes from a byte stream (AMP1, AMP2). A box that is whole in the data is copied out in one piece and read in
/// place (<see cref="AmpBox"/>'s wire form): one array per box, no string per key, no array per value. A box that
/// goes on past the data has its complete pairs moved into the parser's own buffer, so at most one partial pair
/// (under 64 KiB) is ever left for the caller to buffer, and a box arriving in many small reads costs linear time.
/// </summary>
internal sealed class AmpBoxParser
{
    private int _maxBoxLength;
    private byte[]? _partial;       // the complete pairs of a box begun in an earlier read
    private int _partialLength;
    private int _partialPairs;

    /// <param name="maxBoxLength">The largest box accepted, in serialized bytes; a longer one is an error.</param>
    public AmpBoxParser(int maxBoxLength) => _maxBoxLength = maxBoxLength;

    /// <summary>The largest box accepted, in serialized bytes.</summary>
    public int MaxBoxLength
    {
        get => _maxBoxLength;
        set => _maxBoxLength = value >= 2 ? value : throw new ArgumentOutOfRangeException(nameof(value), "A box takes at least 2 bytes.");
    }

    /// <summary>Whether part of a box has been read and the rest is still to come.</summary>
    public bool InsideBox => _partialLength > 0;

    /// <summary>
    /// Reads complete pairs from <paramref name="data"/> until a box ends or the data runs out. Returns how many bytes
    /// were used; <paramref name="box"/> is the finished box, or null when more data is needed (the unused bytes are
    /// the start of a pair: give them again, with more, next time).
    /// </summary>
    /// <exception cref="AmpTooLongException">A key length above 255 (AMP2).</exception>
    /// <exception cref="AmpProtocolException">The box grew past the size limit.</exception>
    public int Parse(ReadOnlySpan<byte> data, out AmpBox? box)
    {
        var at = 0;
        var pairs = 0;
        while (true)
        {
            var rest = data[at..];
            if (rest.Length < 2) break;
            int keyLength = BinaryPrimitives.ReadUInt16BigEndian(rest);
            if (keyLength == 0)
            {
                box = Finish(data[..at], pairs);
                return at + 2;
            }
            // Checked as soon as the prefix is here, before waiting for a key that may never fit.
            if (keyLength > AmpBox.MaxKeyLength) throw new AmpTooLongException(isKey: true, isLocal: false, keyLength, keyName: null);
            if (rest.Length < 2 + keyLength + 2) break;
            int valueLength = BinaryPrimitives.ReadUInt16BigEndian(rest[(2 + keyLength)..]);
            var pairLength = 4 + keyLength + valueLength;
            if ((long)_partialLength + at + pairLength + 2 > _maxBoxLength)
                throw new AmpProtocolException($"An AMP box grew past the limit of {_maxBoxLength} bytes.");
            if (rest.Length < pairLength) break;
            at += pairLength;
            pairs++;
        }
        // The box goes on past this data: keep its complete pairs and give back only the partial one.
        if (at > 0) Keep(data[..at], pairs);
        box = null;
        return at;
    }

    private AmpBox Finish(ReadOnlySpan<byte> pairs, int count)
    {
        if (_partial is null) return AmpBox.FromWire(pairs.ToArray(), pairs.Length, count);
        Keep(pairs, count);
        // The box takes the buffer as it is (its spare capacity is at most what the last doubling added).
        var box = AmpBox.FromWire(_partial, _partialLength, _partialPairs);
        _partial = null;
        _partialLength = _partialPairs = 0;
        return box;
    }

    private void Keep(ReadOnlySpan<byte> pairs, int count)
    {
        if (pairs.IsEmpty) return;
        var needed = _partialLength + pairs.Length;
        if (_partial is null || _partial.Length < needed)
        {
            var grown = new byte[Math.Max(needed, Math.Max(256, Math.Min(2L * (_partial?.Length ?? 0), Array.MaxLength)))];
            _partial?.AsSpan(0, _partialLength).CopyTo(grown);
            _partial = grown;
        }
        pairs.CopyTo(_partial.AsSpan(_partialLength));
        _partialLength = needed;
        _partialPairs += count;
    }
}
