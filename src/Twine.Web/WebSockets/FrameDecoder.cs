using System.Buffers.Binary;

namespace Twine.Web.WebSockets;

/// <summary>
/// Reads WebSocket frames incrementally from whatever pieces the transport delivers, checking every structural rule
/// of RFC 6455 §5 as soon as the bytes that break it arrive, and hands payloads to an <see cref="IFrameHandler"/>
/// without buffering them: unmasked payload is passed straight from the input, masked payload is unmasked through a
/// small scratch buffer, piece by piece.
/// </summary>
/// <remarks>
/// Message-level sequencing (a continuation with nothing to continue, a new message inside a fragmented one) is
/// checked here too, since it depends only on the frame headers. Any violation throws
/// <see cref="WebSocketProtocolException"/> with the close code to fail the connection with; the decoder is then
/// unusable.
/// </remarks>
internal sealed class FrameDecoder
{
    private const int ScratchSize = 16 * 1024;

    private readonly bool _expectMasked;
    private readonly byte[] _header = new byte[14];
    private int _headerHave;
    private int _headerNeed = 2;
    private bool _inPayload;
    private long _remaining;
    private uint _key;
    private int _keyOffset;
    private bool _inMessage;           // a fragmented data message is open
    private byte[]? _scratch;

    /// <summary>Creates a decoder for frames from a client (<paramref name="expectMasked"/>: they must be masked) or from a server (they must not be).</summary>
    public FrameDecoder(bool expectMasked) => _expectMasked = expectMasked;

    /// <summary>The RSV bits a negotiated extension gives a meaning to (0x4 for RSV1 under permessage-deflate).</summary>
    public byte AllowedRsv { get; set; }

    /// <summary>The largest frame payload accepted; larger fails with 1009.</summary>
    public long MaxFrameSize { get; set; } = long.MaxValue;

    /// <summary>True while between frames (no partial header or payload pending).</summary>
    public bool AtFrameBoundary => !_inPayload && _headerHave == 0;

    /// <summary>
    /// Decodes <paramref name="data"/>, calling <paramref name="handler"/> for each frame part. Stops early (returning
    /// the bytes used) when <paramref name="stop"/> becomes true from inside a handler call, such as after a close.
    /// </summary>
    /// <exception cref="WebSocketProtocolException">The bytes break the protocol or a limit.</exception>
    public int Decode(ReadOnlySpan<byte> data, IFrameHandler handler, ref bool stop)
    {
        int pos = 0;
        while (!stop)
        {
            if (!_inPayload)
            {
                int take = Math.Min(_headerNeed - _headerHave, data.Length - pos);
                if (take == 0 && _headerHave < _headerNeed) break;
                data.Slice(pos, take).CopyTo(_header.AsSpan(_headerHave));
                _headerHave += take;
                pos += take;
                if (_headerHave < _headerNeed) break;
                if (!TryCompleteHeader(out var header)) continue;     // the length or key bytes are still to come
                handler.FrameStarted(header);
                if (_remaining == 0)
                {
                    _inPayload = false;
                    handler.FrameEnded();
                }
                continue;
            }
            int available = data.Length - pos;
            if (available == 0) break;
            int n = (int)Math.Min(_remaining, available);
            var piece = data.Slice(pos, n);
            pos += n;
            _remaining -= n;
            if (_key == 0)
            {
                handler.FramePayload(piece);
            }
            else
            {
                _scratch ??= new byte[ScratchSize];
                while (!piece.IsEmpty)
                {
                    int m = Math.Min(piece.Length, _scratch.Length);
                    var chunk = _scratch.AsSpan(0, m);
                    piece[..m].CopyTo(chunk);
                    _keyOffset = Masking.Apply(chunk, _key, _keyOffset);
                    handler.FramePayload(chunk);
                    piece = piece[m..];
                }
            }
            if (_remaining == 0)
            {
                _inPayload = false;
                handler.FrameEnded();
            }
        }
        return pos;
    }

    /// <summary>Validates the header once its first two bytes are in; false while the extended length or key is still missing.</summary>
    private bool TryCompleteHeader(out FrameHeader header)
    {
        header = default;
        byte b0 = _header[0], b1 = _header[1];
        bool masked = (b1 & 0x80) != 0;
        int len7 = b1 & 0x7F;
        int need = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + (masked ? 4 : 0);
        if (_headerHave == 2)
        {
            // Everything that can be judged from the first two bytes fails now, before waiting for more.
            CheckFirstBytes(b0, masked, len7);
            if (need > 2)
            {
                _headerNeed = need;
                return false;
            }
        }
        long length = len7;
        int at = 2;
        if (len7 == 126)
        {
            length = BinaryPrimitives.ReadUInt16BigEndian(_header.AsSpan(2));
            at = 4;
        }
        else if (len7 == 127)
        {
            ulong l = BinaryPrimitives.ReadUInt64BigEndian(_header.AsSpan(2));
            if ((l >> 63) != 0) throw new WebSocketProtocolException(WebSocketCloseCode.ProtocolError, "A frame length with its most significant bit set.");
            length = (long)l;
            at = 10;
        }
        if (length > MaxFrameSize)
            throw new WebSocketProtocolException(WebSocketCloseCode.MessageTooBig, $"A frame of {length} bytes is larger than the limit of {MaxFrameSize}.");
        _key = masked ? BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(at)) : 0;
        _keyOffset = 0;
        var opcode = (WebSocketOpcode)(b0 & 0x0F);
        bool fin = (b0 & 0x80) != 0;
        header = new FrameHeader(fin, (byte)((b0 >> 4) & 0x7), opcode, masked, length, _key);
        if (!header.IsControl) _inMessage = !fin;
        _remaining = length;
        _inPayload = true;
        _headerHave = 0;
        _headerNeed = 2;
        return true;
    }

    private void CheckFirstBytes(byte b0, bool masked, int len7)
    {
        bool fin = (b0 & 0x80) != 0;
        byte rsv = (byte)((b0 >> 4) & 0x7);
        int op = b0 & 0x0F;
        bool control = (op & 0x8) != 0;
        if (op is > 2 and < 8 or > 10)
            throw new WebSocketProtocolException(WebSocketCloseCode.ProtocolError, $"The reserved opcode 0x{op:X}.");
        if ((rsv & ~AllowedRsv) != 0 || (control && rsv != 0))
            throw new WebSocketProtocolException(WebSocketCloseCode.ProtocolError, $"Reserved bits 0x{rsv:X} set without an extension that defines them.");
        if (masked != _expectMasked)
            throw new WebSocketProtocolException(WebSocketCloseCode.ProtocolError, _expectMasked ? "An unmasked frame from a client." : "A masked frame from a server.");
        if (control)
        {
            if (!fin) throw new WebSocketProtocolException(WebSocketCloseCode.ProtocolError, "A fragmented control frame.");
            if (len7 > 125) throw new WebSocketProtocolException(WebSocketCloseCode.ProtocolError, "A control frame longer than 125 bytes.");
            return;
        }
        if (op == 0 && !_inMessage)
            throw new WebSocketProtocolException(WebSocketCloseCode.ProtocolError, "A continuation frame with no message to continue.");
        if (op != 0 && _inMessage)
            throw new WebSocketProtocolException(WebSocketCloseCode.ProtocolError, "A new data message inside a fragmented one.");
        if (op == 0 && (rsv & 0x4) != 0)
            throw new WebSocketProtocolException(WebSocketCloseCode.ProtocolError, "RSV1 on a continuation frame.");
    }
}
