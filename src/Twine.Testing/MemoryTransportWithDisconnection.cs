using Twine.Defer;
using Twine.Net;

namespace Twine.Testing;

/// <summary>
/// A <see cref="MemoryTransport"/> that delivers the disconnection: <see cref="LoseConnection"/> calls the protocol's
/// <see cref="IProtocol.ConnectionLost"/> with <see cref="ConnectionDoneException"/>("Bye."), once (ST4). Twisted's
/// <c>StringTransportWithDisconnection</c>.
/// </summary>
/// <remarks>
/// Unlike Twisted's, it also sets <see cref="MemoryTransport.Disconnecting"/>, so protocols that stop parsing once
/// the transport is disconnecting behave as they would on a real one; and <see cref="AbortConnection"/> delivers
/// <see cref="ConnectionAbortedException"/> rather than a clean close.
/// </remarks>
/// <example>
/// <code>
/// var transport = new MemoryTransportWithDisconnection();
/// var protocol = new MyProtocol();
/// transport.Protocol = protocol;
/// protocol.MakeConnection(transport);
/// transport.LoseConnection();      // protocol.ConnectionLost(ConnectionDone("Bye.")) has run
/// </code>
/// </example>
public class MemoryTransportWithDisconnection : MemoryTransport
{
    /// <summary>Creates the transport; set <see cref="Protocol"/> before closing it.</summary>
    public MemoryTransportWithDisconnection(System.Net.EndPoint? host = null, System.Net.EndPoint? peer = null, bool lenient = false)
        : base(host, peer, lenient) { }

    /// <summary>The protocol to tell about the disconnection.</summary>
    public IProtocol? Protocol { get; set; }

    /// <summary>Sets <see cref="MemoryTransport.Disconnecting"/> and, the first time, delivers <c>ConnectionLost(ConnectionDone("Bye."))</c> (ST4).</summary>
    public override void LoseConnection()
    {
        Disconnecting = true;
        Disconnect(new ConnectionDoneException("Bye."));
    }

    /// <summary>Sets the flags and, the first time, delivers <c>ConnectionLost(ConnectionAborted)</c>.</summary>
    public override void AbortConnection()
    {
        Disconnected = true;
        Disconnecting = true;
        Disconnect(new ConnectionAbortedException());
    }

    private void Disconnect(Exception reason)
    {
        if (!Connected) return;
        Connected = false;
        Protocol?.ConnectionLost(new Failure(reason));
    }
}
