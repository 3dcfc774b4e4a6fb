using Twine.Defer;

namespace Twine.Net.Endpoints;

/// <summary>A TCP server endpoint (Twisted's <c>TCP4ServerEndpoint</c>): <c>ListenTcp</c> on a port and interface.</summary>
/// <example>
/// <code>
/// var endpoint = new Tcp4ServerEndpoint(reactor, 8080, interfaceAddress: "127.0.0.1");
/// endpoint.Listen(Factory.ForProtocol&lt;Echo&gt;()).AddCallback(port => Console.WriteLine(port.Host));
/// </code>
/// </example>
public class Tcp4ServerEndpoint : IStreamServerEndpoint
{
    private readonly IReactorTcp _reactor;

    /// <summary>Creates the endpoint; nothing listens until <see cref="Listen"/>.</summary>
    /// <param name="reactor">The reactor to listen with.</param>
    /// <param name="port">The port; 0 lets the OS choose.</param>
    /// <param name="backlog">The listen queue length (50, as in Twisted).</param>
    /// <param name="interfaceAddress">The local address; "" is every IPv4 interface.</param>
    public Tcp4ServerEndpoint(IReactorTcp reactor, int port, int backlog = 50, string interfaceAddress = "")
    {
        ArgumentNullException.ThrowIfNull(reactor);
        ArgumentNullException.ThrowIfNull(interfaceAddress);
        _reactor = reactor;
        Port = port;
        Backlog = backlog;
        Interface = interfaceAddress;
    }

    /// <summary>The port to listen on.</summary>
    public int Port { get; }

    /// <summary>The listen queue length.</summary>
    public int Backlog { get; }

    /// <summary>The local address to bind.</summary>
    public string Interface { get; }

    /// <summary>Calls <see cref="IReactorTcp.ListenTcp"/>; its exception (for example <see cref="CannotListenException"/>) becomes the Deferred's failure.</summary>
    public Deferred<IListeningPort> Listen(IProtocolFactory factory)
    {
        try
        {
            return Deferred.Succeed(_reactor.ListenTcp(Port, factory, Backlog, Interface));
        }
        catch (Exception ex)
        {
            return Deferred.Fail<IListeningPort>(ex);
        }
    }
}
