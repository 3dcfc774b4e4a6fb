namespace Twine.Net.Endpoints;

/// <summary>A TCP server endpoint on IPv6 (Twisted's <c>TCP6ServerEndpoint</c>): every IPv6 interface ("::") by default.</summary>
/// <example>
/// <code>
/// var endpoint = Endpoints.Server(reactor, @"tcp6:8080:interface=\:\:1");   // IPv6 colons escaped
/// </code>
/// </example>
public sealed class Tcp6ServerEndpoint : TcpServerEndpoint
{
    /// <summary>Creates the endpoint; nothing listens until <see cref="TcpServerEndpoint.Listen"/>.</summary>
    public Tcp6ServerEndpoint(IReactorTcp reactor, int port, int backlog = ListenBacklog.Default, string interfaceAddress = "::", bool reusePort = false)
        : base(reactor, port, backlog, interfaceAddress, reusePort) { }
}
