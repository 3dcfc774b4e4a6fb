namespace Twine.Web.WebSockets;

/// <summary>
/// A server's "yes" to a handshake: the subprotocol chosen (one the client offered, or null) and extra header fields
/// for the 101 response (Autobahn's <c>ConnectionAccept</c>).
/// </summary>
/// <example>
/// <code>
/// return new ConnectionAccept("chat", new Dictionary&lt;string, string&gt; { ["X-Server"] = "twine" });
/// </code>
/// </example>
public sealed record ConnectionAccept(string? Subprotocol = null, IReadOnlyDictionary<string, string>? Headers = null)
{
    /// <summary>Accept without a subprotocol or extra header fields.</summary>
    public static ConnectionAccept Default { get; } = new();
}
