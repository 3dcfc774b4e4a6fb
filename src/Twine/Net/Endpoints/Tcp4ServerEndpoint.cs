namespace Twine.Net.Endpoints;

/// <summary>A TCP server endpoint on IPv4 (Twisted's <c>TCP4ServerEndpoint</c>): every IPv4 interface ("") by default.</summary>
/// <example>
/// <code>
/// var endpoint = new Tcp4ServerEndpoint(reactor, 8080, interfaceAddress: "127.0.0.1");
/// endpoint.Listen(Factory.ForProtocol&lt;Echo&gt;()).AddCallback(port => Console.WriteLine(port.Host));
/// </code>
/// </example>
public sealed class Tcp4ServerEndpoint : TcpServerEndpoint
{
    /// <summary>Creates the endpoint; nothing listens until <see cref="TcpServerEndpoint.Listen"/>.</summary>
    public Tcp4ServerEndpoint(IReactorTcp reactor, int port, int backlog = ListenBacklog.Default, string interfaceAddress = "", bool reusePort = false)
        : base(reactor, port, backlog, interfaceAddress, reusePort) { }
}
