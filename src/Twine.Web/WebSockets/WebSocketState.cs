namespace Twine.Web.WebSockets;

/// <summary>Where a WebSocket connection is in its life (RFC 6455 §4, §7).</summary>
public enum WebSocketState
{
    /// <summary>The opening handshake is under way.</summary>
    Connecting,
    /// <summary>Messages flow both ways.</summary>
    Open,
    /// <summary>A close frame was sent or received; the closing handshake is under way.</summary>
    Closing,
    /// <summary>The TCP connection is gone.</summary>
    Closed,
}
