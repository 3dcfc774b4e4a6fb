namespace Twine.Web.WebSockets;

/// <summary>
/// The opening handshake failed: a client got a response that is not a valid 101 for its request (or none), with
/// <see cref="StatusCode"/> when the server answered with an HTTP status.
/// </summary>
/// <example>
/// <code>
/// connecting.AddErrback(f =&gt; Console.WriteLine(f.Check&lt;WebSocketHandshakeException&gt;() ? "refused" : "failed"));
/// </code>
/// </example>
public sealed class WebSocketHandshakeException : Exception
{
    /// <summary>Creates the error.</summary>
    public WebSocketHandshakeException(string message, int? statusCode = null) : base(message) => StatusCode = statusCode;

    /// <summary>The HTTP status the server answered with, when it answered at all.</summary>
    public int? StatusCode { get; }
}
