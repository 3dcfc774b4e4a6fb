namespace Twine.Web.WebSockets;

/// <summary>One frame's header, as read from the wire (RFC 6455 §5.2).</summary>
internal readonly record struct FrameHeader(bool Fin, byte Rsv, WebSocketOpcode Opcode, bool Masked, long Length, uint MaskKey)
{
    public bool IsControl => ((byte)Opcode & 0x8) != 0;

    /// <summary>The RSV1 bit: "this message is compressed" under permessage-deflate.</summary>
    public bool Rsv1 => (Rsv & 0x4) != 0;
}
