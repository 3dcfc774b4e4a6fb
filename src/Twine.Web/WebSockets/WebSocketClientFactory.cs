using System.Net;
using Twine.Net;
using Twine.Time;

namespace Twine.Web.WebSockets;

/// <summary>
/// Builds <see cref="WebSocketClientProtocol"/>s that open <see cref="Url"/> (Autobahn's <c>WebSocketClientFactory</c>).
/// <see cref="WebSocket.Connect(Twine.Net.IReactorTcp, WebSocketClientFactory, Twine.Net.Tls.TlsClientOptions?)"/> picks TCP or TLS from the URL.
/// </summary>
/// <example>
/// <code>
/// var factory = new WebSocketClientFactory(reactor, "ws://127.0.0.1:9000/chat", () =&gt; new Hello()) { Subprotocols = ["chat.v1"] };
/// var hello = await WebSocket.Connect(reactor, factory);
/// </code>
/// </example>
public class WebSocketClientFactory : ClientFactory
{
    private readonly Func<WebSocketClientProtocol> _build;

    /// <summary>Creates the factory.</summary>
    /// <param name="time">The reactor time that handshake, closing and keep-alive timeouts run on.</param>
    /// <param name="url">A <c>ws://</c> or <c>wss://</c> URL.</param>
    /// <param name="build">Makes the protocol for each connection.</param>
    /// <param name="options">Limits and extensions; null for <see cref="WebSocketOptions.Default"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="url"/> is not an absolute ws or wss URL.</exception>
    public WebSocketClientFactory(IReactorTime time, string url, Func<WebSocketClientProtocol> build, WebSocketOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(build);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || (parsed.Scheme != "ws" && parsed.Scheme != "wss"))
            throw new ArgumentException($"Not an absolute ws or wss URL: '{url}'.", nameof(url));
        if (parsed.Fragment.Length > 0) throw new ArgumentException("A WebSocket URL has no fragment (RFC 6455 §3).", nameof(url));
        Time = time;
        Url = parsed;
        _build = build;
        Options = options ?? WebSocketOptions.Default;
        Noisy = false;
    }

    /// <summary>The reactor time the connections' timeouts run on.</summary>
    public IReactorTime Time { get; }

    /// <summary>The URL to open.</summary>
    public Uri Url { get; }

    /// <summary>True for <c>wss://</c>.</summary>
    public bool IsSecure => Url.Scheme == "wss";

    /// <summary>The options every connection uses.</summary>
    public WebSocketOptions Options { get; }

    /// <summary>The subprotocols offered, in order of preference.</summary>
    public IReadOnlyList<string> Subprotocols { get; init; } = [];

    /// <summary>Extra header fields for the handshake request (Origin, Authorization...).</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>Builds and configures the protocol for a connection.</summary>
    public override IProtocol? BuildProtocol(EndPoint address) => Create();

    internal WebSocketClientProtocol Create()
    {
        var protocol = _build();
        protocol.Configure(Time, Options);
        protocol.SetTarget(Url, Subprotocols, Headers);
        protocol.Factory = this;
        return protocol;
    }
}
