using Twine.Net;

namespace Twine.Protocols;

/// <summary>
/// Writes back whatever arrives (Twisted's <c>twisted.protocols.wire.Echo</c>), with memory bounded per client: a
/// peer that sends without reading is slowed to its own reading pace. Past <see cref="WriteBufferLimit"/> unsent
/// bytes the socket transport stops reading from it until most of its echo has gone out.
/// </summary>
/// <example>
/// <code>
/// reactor.ListenTcp(7, Factory.ForProtocol&lt;Echo&gt;());
/// </code>
/// </example>
public sealed class Echo : Protocol
{
    /// <summary>Unsent bytes a peer may have waiting before reading from it pauses.</summary>
    public const long WriteBufferLimit = 256 * 1024;

    /// <inheritdoc />
    public override void ConnectionMade()
    {
        if (Transport is ISocketTransport socket)
        {
            socket.WriteBufferLimit = WriteBufferLimit;
            socket.WriteBufferPolicy = WriteBufferPolicy.PauseReading;
        }
    }

    /// <inheritdoc />
    public override void DataReceived(ReadOnlySpan<byte> data) => Transport.Write(data);
}
