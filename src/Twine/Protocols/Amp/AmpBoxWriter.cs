using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Twine.Net;

namespace Twine.Protocols.Amp;

/// <summary>
/// Writes one box straight into a pooled buffer and hands it to the transport in one write, with no
/// <see cref="AmpBox"/> and no array per value: the path of requests and answers whose schema is made of built-in
/// types. Pairs are added in any order and leave sorted bytewise by key, as <see cref="AmpBox.Serialize"/> and
/// Twisted write them, so both paths give the same bytes. Keys must be distinct and valid (the schema checked them).
/// </summary>
internal ref struct AmpBoxWriter
{
    /// <summary>The most pairs a writer takes: a schema's fields (at most 12) plus the reserved keys.</summary>
    public const int MaxPairs = 32;

    private readonly Span<int> _starts;     // where each pair begins in _buffer, in the order added
    private byte[] _buffer;
    private int _length;
    private int _count;
    private int _valueAt = -1;                 // while a value is being written by Begin/End

    /// <param name="starts">Room for <see cref="MaxPairs"/> pair offsets (stackalloc'd by the caller).</param>
    public AmpBoxWriter(Span<int> starts)
    {
        _starts = starts;
        _buffer = ArrayPool<byte>.Shared.Rent(256);
    }

    /// <summary>Adds a pair whose value is already in bytes.</summary>
    public void Add(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        var destination = Begin(key, value.Length);
        value.CopyTo(destination);
        End(value.Length);
    }

    /// <summary>Starts a pair and returns room for a value of up to <paramref name="maxLength"/> bytes; <see cref="End"/> says how many were written.</summary>
    public Span<byte> Begin(ReadOnlySpan<byte> key, int maxLength)
    {
        if (_count == _starts.Length) throw new InvalidOperationException($"An AMP box written directly takes at most {MaxPairs} pairs.");
        Ensure(4 + key.Length + maxLength);
        _starts[_count] = _length;
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(_length), (ushort)key.Length);
        key.CopyTo(_buffer.AsSpan(_length + 2));
        _valueAt = _length + 2 + key.Length + 2;
        return _buffer.AsSpan(_valueAt, maxLength);
    }

    /// <summary>Completes the pair <see cref="Begin"/> started, with the first <paramref name="written"/> bytes of its room.</summary>
    /// <exception cref="AmpTooLongException">The value is longer than 65535 bytes (AMP2).</exception>
    public void End(int written)
    {
        var keyAt = _starts[_count];
        if (written > AmpBox.MaxValueLength)
        {
            var key = _buffer.AsSpan(keyAt + 2, BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(keyAt)));
            throw new AmpTooLongException(isKey: false, isLocal: true, written, Encoding.Latin1.GetString(key));
        }
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(_valueAt - 2), (ushort)written);
        _length = _valueAt + written;
        _valueAt = -1;
        _count++;
    }

    /// <summary>Ends the box and writes it to <paramref name="transport"/> in one call.</summary>
    public void SendTo(ITransport transport)
    {
        Ensure(2);
        _buffer[_length] = 0;
        _buffer[_length + 1] = 0;
        var pairs = _starts[.._count];
        if (IsSorted(pairs))
        {
            transport.Write(_buffer.AsSpan(0, _length + 2));
            return;
        }
        Sort(pairs);
        var sorted = ArrayPool<byte>.Shared.Rent(_length + 2);
        try
        {
            var at = 0;
            foreach (var start in pairs)
            {
                var pair = Pair(start);
                pair.CopyTo(sorted.AsSpan(at));
                at += pair.Length;
            }
            sorted[at++] = 0;
            sorted[at++] = 0;
            transport.Write(sorted.AsSpan(0, at));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(sorted);
        }
    }

    /// <summary>Gives the buffer back to the pool.</summary>
    public void Dispose()
    {
        if (_buffer.Length == 0) return;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private readonly ReadOnlySpan<byte> Key(int start) =>
        _buffer.AsSpan(start + 2, BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(start)));

    private readonly ReadOnlySpan<byte> Pair(int start)
    {
        int keyLength = BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(start));
        int valueLength = BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(start + 2 + keyLength));
        return _buffer.AsSpan(start, 4 + keyLength + valueLength);
    }

    private readonly bool IsSorted(ReadOnlySpan<int> pairs)
    {
        for (var i = 1; i < pairs.Length; i++)
            if (Key(pairs[i - 1]).SequenceCompareTo(Key(pairs[i])) > 0) return false;
        return true;
    }

    /// <summary>Insertion sort of the pair offsets by key: a handful of pairs, no allocation, no comparer delegate.</summary>
    private readonly void Sort(Span<int> pairs)
    {
        for (var i = 1; i < pairs.Length; i++)
        {
            var current = pairs[i];
            var j = i - 1;
            for (; j >= 0 && Key(pairs[j]).SequenceCompareTo(Key(current)) > 0; j--) pairs[j + 1] = pairs[j];
            pairs[j + 1] = current;
        }
    }

    private void Ensure(int extra)
    {
        var needed = (long)_length + extra;
        if (needed <= _buffer.Length) return;
        if (needed > Array.MaxLength) throw new AmpTooLongException(isKey: false, isLocal: true, extra, keyName: null);
        var grown = ArrayPool<byte>.Shared.Rent((int)Math.Max(needed, Math.Min(2L * _buffer.Length, Array.MaxLength)));
        _buffer.AsSpan(0, _length).CopyTo(grown);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = grown;
    }
}
