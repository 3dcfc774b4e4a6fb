using System.Net;
using Twine.Defer;
using Twine.Net.Endpoints;

namespace Twine.Net.Endpoints;

/// <summary>A TCP client endpoint (Twisted's <c>TCP4ClientEndpoint</c>): <c>ConnectTcp</c> to a host and port.</summary>
/// <example>
/// <code>
/// var endpoint = new Tcp4ClientEndpoint(reactor, "example.org", 80, timeout: TimeSpan.FromSeconds(10));
/// var protocol = (Greeter)await endpoint.Connect(Factory.ForProtocol&lt;Greeter&gt;());
/// </code>
/// </example>
public sealed class Tcp4ClientEndpoint : IStreamClientEndpoint
{
    private readonly IReactorTcp _reactor;

    /// <summary>Creates the endpoint; nothing connects until <see cref="Connect"/>.</summary>
    /// <param name="reactor">The reactor to connect with.</param>
    /// <param name="host">A host name or address literal.</param>
    /// <param name="port">The port.</param>
    /// <param name="timeout">How long an attempt may take; null means 30 seconds.</param>
    /// <param name="bindAddress">A local address to bind first, if any.</param>
    public Tcp4ClientEndpoint(IReactorTcp reactor, string host, int port, TimeSpan? timeout = null, EndPoint? bindAddress = null)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        ArgumentNullException.ThrowIfNull(host);
        _reactor = reactor;
        Host = host;
        Port = port;
        Timeout = timeout ?? TimeSpan.FromSeconds(30);
        BindAddress = bindAddress;
    }

    /// <summary>The host to connect to.</summary>
    public string Host { get; }

    /// <summary>The port to connect to.</summary>
    public int Port { get; }

    /// <summary>How long an attempt may take.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The local address bound before connecting, or null.</summary>
    public EndPoint? BindAddress { get; }

    /// <summary>
    /// Connects; the Deferred fires with <paramref name="factory"/>'s protocol after its <c>ConnectionMade</c>, or fails
    /// with the connect error. Cancelling it stops the attempt (<see cref="ConnectingCancelledException"/>).
    /// </summary>
    public Deferred<IProtocol> Connect(IProtocolFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        try
        {
            var wrapper = new WrappingClientFactory(factory);
            _reactor.ConnectTcp(Host, Port, wrapper, Timeout, BindAddress);
            return wrapper.OnConnection;
        }
        catch (Exception ex)
        {
            return Deferred.Fail<IProtocol>(ex);
        }
    }
}
