namespace Twine.Net;

/// <summary>
/// A transport over a real stream socket (TCP or Unix): an <see cref="ITransport"/> whose write buffer and flow-control
/// marks can be inspected and tuned.
/// </summary>
/// <remarks>
/// <para>Writes are buffered and sent once per reactor iteration. A registered streaming producer is paused when
/// <see cref="BufferedBytes"/> rises above <see cref="HighWaterMark"/>, and resumed when it falls to
/// <see cref="LowWaterMark"/>; a non-streaming producer is asked for more each time the buffer empties. So a fast
/// writer to a slow reader holds at most about the high-water mark plus one write in memory.</para>
/// </remarks>
/// <example>
/// <code>
/// protected override void ConnectionMade()
/// {
///     if (Transport is ISocketTransport socket) socket.HighWaterMark = 256 * 1024;   // a bulk-transfer protocol
/// }
/// </code>
/// </example>
public interface ISocketTransport : ITransport
{
    /// <summary>Bytes written and not yet accepted by the kernel.</summary>
    long BufferedBytes { get; }

    /// <summary>A streaming producer is paused when more than this many bytes are buffered. Default 64 KiB.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Less than <see cref="LowWaterMark"/>.</exception>
    int HighWaterMark { get; set; }

    /// <summary>A paused streaming producer is resumed when the buffer drains to this many bytes. Default 16 KiB.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative, or more than <see cref="HighWaterMark"/>.</exception>
    int LowWaterMark { get; set; }
}
