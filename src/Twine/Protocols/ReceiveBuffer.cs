namespace Twine.Protocols;

/// <summary>
/// The growable byte buffer the framing protocols parse from: appends go at the end, parsed bytes are consumed from
/// the front by moving an offset, so many small chunks cost O(total) copying, not O(n²).
/// </summary>
/// <remarks>
/// While a parser delivers spans that point into the buffer (between <see cref="Hold"/> and <see cref="Release"/>), the
/// bytes before the write position are never moved or overwritten: a callback may append (re-entrant
/// <c>DataReceived</c>), clear, or replace the buffer while still reading the span it was given. Growing then
/// allocates a fresh array and leaves the old one to the span's owner.
/// </remarks>
internal sealed class ReceiveBuffer
{
    // Past this, an emptied buffer gives its array back instead of keeping a large one alive per connection.
    private const int RetainedCapacity = 64 * 1024;
    private const int MinimumCapacity = 256;

    private byte[] _array = [];
    private int _start;
    private int _end;
    private int _holds;
    private bool _delivering;

    public int Length => _end - _start;

    public bool IsEmpty => _end == _start;

    /// <summary>The size of the backing array (for tests of the memory policy).</summary>
    internal int Capacity => _array.Length;

    /// <summary>The unconsumed bytes. Valid until the next mutation unless the buffer is held.</summary>
    public ReadOnlySpan<byte> Span => new(_array, _start, _end - _start);

    public void Append(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return;
        // A parser callback handing back the tail of what it was just given (SetLineMode(rest) from raw mode) gets it
        // back without a copy: while held those bytes are intact, so moving the read offset back restores them. This
        // keeps "switch mode and return the rest" linear instead of re-copying the remainder on every switch.
        if (_holds > 0 && _start == _end
            && _array.AsSpan(0, _end).Overlaps(data, out var offset)
            && offset >= 0 && offset + data.Length == _end)
        {
            _start = offset;
            return;
        }
        if (_array.Length - _end < data.Length) MakeRoom(data.Length);
        data.CopyTo(_array.AsSpan(_end));
        _end += data.Length;
    }

    public void Consume(int count)
    {
        if ((uint)count > (uint)Length) throw new ArgumentOutOfRangeException(nameof(count));
        _start += count;
        if (_start == _end) Reset();
    }

    public void Clear()
    {
        _start = _end;
        Reset();
    }

    public byte[] ToArray() => Span.ToArray();

    /// <summary>
    /// Appends <paramref name="data"/> and, unless a delivery is already running, runs <paramref name="deliver"/> with
    /// the buffer held. A callback that feeds more data (re-entrant <c>DataReceived</c>) therefore only appends, and
    /// the running delivery picks it up: thousands of mode switches on one chunk never recurse (LR4).
    /// </summary>
    public void Receive<TParser>(ReadOnlySpan<byte> data, TParser parser, Action<TParser> deliver)
    {
        Append(data);
        if (_delivering) return;
        _delivering = true;
        Hold();
        try
        {
            deliver(parser);
        }
        finally
        {
            _delivering = false;
            Release();
        }
    }

    /// <summary>Spans handed out from here on must stay valid until the matching <see cref="Release"/>.</summary>
    public void Hold() => _holds++;

    public void Release()
    {
        _holds--;
        if (_start == _end) Reset();
    }

    private void Reset()
    {
        // While held, someone may still be reading the bytes before _end: only forget them later.
        if (_holds > 0) return;
        _start = _end = 0;
        if (_array.Length > RetainedCapacity) _array = [];
    }

    private void MakeRoom(int extra)
    {
        var length = Length;
        var needed = (long)length + extra;
        if (needed > Array.MaxLength) throw new OutOfMemoryException("Receive buffer would exceed the maximum array size.");

        // Slide the live bytes to the front only when the consumed prefix is at least as large as what we copy, so
        // the copying is paid for by consumed bytes and stays linear overall.
        if (_holds == 0 && needed <= _array.Length && _start >= length)
        {
            Buffer.BlockCopy(_array, _start, _array, 0, length);
            _start = 0;
            _end = length;
            return;
        }

        var capacity = Math.Max(MinimumCapacity, Math.Max(needed, Math.Min((long)_array.Length * 2, Array.MaxLength)));
        var grown = new byte[capacity];
        Buffer.BlockCopy(_array, _start, grown, 0, length);
        _array = grown;
        _start = 0;
        _end = length;
    }
}
