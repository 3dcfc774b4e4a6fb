using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Twine.Web.WebSockets;

// Sending: messages become frames (fragmented, compressed, masked as the connection requires).
public abstract partial class WebSocketProtocol
{
    // Payloads up to this size are copied behind their header so that a frame is one write.
    private const int CoalesceLimit = 8 * 1024;

    private MessageDeflater? _deflater;
    private byte[] _send = new byte[256];
    private readonly byte[] _maskPool = new byte[256];
    private int _maskAt = 256;
    private bool _sendingStream;
    private bool _streamBinary;
    private bool _streamStarted;
    private bool _streamCompressed;

    /// <summary>Sends <paramref name="payload"/> as one message (fragmented by <see cref="WebSocketOptions.AutoFragmentSize"/>).</summary>
    /// <exception cref="InvalidOperationException">The connection is not open, or a streamed message is in progress.</exception>
    public void SendMessage(ReadOnlySpan<byte> payload, bool isBinary = true)
    {
        if (!CanSend()) return;
        if (_sendingStream) throw new InvalidOperationException("A streamed message is being sent: finish it with EndMessage first.");
        var opcode = isBinary ? WebSocketOpcode.Binary : WebSocketOpcode.Text;
        if (Compressing(payload.Length))
        {
            var compressed = _deflater!.Compress(payload, final: true);
            WriteFragmented(opcode, compressed, compressed: true);
            return;
        }
        WriteFragmented(opcode, payload, compressed: false);
    }

    /// <summary>Sends <paramref name="text"/> as a text message.</summary>
    public void SendMessage(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        SendMessage(Encoding.UTF8.GetBytes(text), isBinary: false);
    }

    /// <summary>Sends a ping (at most 125 bytes of payload); the peer answers with a pong carrying the same payload.</summary>
    public void SendPing(ReadOnlySpan<byte> payload = default)
    {
        if (payload.Length > 125) throw new ArgumentException("A ping carries at most 125 bytes.", nameof(payload));
        if (CanSend()) WriteFrame(WebSocketOpcode.Ping, fin: true, compressed: false, payload);
    }

    /// <summary>Sends an unsolicited pong (a heartbeat that expects no answer).</summary>
    public void SendPong(ReadOnlySpan<byte> payload = default)
    {
        if (payload.Length > 125) throw new ArgumentException("A pong carries at most 125 bytes.", nameof(payload));
        if (CanSend()) WriteFrame(WebSocketOpcode.Pong, fin: true, compressed: false, payload);
    }

    /// <summary>Starts a message sent in pieces: each <see cref="SendMessageData"/> is one frame, <see cref="EndMessage"/> ends it.</summary>
    public void BeginMessage(bool isBinary = true)
    {
        if (_sendingStream) throw new InvalidOperationException("A streamed message is already being sent.");
        _sendingStream = true;
        _streamBinary = isBinary;
        _streamStarted = false;
        _streamCompressed = _deflateParameters is not null;
    }

    /// <summary>Sends the next piece of the message started with <see cref="BeginMessage"/>, as one frame.</summary>
    public void SendMessageData(ReadOnlySpan<byte> data) => SendStreamFrame(data, fin: false);

    /// <summary>Ends the message started with <see cref="BeginMessage"/>.</summary>
    public void EndMessage()
    {
        SendStreamFrame([], fin: true);
        _sendingStream = false;
    }

    private void SendStreamFrame(ReadOnlySpan<byte> data, bool fin)
    {
        if (!_sendingStream) throw new InvalidOperationException("No streamed message was begun: call BeginMessage first.");
        if (!CanSend()) return;
        var opcode = _streamStarted ? WebSocketOpcode.Continuation : _streamBinary ? WebSocketOpcode.Binary : WebSocketOpcode.Text;
        bool first = !_streamStarted;
        _streamStarted = true;
        if (_streamCompressed)
        {
            _deflater ??= new MessageDeflater(_options.CompressionLevel, _deflateParameters!.LocalNoContextTakeover);
            WriteFrame(opcode, fin, compressed: first, _deflater.Compress(data, fin));
        }
        else
        {
            WriteFrame(opcode, fin, compressed: false, data);
        }
    }

    private bool CanSend() => State == WebSocketState.Open && !_closeSent;

    private bool Compressing(int length)
    {
        if (_deflateParameters is null || length < _options.CompressionThreshold) return false;
        _deflater ??= new MessageDeflater(_options.CompressionLevel, _deflateParameters.LocalNoContextTakeover);
        return true;
    }

    private void WriteFragmented(WebSocketOpcode opcode, ReadOnlySpan<byte> payload, bool compressed)
    {
        int size = _options.AutoFragmentSize;
        if (size <= 0 || payload.Length <= size)
        {
            WriteFrame(opcode, fin: true, compressed, payload);
            return;
        }
        bool first = true;
        while (true)
        {
            bool last = payload.Length <= size;
            var piece = last ? payload : payload[..size];
            WriteFrame(first ? opcode : WebSocketOpcode.Continuation, last, compressed && first, piece);
            if (last) return;
            payload = payload[size..];
            first = false;
        }
    }

    /// <summary>Writes one frame: header, then the payload (masked by a client with a fresh key, RFC 6455 §5.3).</summary>
    private protected void WriteFrame(WebSocketOpcode opcode, bool fin, bool compressed, ReadOnlySpan<byte> payload)
    {
        bool mask = !IsServer;
        int headerLength = 2 + (payload.Length <= 125 ? 0 : payload.Length <= 0xFFFF ? 2 : 8) + (mask ? 4 : 0);
        bool coalesce = mask || payload.Length <= CoalesceLimit;
        int total = headerLength + (coalesce ? payload.Length : 0);
        if (_send.Length < total) _send = new byte[Math.Max(total, _send.Length * 2)];
        var buffer = _send.AsSpan(0, total);
        buffer[0] = (byte)((fin ? 0x80 : 0) | (compressed ? 0x40 : 0) | (byte)opcode);
        int at = 2;
        if (payload.Length <= 125) buffer[1] = (byte)payload.Length;
        else if (payload.Length <= 0xFFFF)
        {
            buffer[1] = 126;
            BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], (ushort)payload.Length);
            at = 4;
        }
        else
        {
            buffer[1] = 127;
            BinaryPrimitives.WriteUInt64BigEndian(buffer[2..], (ulong)payload.Length);
            at = 10;
        }
        if (mask)
        {
            buffer[1] |= 0x80;
            if (_maskAt == _maskPool.Length)
            {
                RandomNumberGenerator.Fill(_maskPool);
                _maskAt = 0;
            }
            var key = _maskPool.AsSpan(_maskAt, 4);
            _maskAt += 4;
            key.CopyTo(buffer[at..]);
            at += 4;
            var body = buffer[at..];
            payload.CopyTo(body);
            Masking.Apply(body, BinaryPrimitives.ReadUInt32BigEndian(key), 0);
            Transport.Write(buffer);
            return;
        }
        if (coalesce)
        {
            payload.CopyTo(buffer[at..]);
            Transport.Write(buffer);
            return;
        }
        Transport.Write(buffer);
        Transport.Write(payload);
    }

    private void ReleaseCompression()
    {
        _deflater?.Dispose();
        _deflater = null;
        _inflater?.Dispose();
        _inflater = null;
    }
}
