using Twine.Defer;

namespace Twine.Net;

/// <summary>
/// What a transport drives: the three events of a connection's life, after Twisted's <c>IProtocol</c>. Most code
/// derives from <see cref="Protocol"/> instead of implementing this directly.
/// </summary>
/// <example>
/// <code>
/// IProtocol p = factory.BuildProtocol(peerAddress)!;
/// p.MakeConnection(transport);          // connectionMade
/// p.DataReceived("hello"u8);            // bytes from the peer
/// p.ConnectionLost(Protocol.ConnectionDone);
/// </code>
/// </example>
public interface IProtocol
{
    /// <summary>Attaches the protocol to its transport and signals that the connection is made.</summary>
    void MakeConnection(ITransport transport);

    /// <summary>
    /// Bytes arrived from the peer. <paramref name="data"/> is only valid during the call (it usually points into the
    /// transport's read buffer): copy what must outlive it. Chunk boundaries carry no meaning.
    /// </summary>
    void DataReceived(ReadOnlySpan<byte> data);

    /// <summary>
    /// The connection is closed. <paramref name="reason"/> wraps a <see cref="ConnectionDoneException"/> for a clean
    /// close and a <see cref="ConnectionLostException"/> (or another error) otherwise.
    /// </summary>
    void ConnectionLost(Failure reason);
}
