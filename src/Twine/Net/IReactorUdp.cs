namespace Twine.Net;

/// <summary>A reactor that sends and receives UDP datagrams (Twisted's <c>IReactorUDP</c>).</summary>
/// <example>
/// <code>
/// sealed class Echo : DatagramProtocol
/// {
///     public override void DatagramReceived(ReadOnlySpan&lt;byte&gt; data, EndPoint from) => Transport!.Write(data, from);
/// }
/// reactor.ListenUdp(9999, new Echo());
/// </code>
/// </example>
public interface IReactorUdp
{
    /// <summary>Binds a UDP port and connects <paramref name="protocol"/> to it.</summary>
    /// <param name="port">The port; 0 lets the OS choose.</param>
    /// <param name="protocol">Receives the datagrams.</param>
    /// <param name="interfaceAddress">The local address to bind; "" binds all IPv4 interfaces.</param>
    /// <param name="maxPacketSize">The largest datagram that will be read whole.</param>
    IListeningPort ListenUdp(int port, DatagramProtocol protocol, string interfaceAddress = "", int maxPacketSize = 8192);
}
