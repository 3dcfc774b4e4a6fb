using System.Buffers.Binary;
using System.Text;

namespace Twine.Protocols.Amp;

/// <summary>
/// Reads boxes from a byte stream one pair at a time (AMP1, AMP2). Each complete key/value pair is copied out as soon
/// as it has arrived, so at most one partial pair (under 64 KiB) is ever left for the caller to buffer, and a box
/// arriving in many small reads costs linear time.
/// </summary>
internal sealed class AmpBoxParser
{
    private int _maxBoxLength;
    private AmpBox? _box;
    private readonly string?[] _recentKeys = new string?[16];
    private long _boxLength;

    /// <param name="maxBoxLength">The largest box accepted, in serialized bytes; a longer one is an error.</param>
    public AmpBoxParser(int maxBoxLength) => _maxBoxLength = maxBoxLength;

    /// <summary>The largest box accepted, in serialized bytes.</summary>
    public int MaxBoxLength
    {
        get => _maxBoxLength;
        set => _maxBoxLength = value >= 2 ? value : throw new ArgumentOutOfRangeException(nameof(value), "A box takes at least 2 bytes.");
    }

    /// <summary>Whether part of a box has been read and the rest is still to come.</summary>
    public bool InsideBox => _box is not null;

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
        while (true)
        {
            var rest = data[at..];
            if (rest.Length < 2) break;
            int keyLength = BinaryPrimitives.ReadUInt16BigEndian(rest);
            if (keyLength == 0)
            {
                at += 2;
                box = _box ?? new AmpBox();
                _box = null;
                _boxLength = 0;
                return at;
            }
            // Checked as soon as the prefix is here, before waiting for a key that may never fit.
            if (keyLength > AmpBox.MaxKeyLength) throw new AmpTooLongException(isKey: true, isLocal: false, keyLength, keyName: null);
            if (rest.Length < 2 + keyLength + 2) break;
            int valueLength = BinaryPrimitives.ReadUInt16BigEndian(rest[(2 + keyLength)..]);
            var pairLength = 4 + keyLength + valueLength;
            if (_boxLength + pairLength + 2 > _maxBoxLength)
                throw new AmpProtocolException($"An AMP box grew past the limit of {_maxBoxLength} bytes.");
            if (rest.Length < pairLength) break;
            var key = KeyOf(rest.Slice(2, keyLength));
            (_box ??= new AmpBox()).AddParsed(key, rest.Slice(4 + keyLength, valueLength).ToArray());
            _boxLength += pairLength;
            at += pairLength;
        }
        box = null;
        return at;
    }

    /// <summary>
    /// The key as a string. The reserved keys are shared instances, and the argument names a connection keeps
    /// receiving come from a small cache instead of a new string per box.
    /// </summary>
    private string KeyOf(ReadOnlySpan<byte> key) => key.Length switch
    {
        4 when key.SequenceEqual("_ask"u8) => AmpKeys.Ask,
        6 when key.SequenceEqual("_error"u8) => AmpKeys.Error,
        7 when key.SequenceEqual("_answer"u8) => AmpKeys.Answer,
        8 when key.SequenceEqual("_command"u8) => AmpKeys.Command,
        11 when key.SequenceEqual("_error_code"u8) => AmpKeys.ErrorCode,
        18 when key.SequenceEqual("_error_description"u8) => AmpKeys.ErrorDescription,
        _ => CachedKey(key),
    };

    private string CachedKey(ReadOnlySpan<byte> key)
    {
        // A direct-mapped cache on (length, first byte, last byte): cheap to probe, and a miss just costs the string.
        var slot = (key.Length * 31 + key[0] * 7 + key[^1]) & (_recentKeys.Length - 1);
        if (_recentKeys[slot] is { } cached && Latin1Equals(cached, key)) return cached;
        var fresh = Encoding.Latin1.GetString(key);
        _recentKeys[slot] = fresh;
        return fresh;
    }

    private static bool Latin1Equals(string text, ReadOnlySpan<byte> bytes)
    {
        if (text.Length != bytes.Length) return false;
        for (var i = 0; i < bytes.Length; i++)
            if (text[i] != bytes[i]) return false;
        return true;
    }
}
