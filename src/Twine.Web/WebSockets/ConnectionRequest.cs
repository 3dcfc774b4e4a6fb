using System.Net;
using Twine.Web.Http;

namespace Twine.Web.WebSockets;

/// <summary>
/// A client's opening handshake, as <see cref="WebSocketServerProtocol.OnConnect"/> sees it (Autobahn's
/// <c>ConnectionRequest</c>): where it connected from, what it asked for, and the subprotocols it offers.
/// </summary>
/// <example>
/// <code>
/// public override ConnectDecision OnConnect(ConnectionRequest request) =>
///     request.Protocols.Contains("chat") ? new ConnectionAccept("chat") : throw new ConnectionDeniedException(403, "chat only");
/// </code>
/// </example>
public sealed class ConnectionRequest
{
    internal ConnectionRequest(EndPoint peer, string path, string query, HttpHeaders headers, IReadOnlyList<string> protocols)
    {
        Peer = peer;
        Path = path;
        Query = query;
        Headers = headers;
        Protocols = protocols;
    }

    /// <summary>The client's address.</summary>
    public EndPoint Peer { get; }

    /// <summary>The path of the request target, still percent-encoded.</summary>
    public string Path { get; }

    /// <summary>The query string without the '?', or "".</summary>
    public string Query { get; }

    /// <summary>The query arguments.</summary>
    public IReadOnlyDictionary<string, List<string>> Params => QueryArguments.Parse(Query);

    /// <summary>All the request's header fields.</summary>
    public HttpHeaders Headers { get; }

    /// <summary>The Host field.</summary>
    public string? Host => Headers.Get("Host");

    /// <summary>The Origin field (browsers send it), or null.</summary>
    public string? Origin => Headers.Get("Origin");

    /// <summary>The subprotocols the client offers, in its order of preference.</summary>
    public IReadOnlyList<string> Protocols { get; }

    internal string Key { get; init; } = "";

    internal IReadOnlyList<ExtensionOffer> Extensions { get; init; } = [];

    /// <summary>
    /// Checks a request head against RFC 6455 §4.2.1 and builds the request; throws
    /// <see cref="WebSocketHandshakeException"/> with the HTTP status to answer otherwise.
    /// </summary>
    internal static ConnectionRequest FromHead(EndPoint peer, string method, bool http10, string target, HttpHeaders headers)
    {
        if (method != "GET") throw new WebSocketHandshakeException($"A WebSocket handshake is a GET, not {method}.", 405);
        if (http10) throw new WebSocketHandshakeException("A WebSocket handshake needs HTTP/1.1.", 400);
        if (!HeaderTokens.Contains(headers.GetAll("Upgrade"), "websocket"))
            throw new WebSocketHandshakeException("The request does not ask to upgrade to websocket.", 426);
        if (!HeaderTokens.Contains(headers.GetAll("Connection"), "upgrade"))
            throw new WebSocketHandshakeException("The Connection field does not list 'upgrade'.", 400);
        var versions = headers.GetAll("Sec-WebSocket-Version");
        if (versions.Count != 1 || versions[0].Trim() != "13")
            throw new WebSocketHandshakeException("Only Sec-WebSocket-Version 13 is supported.", 426);
        var keys = headers.GetAll("Sec-WebSocket-Key");
        if (keys.Count != 1 || !HandshakeKeys.IsValidKey(keys[0].Trim()))
            throw new WebSocketHandshakeException("Sec-WebSocket-Key is missing, repeated or not 16 bytes of base64.", 400);
        var protocols = new List<string>();
        foreach (var value in headers.GetAll("Sec-WebSocket-Protocol"))
        {
            foreach (var p in value.Split(','))
            {
                var name = p.Trim();
                if (name.Length > 0) protocols.Add(name);
            }
        }
        var extensions = ExtensionOffer.ParseAll(headers.GetAll("Sec-WebSocket-Extensions"))
            ?? throw new WebSocketHandshakeException("Sec-WebSocket-Extensions is malformed.", 400);
        int q = target.IndexOf('?');
        string path = q < 0 ? target : target[..q];
        string query = q < 0 ? "" : target[(q + 1)..];
        return new ConnectionRequest(peer, path, query, headers, protocols) { Key = keys[0].Trim(), Extensions = extensions };
    }
}
