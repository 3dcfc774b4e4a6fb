using Twine.Defer;
using Twine.Net;
using Twine.Net.Endpoints;
using Twine.Net.Tls;

namespace Twine.Web.WebSockets;

/// <summary>
/// Endpoint-based entry points: <see cref="Listen"/> serves a <see cref="WebSocketServerFactory"/> on an endpoint
/// string, <see cref="Connect(IReactorTcp, WebSocketClientFactory, TlsClientOptions?)"/> opens a ws:// or wss:// URL.
/// </summary>
/// <example>
/// <code>
/// await WebSocket.Listen(reactor, "tcp:9000", new WebSocketServerFactory(reactor, () =&gt; new Echo()));
/// var client = await WebSocket.Connect(reactor, new WebSocketClientFactory(reactor, "ws://127.0.0.1:9000/", () =&gt; new Hello()));
/// </code>
/// </example>
public static class WebSocket
{
    /// <summary>Listens on <paramref name="endpoint"/> (such as <c>tcp:9000</c>) with <paramref name="factory"/>.</summary>
    public static Deferred<IListeningPort> Listen(IReactorStreamSockets reactor, string endpoint, WebSocketServerFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return Endpoints.Server(reactor, endpoint).Listen(factory);
    }

    /// <summary>
    /// Connects to the factory's URL (TCP for ws, TLS over TCP for wss, checking the certificate against the host
    /// name unless <paramref name="tls"/> says otherwise) and fires with the protocol once the connection is open;
    /// fails with the connection error or a <see cref="WebSocketHandshakeException"/>.
    /// </summary>
    public static Deferred<WebSocketClientProtocol> Connect(IReactorTcp reactor, WebSocketClientFactory factory, TlsClientOptions? tls = null)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        ArgumentNullException.ThrowIfNull(factory);
        var url = factory.Url;
        IStreamClientEndpoint endpoint = new Tcp4ClientEndpoint(reactor, url.DnsSafeHost, url.Port);
        if (factory.IsSecure) endpoint = new TlsClientEndpoint(endpoint, tls ?? new TlsClientOptions { HostName = url.DnsSafeHost });
        return Connect(endpoint, factory);
    }

    /// <summary>Connects through <paramref name="endpoint"/> (any stream endpoint) and runs the handshake for the factory's URL.</summary>
    public static Deferred<WebSocketClientProtocol> Connect(IStreamClientEndpoint endpoint, WebSocketClientFactory factory)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(factory);
        var protocol = factory.Create();
        var opened = protocol.Opened;
        var factoryForOne = Factory.ForProtocol(() => (IProtocol)protocol);
        factoryForOne.Noisy = false;
        var connecting = endpoint.Connect(factoryForOne);
        connecting.AddErrback(f => { if (!opened.Called) opened.Errback(f); });
        return opened;
    }

    /// <summary>
    /// Connects to <paramref name="url"/> with a protocol from <paramref name="build"/>; the typed shortcut for the
    /// common case.
    /// </summary>
    public static Deferred<T> Connect<T>(Twine.Reactors.Reactor reactor, string url, Func<T> build, WebSocketOptions? options = null,
        IReadOnlyList<string>? subprotocols = null) where T : WebSocketClientProtocol
    {
        var factory = new WebSocketClientFactory(reactor, url, () => build(), options) { Subprotocols = subprotocols ?? [] };
        return Connect(reactor, factory).AddCallback(p => (T)p);
    }
}
