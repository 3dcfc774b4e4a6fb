using System.Text;

namespace Twine.Web.WebSockets;

/// <summary>
/// Serves WebSocket at a path of a <see cref="Site"/>, sharing its port with HTTP (Autobahn's
/// <c>WebSocketResource</c>): a handshake request gets a 101 and the connection is handed to a protocol from the
/// factory; any other request gets 426 Upgrade Required.
/// </summary>
/// <example>
/// <code>
/// var root = new Resource();
/// root.PutChild("ws", new WebSocketResource(new WebSocketServerFactory(reactor, () =&gt; new Echo())));
/// reactor.ListenTcp(8080, new Site(root, reactor));
/// </code>
/// </example>
public sealed class WebSocketResource : Resource
{
    private readonly WebSocketServerFactory _factory;

    /// <summary>Creates the resource; <paramref name="factory"/> builds a protocol per accepted connection.</summary>
    public WebSocketResource(WebSocketServerFactory factory) => _factory = factory ?? throw new ArgumentNullException(nameof(factory));

    /// <summary>The resource is a leaf: whatever the rest of the path, the protocol sees it in its request.</summary>
    public override bool IsLeaf => true;

    /// <inheritdoc/>
    public override RenderResult Render(Request request)
    {
        ConnectionRequest handshake;
        try
        {
            if (!request.WantsUpgrade)
                throw new WebSocketHandshakeException("This resource speaks WebSocket only.", 426);
            handshake = ConnectionRequest.FromHead(request.ClientAddress, request.Method, request.ClientProtocol == "HTTP/1.0", request.Uri, request.Headers);
        }
        catch (WebSocketHandshakeException e)
        {
            return Refuse(request, e.StatusCode ?? 400, e.Message);
        }
        var protocol = _factory.Create();
        protocol.RunDecision(handshake,
            accept: (p, head, deflate) =>
            {
                if (request.IsLost) return;
                p.PrepareAccepted(deflate);
                request.SwitchProtocols(head, p);
            },
            deny: (_, status, reason) =>
            {
                if (!request.IsLost && !request.Finished) request.WriteBodyAndFinish(RefusalBody(request, status, reason));
            });
        return RenderResult.NotDoneYet;
    }

    private static RenderResult Refuse(Request request, int status, string reason) => RefusalBody(request, status, reason);

    private static byte[] RefusalBody(Request request, int status, string reason)
    {
        request.SetResponseCode(status);
        request.SetHeader("Content-Type", "text/plain; charset=utf-8");
        if (status == 426)
        {
            request.SetHeader("Upgrade", "websocket");
            request.SetHeader("Sec-WebSocket-Version", "13");
        }
        return Encoding.UTF8.GetBytes($"{status} {Http.HttpStatus.ReasonPhrase(status)}: {reason}\n");
    }
}
