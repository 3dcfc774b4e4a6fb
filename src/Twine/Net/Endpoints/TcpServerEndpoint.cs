using Twine.Defer;

namespace Twine.Net.Endpoints;

/// <summary>
/// What the IPv4 and IPv6 TCP server endpoints share: <c>ListenTcp</c> on a port and interface. The two differ only
/// in their default interface, so neither derives from the other.
/// </summary>
/// <example>
/// <code>
/// TcpServerEndpoint endpoint = useIPv6 ? new Tcp6ServerEndpoint(reactor, 8080) : new Tcp4ServerEndpoint(reactor, 8080);
/// </code>
/// </example>
public abstract class TcpServerEndpoint : IStreamServerEndpoint
{
    private readonly IReactorTcp _reactor;

    /// <summary>Creates the endpoint; nothing listens until <see cref="Listen"/>.</summary>
    /// <param name="reactor">The reactor to listen with.</param>
    /// <param name="port">The port; 0 lets the OS choose.</param>
    /// <param name="backlog">The listen queue length (<see cref="ListenBacklog.Default"/>: the system's maximum).</param>
    /// <param name="interfaceAddress">The local address.</param>
    /// <param name="reusePort">Whether to set <c>SO_REUSEPORT</c> (see <see cref="TcpListenOptions.ReusePort"/>).</param>
    private protected TcpServerEndpoint(IReactorTcp reactor, int port, int backlog, string interfaceAddress, bool reusePort)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        ArgumentNullException.ThrowIfNull(interfaceAddress);
        _reactor = reactor;
        Port = port;
        Backlog = backlog;
        Interface = interfaceAddress;
        ReusePort = reusePort;
    }

    /// <summary>The port to listen on.</summary>
    public int Port { get; }

    /// <summary>The listen queue length.</summary>
    public int Backlog { get; }

    /// <summary>The local address to bind.</summary>
    public string Interface { get; }

    /// <summary>Whether the socket sets <c>SO_REUSEPORT</c>, so other sockets may listen on the same port (<c>reusePort=true</c>).</summary>
    public bool ReusePort { get; }

    /// <summary>Calls <see cref="IReactorTcp.ListenTcp(int, IProtocolFactory, int, string)"/>; its exception (for example <see cref="CannotListenException"/>) becomes the Deferred's failure.</summary>
    public Deferred<IListeningPort> Listen(IProtocolFactory factory)
    {
        try
        {
            var port = ReusePort
                ? _reactor.ListenTcp(Port, factory, new TcpListenOptions { Backlog = Backlog, Interface = Interface, ReusePort = true })
                : _reactor.ListenTcp(Port, factory, Backlog, Interface);
            return Deferred.Succeed(port);
        }
        catch (Exception ex)
        {
            return Deferred.Fail<IListeningPort>(ex);
        }
    }
}
