using System.Net;
using Twine.Net;
using Twine.Time;

namespace Twine.Web.WebSockets;

/// <summary>
/// Builds <see cref="WebSocketServerProtocol"/>s for a port of their own (Autobahn's
/// <c>WebSocketServerFactory</c>), or for a <see cref="WebSocketResource"/> inside a <see cref="Site"/>.
/// </summary>
/// <example>
/// <code>
/// var factory = new WebSocketServerFactory(reactor, () =&gt; new Echo()) { Subprotocols = ["echo"] };
/// await WebSocket.Listen(reactor, "tcp:9000", factory);
/// </code>
/// </example>
public class WebSocketServerFactory : Factory
{
    private readonly Func<WebSocketServerProtocol> _build;

    /// <summary>Creates the factory.</summary>
    /// <param name="time">The reactor time that handshake, closing and keep-alive timeouts run on.</param>
    /// <param name="build">Makes one protocol per connection.</param>
    /// <param name="options">Limits and extensions; null for <see cref="WebSocketOptions.Default"/>.</param>
    public WebSocketServerFactory(IReactorTime time, Func<WebSocketServerProtocol> build, WebSocketOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(build);
        Time = time;
        _build = build;
        Options = options ?? WebSocketOptions.Default;
        Noisy = false;
    }

    /// <summary>The reactor time the connections' timeouts run on.</summary>
    public IReactorTime Time { get; }

    /// <summary>The options every connection uses.</summary>
    public WebSocketOptions Options { get; }

    /// <summary>The subprotocols the default <see cref="WebSocketServerProtocol.OnConnect"/> accepts, in no particular order.</summary>
    public IReadOnlyList<string> Subprotocols { get; init; } = [];

    /// <summary>Builds and configures a protocol for a connection from <paramref name="address"/>.</summary>
    public override IProtocol? BuildProtocol(EndPoint address) => Create();

    internal WebSocketServerProtocol Create()
    {
        var protocol = _build();
        protocol.Configure(Time, Options);
        protocol.SetSubprotocols(Subprotocols);
        protocol.Factory = this;
        return protocol;
    }
}
