namespace Twine.Web.WebSockets;

/// <summary>
/// The close status codes of RFC 6455 §7.4, and which of them may appear on the wire.
/// </summary>
/// <example>
/// <code>
/// SendClose(WebSocketCloseCode.GoingAway, "server restarting");
/// </code>
/// </example>
public static class WebSocketCloseCode
{
    /// <summary>1000: the purpose of the connection is fulfilled.</summary>
    public const int Normal = 1000;
    /// <summary>1001: the endpoint is going away (server shutting down, page navigated away).</summary>
    public const int GoingAway = 1001;
    /// <summary>1002: the peer broke the protocol.</summary>
    public const int ProtocolError = 1002;
    /// <summary>1003: a message of a type the endpoint cannot accept.</summary>
    public const int UnsupportedData = 1003;
    /// <summary>1005: no code was in the close frame (reported locally, never sent).</summary>
    public const int NoStatus = 1005;
    /// <summary>1006: the connection closed without a close frame (reported locally, never sent).</summary>
    public const int Abnormal = 1006;
    /// <summary>1007: a text message that is not UTF-8, or a payload inconsistent with its type.</summary>
    public const int InvalidPayload = 1007;
    /// <summary>1008: a message that violates the endpoint's policy.</summary>
    public const int PolicyViolation = 1008;
    /// <summary>1009: a frame or message too big to process.</summary>
    public const int MessageTooBig = 1009;
    /// <summary>1010: the client needed an extension the server did not agree to.</summary>
    public const int MandatoryExtension = 1010;
    /// <summary>1011: the server met an unexpected condition.</summary>
    public const int InternalError = 1011;

    /// <summary>
    /// True for codes a close frame may carry: 1000–1003, 1007–1011 and the registered 1012–1014, and the
    /// application range 3000–4999. 1004–1006, 1015 and everything else are refused (RFC 6455 §7.4.1–7.4.2).
    /// </summary>
    public static bool IsValidOnWire(int code) => code is (>= 1000 and <= 1003) or (>= 1007 and <= 1014) or (>= 3000 and <= 4999);
}
