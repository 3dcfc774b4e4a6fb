using Twine.Web.Http;

namespace Twine.Web.WebSockets;

/// <summary>The server's 101 answer, as <see cref="WebSocketClientProtocol.OnConnect"/> sees it (Autobahn's <c>ConnectionResponse</c>).</summary>
/// <example>
/// <code>
/// public override void OnConnect(ConnectionResponse response) =&gt; Console.WriteLine($"subprotocol: {response.Subprotocol}");
/// </code>
/// </example>
public sealed class ConnectionResponse
{
    internal ConnectionResponse(HttpHeaders headers, string? subprotocol)
    {
        Headers = headers;
        Subprotocol = subprotocol;
    }

    /// <summary>The response's header fields.</summary>
    public HttpHeaders Headers { get; }

    /// <summary>The subprotocol the server chose, or null.</summary>
    public string? Subprotocol { get; }
}
