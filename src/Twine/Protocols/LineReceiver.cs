using System.Text;
using Twine.Net;

namespace Twine.Protocols;

/// <summary>
/// A protocol that receives lines and, when switched to raw mode, raw data, after Twisted's <c>LineReceiver</c>
/// (LR1–LR7). It is byte-for-byte compatible with Twisted's: same delimiter, same limits, same mode-switching rules.
/// </summary>
/// <remarks>
/// <para><b>Lines are spans.</b> <see cref="LineReceived"/> gets a <see cref="ReadOnlySpan{T}"/> of bytes, without the
/// delimiter, pointing into the receive buffer: no allocation per line. It is valid only during the call; use
/// <c>line.ToArray()</c> or <c>Encoding.UTF8.GetString(line)</c> to keep it. <see cref="SendLine(string)"/> encodes
/// text as UTF-8.</para>
/// <para><b>Limits (LR2).</b> A line of exactly <see cref="MaxLength"/> bytes is delivered; a longer complete line, or
/// an unterminated buffer of <see cref="MaxLength"/> + delimiter length bytes or more, goes to
/// <see cref="LineLengthExceeded"/> together with the rest of the buffer, which by default closes the connection.</para>
/// <para><b>Stopping (LR3).</b> Twisted stops when <c>lineReceived</c> returns a true value; here the callback calls
/// <see cref="StopProcessing"/>. Processing also stops after a line if the transport is disconnecting. Lines not yet
/// delivered stay buffered.</para>
/// <para><b>Re-entrancy (LR4).</b> A <see cref="DataReceived"/> made while one is running only appends to the buffer,
/// so <see cref="SetRawMode"/>/<see cref="SetLineMode"/> from a callback apply to the rest of the same chunk, and any
/// number of switches run in a loop, never in nested calls.</para>
/// <para><b>Flow control (LR5).</b> The receiver is an <see cref="IPushProducer"/>: <see cref="PausableReceiver.PauseProducing"/> stops
/// delivery (and pauses the transport), <see cref="PausableReceiver.ResumeProducing"/> delivers what was buffered.</para>
/// </remarks>
/// <example>
/// <code>
/// sealed class Chat : LineReceiver
/// {
///     public override void ConnectionMade() => SendLine("What's your name?");
///     protected override void LineReceived(ReadOnlySpan&lt;byte&gt; line)
///     {
///         var name = Encoding.UTF8.GetString(line);
///         if (name == "upload") { SetRawMode(); return; }
///         SendLine($"Hello, {name}!");
///     }
///     protected override void RawDataReceived(ReadOnlySpan&lt;byte&gt; data) { /* store the upload */ }
/// }
/// </code>
/// </example>
public abstract class LineReceiver : PausableReceiver
{
    private readonly ReceiveBuffer _buffer = new();
    private readonly LineScanner _lines = new();
    private bool _lineMode = true;
    private bool _stopRequested;

    /// <summary>The line delimiter. Default <c>"\r\n"</c> (LR1).</summary>
    /// <exception cref="ArgumentException">Set to an empty value.</exception>
    public ReadOnlyMemory<byte> Delimiter
    {
        get => _lines.Delimiter;
        set => _lines.Delimiter = value;
    }

    /// <summary>The longest line delivered, in bytes, not counting the delimiter. Default 16384 (LR1, LR2).</summary>
    public int MaxLength { get; set; } = 16384;

    /// <summary>True in line mode (the default), false in raw mode.</summary>
    public bool LineMode => _lineMode;

    /// <summary>How many received bytes are buffered and not yet delivered.</summary>
    public int BufferedLength => _buffer.Length;

    /// <summary>
    /// Buffers <paramref name="data"/> and delivers each complete line (or, in raw mode, the whole buffer) in order
    /// (LR1, LR4). A call made from inside a callback only appends.
    /// </summary>
    public override void DataReceived(ReadOnlySpan<byte> data)
    {
        _buffer.Receive(data, this, static self => self.Deliver());
    }

    /// <summary>Called with each complete line, without its delimiter. The span is only valid during the call.</summary>
    protected abstract void LineReceived(ReadOnlySpan<byte> line);

    /// <summary>
    /// Called in raw mode with everything buffered, as one chunk. Override it to use <see cref="SetRawMode"/>; the
    /// default throws, as Twisted's does (LR7).
    /// </summary>
    /// <exception cref="InvalidOperationException">Raw mode was used without overriding this method.</exception>
    protected virtual void RawDataReceived(ReadOnlySpan<byte> data) =>
        throw new InvalidOperationException($"{GetType().Name} switched to raw mode but does not override RawDataReceived.");

    /// <summary>
    /// Called when a line is too long (LR2), with the rest of the buffer starting at that line (possibly several lines,
    /// or only the start of one). The buffer has already been cleared. The default closes the connection.
    /// </summary>
    protected virtual void LineLengthExceeded(ReadOnlySpan<byte> line) => TransportOrNull?.LoseConnection();

    /// <summary>
    /// Stops delivering after the current callback returns, leaving the remaining data buffered for the next
    /// <see cref="DataReceived"/> (Twisted's "return a true value", LR3).
    /// </summary>
    public void StopProcessing() => _stopRequested = true;

    /// <summary>Switches to raw mode: the rest of the buffer and later data go to <see cref="RawDataReceived"/> (LR4).</summary>
    public void SetRawMode() => _lineMode = false;

    /// <summary>
    /// Switches to line mode and parses <paramref name="extra"/> as if received (LR4): from <see cref="RawDataReceived"/>,
    /// pass back the bytes that belong to the line protocol. Do not pass extra data from <see cref="LineReceived"/>.
    /// </summary>
    public void SetLineMode(ReadOnlySpan<byte> extra = default)
    {
        _lineMode = true;
        _lines.Reset();
        if (!extra.IsEmpty) DataReceived(extra);
    }

    /// <summary>Returns the buffered, undelivered bytes and empties the buffer; allowed inside <see cref="LineReceived"/> (LR6).</summary>
    public byte[] ClearLineBuffer()
    {
        var bytes = _buffer.ToArray();
        _buffer.Clear();
        _lines.Reset();
        return bytes;
    }

    /// <summary>Sends <paramref name="line"/> followed by the delimiter, in a single write (LR7).</summary>
    public void SendLine(ReadOnlySpan<byte> line) => _lines.SendLine(Transport, line);

    /// <summary>Sends <paramref name="line"/> encoded as UTF-8, followed by the delimiter, in a single write.</summary>
    public void SendLine(string line) => _lines.SendLine(Transport, line);

    private void Deliver()
    {
        while (!_buffer.IsEmpty && !Paused)
        {
            var pending = _buffer.Span;
            _stopRequested = false;
            if (_lineMode)
            {
                var lineLength = _lines.FindLine(pending);
                if (lineLength < 0)
                {
                    // Twisted (22.4) tolerates up to MAX_LENGTH + len(delimiter) - 1 unterminated bytes, so that a line
                    // of exactly MAX_LENGTH whose delimiter is still arriving is not rejected.
                    if ((long)pending.Length >= (long)MaxLength + _lines.DelimiterLength)
                    {
                        _buffer.Clear();
                        _lines.Reset();
                        LineLengthExceeded(pending);
                    }
                    return;
                }

                if (lineLength > MaxLength)
                {
                    _buffer.Clear();
                    _lines.Reset();
                    LineLengthExceeded(pending);
                    return;
                }

                _buffer.Consume(lineLength + _lines.DelimiterLength);
                _lines.Reset();
                LineReceived(pending[..lineLength]);
                if (_stopRequested || TransportOrNull is { Disconnecting: true }) return;
            }
            else
            {
                _buffer.Clear();
                RawDataReceived(pending);
                if (_stopRequested) return;
            }
        }
    }
}
