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
/// <para>Protocols that write without a producer (an echo server, a chat broadcast) bound their memory with
/// <see cref="WriteBufferLimit"/>: past it the transport stops reading from the peer, or drops it
/// (<see cref="WriteBufferPolicy"/>).</para>
/// </remarks>
/// <example>
/// <code>
/// public override void ConnectionMade()
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

    /// <summary>
    /// The most bytes that may wait to be sent before <see cref="WriteBufferPolicy"/> applies. Default: no limit
    /// (<see cref="long.MaxValue"/>), as in Twisted, where a protocol that writes without a producer buffers all it writes.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Less than <see cref="HighWaterMark"/>.</exception>
    long WriteBufferLimit { get; set; }

    /// <summary>What happens when more than <see cref="WriteBufferLimit"/> bytes wait. Default <see cref="Net.WriteBufferPolicy.PauseReading"/>.</summary>
    WriteBufferPolicy WriteBufferPolicy { get; set; }
}
