using System.Net;

namespace Twine.Net;

/// <summary>
/// One end of a connection as a protocol sees it, after Twisted's <c>ITransport</c>/<c>ITCPTransport</c>: write bytes,
/// close (cleanly, half-way, or at once), learn the addresses, and apply flow control in both directions.
/// </summary>
/// <remarks>
/// <para>A transport is an <see cref="IConsumer"/> of the bytes the protocol writes (register a producer to be paused
/// when the send buffer is full) and an <see cref="IPushProducer"/> of the bytes it reads: <see cref="IPushProducer.PauseProducing"/>
/// stops reading from the peer, <see cref="IPushProducer.ResumeProducing"/> starts again, and
/// <see cref="IProducer.StopProducing"/> closes the connection.</para>
/// <para>Transports are used from the reactor thread only.</para>
/// <para><see cref="IAsyncDisposable.DisposeAsync"/> is <see cref="LoseConnection"/> (buffered bytes are still sent),
/// completing once the connection is lost and the protocol's <c>ConnectionLost</c> has run, so
/// <c>await using</c> or <c>await transport.DisposeAsync()</c> knows the connection is gone.</para>
/// </remarks>
/// <example>
/// <code>
/// sealed class Echo : Protocol
/// {
///     public override void DataReceived(ReadOnlySpan&lt;byte&gt; data) => Transport.Write(data);
/// }
///
/// sealed class Hello : Protocol
/// {
///     public override void ConnectionMade()
///     {
///         Transport.Write("hello, "u8);
///         Transport.WriteSequence(["world"u8.ToArray(), "\r\n"u8.ToArray()]);
///         Transport.LoseConnection();     // after the buffered bytes are sent
///     }
/// }
/// </code>
/// </example>
public interface ITransport : IConsumer, IPushProducer, IAsyncDisposable
{
    /// <summary>Queues each buffer in order, as if each were passed to <see cref="IConsumer.Write"/>.</summary>
    void WriteSequence(IEnumerable<ReadOnlyMemory<byte>> data);

    /// <summary>
    /// Closes the connection once everything written so far has been sent. The protocol's
    /// <see cref="IProtocol.ConnectionLost"/> is called with a <see cref="ConnectionDoneException"/> when it is closed.
    /// Sets <see cref="Disconnecting"/> at once.
    /// </summary>
    void LoseConnection();

    /// <summary>
    /// Half-closes the connection: sends the buffered data, then shuts down the sending direction only (TCP FIN), so
    /// the peer sees end-of-stream while this side can still read. A protocol that implements
    /// <see cref="IHalfCloseableProtocol"/> is told through <see cref="IHalfCloseableProtocol.WriteConnectionLost"/>.
    /// </summary>
    void LoseWriteConnection();

    /// <summary>
    /// Closes the connection at once, discarding buffered data. <see cref="IProtocol.ConnectionLost"/> is called with a
    /// <see cref="ConnectionAbortedException"/>.
    /// </summary>
    void AbortConnection();

    /// <summary>The address of the other end.</summary>
    EndPoint Peer { get; }

    /// <summary>The address of this end.</summary>
    EndPoint Host { get; }

    /// <summary>True once <see cref="LoseConnection"/> (or <see cref="AbortConnection"/>) has been called.</summary>
    bool Disconnecting { get; }
}
