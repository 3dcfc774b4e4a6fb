namespace Twine.Web.WebSockets;

/// <summary>
/// Thrown (or failed with) from <see cref="WebSocketServerProtocol.OnConnect"/> to refuse a handshake with an HTTP
/// status (Autobahn's <c>ConnectionDeny</c>).
/// </summary>
/// <example>
/// <code>
/// throw new ConnectionDeniedException(403, "Unknown origin.");
/// </code>
/// </example>
public sealed class ConnectionDeniedException : Exception
{
    /// <summary>Creates a refusal with the status to answer (400–599) and a reason for the body.</summary>
    public ConnectionDeniedException(int statusCode, string? reason = null) : base(reason ?? $"Denied with {statusCode}.")
    {
        if (statusCode is < 400 or > 599) throw new ArgumentOutOfRangeException(nameof(statusCode), "A denial is a 4xx or 5xx status.");
        StatusCode = statusCode;
    }

    /// <summary>The HTTP status answered.</summary>
    public int StatusCode { get; }
}
