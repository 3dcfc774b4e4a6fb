namespace Twine.Web.Server;

/// <summary>
/// A connection's unparsed input. While a parse holds a span into it (<see cref="Hold"/>), bytes are never moved, so an
/// append during the parse (re-entrant input) can only grow into a fresh array.
/// </summary>
internal sealed class InputBuffer
{
    // An emptied buffer larger than this is dropped so idle connections do not pin big arrays.
    private const int RetainedCapacity = 16 * 1024;

    private byte[] _array = [];
    private int _start;
    private int _end;
    private int _holds;

    public bool IsEmpty => _start == _end;

    public int Length => _end - _start;

    public ReadOnlySpan<byte> Span => _array.AsSpan(_start, _end - _start);

    public void Hold() => _holds++;

    public void Release()
    {
        _holds--;
        if (_holds == 0 && _start == _end) Reset();
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return;
        if (_array.Length - _end < data.Length)
        {
            int length = Length;
            if (_holds == 0 && _array.Length - length >= data.Length && _start >= length)
            {
                Buffer.BlockCopy(_array, _start, _array, 0, length);
            }
            else
            {
                var grown = new byte[Math.Max(1024, Math.Max(length + data.Length, _array.Length * 2))];
                Buffer.BlockCopy(_array, _start, grown, 0, length);
                _array = grown;
            }
            _start = 0;
            _end = length;
        }
        data.CopyTo(_array.AsSpan(_end));
        _end += data.Length;
    }

    public void Consume(int count)
    {
        if ((uint)count > (uint)Length) throw new ArgumentOutOfRangeException(nameof(count));
        _start += count;
        if (_start == _end && _holds == 0) Reset();
    }

    public void Clear()
    {
        _start = _end;
        if (_holds == 0) Reset();
    }

    private void Reset()
    {
        _start = _end = 0;
        if (_array.Length > RetainedCapacity) _array = [];
    }
}
