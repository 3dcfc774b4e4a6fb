using Twine.Net;

namespace Twine.Protocols;

/// <summary>
/// A faster, simpler line protocol for when raw mode and pausing are not needed, after Twisted's
/// <c>LineOnlyReceiver</c> (LO1).
/// </summary>
/// <remarks>
/// <para>Differences from <see cref="LineReceiver"/>, all as in Twisted: a complete line longer than
/// <see cref="MaxLength"/> goes to <see cref="LineLengthExceeded"/> on its own (not with the rest of the buffer), and
/// the unterminated remainder is rejected as soon as it is longer than <see cref="MaxLength"/> (LineReceiver allows
/// the length of the delimiter more). After either, and when the transport starts disconnecting, the other complete
/// lines of that chunk are dropped.</para>
/// <para>Lines are spans into the receive buffer, valid only during <see cref="LineReceived"/>. A
/// <see cref="DataReceived"/> made from inside <see cref="LineReceived"/> is appended and parsed after the current
/// chunk, never in a nested call.</para>
/// </remarks>
/// <example>
/// <code>
/// sealed class Commands : LineOnlyReceiver
/// {
///     protected override void LineReceived(ReadOnlySpan&lt;byte&gt; line)
///     {
///         if (line.SequenceEqual("QUIT"u8)) Transport.LoseConnection();
///         else SendLine("OK");
///     }
/// }
/// </code>
/// </example>
public abstract class LineOnlyReceiver : Protocol
{
    private readonly ReceiveBuffer _buffer = new();
    private readonly LineScanner _lines = new();

    /// <summary>The line delimiter. Default <c>"\r\n"</c>.</summary>
    /// <exception cref="ArgumentException">Set to an empty value.</exception>
    public ReadOnlyMemory<byte> Delimiter
    {
        get => _lines.Delimiter;
        set => _lines.Delimiter = value;
    }

    /// <summary>The longest line delivered, in bytes, not counting the delimiter. Default 16384.</summary>
    public int MaxLength { get; set; } = 16384;

    /// <summary>How many received bytes are buffered and not yet delivered.</summary>
    public int BufferedLength => _buffer.Length;

    /// <summary>Delivers each complete line in the buffer plus <paramref name="data"/> (LO1).</summary>
    public override void DataReceived(ReadOnlySpan<byte> data)
    {
        _buffer.Receive(data, this, static self => self.Deliver());
    }

    /// <summary>Called with each complete line, without its delimiter. The span is only valid during the call.</summary>
    protected abstract void LineReceived(ReadOnlySpan<byte> line);

    /// <summary>
    /// Called with a complete line longer than <see cref="MaxLength"/>, or with the unterminated remainder once it is
    /// longer than <see cref="MaxLength"/>. The default closes the connection.
    /// </summary>
    protected virtual void LineLengthExceeded(ReadOnlySpan<byte> line) => TransportOrNull?.LoseConnection();

    /// <summary>Sends <paramref name="line"/> followed by the delimiter.</summary>
    public void SendLine(ReadOnlySpan<byte> line) => _lines.SendLine(Transport, line);

    /// <summary>Sends <paramref name="line"/> encoded as UTF-8, followed by the delimiter.</summary>
    public void SendLine(string line) => _lines.SendLine(Transport, line);

    private void Deliver()
    {
        while (true)
        {
            var pending = _buffer.Span;
            var lineLength = _lines.FindLine(pending);
            if (lineLength < 0)
            {
                if (pending.Length > MaxLength) LineLengthExceeded(pending);
                return;
            }

            if (TransportOrNull is { Disconnecting: true })
            {
                // Twisted splits the whole chunk first and returns at the first line after a close was requested,
                // keeping only the unterminated tail: drop the complete lines the same way.
                DropCompleteLines();
                return;
            }

            _buffer.Consume(lineLength + _lines.DelimiterLength);
            _lines.Reset();
            if (lineLength > MaxLength)
            {
                DropCompleteLines();
                LineLengthExceeded(pending[..lineLength]);
                return;
            }
            LineReceived(pending[..lineLength]);
        }
    }

    private void DropCompleteLines()
    {
        var last = _buffer.Span.LastIndexOf(_lines.Delimiter.Span);
        if (last >= 0) _buffer.Consume(last + _lines.DelimiterLength);
        _lines.Reset();
    }
}
