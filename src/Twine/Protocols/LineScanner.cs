using Twine.Net;

namespace Twine.Protocols;

/// <summary>
/// The line rules <see cref="LineReceiver"/> and <see cref="LineOnlyReceiver"/> share (LR1, LO1): the delimiter, where
/// the next complete line ends, and sending a line with its delimiter. Each receiver keeps its own buffer and its own
/// policy for long lines and stopping, which is where the two differ.
/// </summary>
/// <remarks>
/// The scanner remembers how many bytes at the front of the buffer are known not to start a delimiter, so a long line
/// arriving in many small chunks is scanned once, not once per chunk. Whoever consumes or clears the buffer calls
/// <see cref="Reset"/>.
/// </remarks>
internal sealed class LineScanner
{
    private byte[] _delimiter = "\r\n"u8.ToArray();
    private int _scanned;

    /// <summary>The line delimiter. Default <c>"\r\n"</c>.</summary>
    /// <exception cref="ArgumentException">Set to an empty value.</exception>
    public ReadOnlyMemory<byte> Delimiter
    {
        get => _delimiter;
        set
        {
            if (value.IsEmpty) throw new ArgumentException("The delimiter must not be empty.", nameof(value));
            _delimiter = value.ToArray();
            _scanned = 0;
        }
    }

    /// <summary>The delimiter's length in bytes.</summary>
    public int DelimiterLength => _delimiter.Length;

    /// <summary>
    /// The length of the first complete line in <paramref name="pending"/> (the bytes before its delimiter), or -1 when
    /// there is none yet; then it remembers how far there can be no delimiter.
    /// </summary>
    public int FindLine(ReadOnlySpan<byte> pending)
    {
        var from = Math.Min(_scanned, pending.Length);
        var found = pending[from..].IndexOf(_delimiter);
        if (found >= 0) return from + found;
        _scanned = Math.Max(0, pending.Length - _delimiter.Length + 1);
        return -1;
    }

    /// <summary>Forgets how far it looked: the buffer's front changed.</summary>
    public void Reset() => _scanned = 0;

    /// <summary>Writes <paramref name="line"/> and the delimiter in one write.</summary>
    public void SendLine(ITransport transport, ReadOnlySpan<byte> line) => FramedWrite.WithSuffix(transport, line, _delimiter);

    /// <summary>Writes <paramref name="line"/> as UTF-8 and the delimiter in one write.</summary>
    public void SendLine(ITransport transport, string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        FramedWrite.TextWithSuffix(transport, line, _delimiter);
    }
}
