namespace Twine.Web.WebSockets;

/// <summary>
/// The peer broke RFC 6455 (or a limit): the connection is failed with <see cref="CloseCode"/> (1002, 1007, 1009...).
/// </summary>
/// <example>
/// <code>
/// throw new WebSocketProtocolException(WebSocketCloseCode.ProtocolError, "A control frame of 126 bytes.");
/// </code>
/// </example>
public sealed class WebSocketProtocolException : Exception
{
    /// <summary>Creates the error with the close code to send.</summary>
    public WebSocketProtocolException(int closeCode, string message) : base(message) => CloseCode = closeCode;

    /// <summary>The close code the connection is failed with.</summary>
    public int CloseCode { get; }
}
