using Twine.Net;

namespace EchoServer;

/// <summary>Twisted's classic echo protocol: whatever arrives is written straight back, bytes untouched.</summary>
/// <remarks>
/// An echo server's output is caused by its input, so a client that sends without reading must be slowed down, not
/// buffered for: past <see cref="WriteBufferLimit"/> unsent bytes the transport stops reading from that client until
/// it has read most of its echo (<see cref="WriteBufferPolicy.PauseReading"/>). Memory per client stays bounded.
/// </remarks>
public sealed class Echo : Protocol
{
    /// <summary>Unsent bytes a client may have waiting before the server stops reading from it.</summary>
    public const long WriteBufferLimit = 256 * 1024;

    public override void ConnectionMade()
    {
        if (Transport is ISocketTransport socket)
        {
            socket.WriteBufferLimit = WriteBufferLimit;
            socket.WriteBufferPolicy = WriteBufferPolicy.PauseReading;
        }
    }

    public override void DataReceived(ReadOnlySpan<byte> data) => Transport.Write(data);
}
