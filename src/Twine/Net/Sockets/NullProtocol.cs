using Twine.Defer;

namespace Twine.Net.Sockets;

/// <summary>
/// Stands in where a factory built no protocol for an outgoing connection: the connection is closed at once, and
/// something must still receive its events (Twisted does the same with a bare <c>Protocol()</c>).
/// </summary>
internal sealed class NullProtocol : IProtocol
{
    public static NullProtocol Instance { get; } = new();

    public void MakeConnection(ITransport transport) { }

    public void DataReceived(ReadOnlySpan<byte> data) { }

    public void ConnectionLost(Failure reason) { }
}
