using System.Buffers;
using System.Text;
using Twine.Logging;

namespace Twine.Web.WebSockets;

// Receiving: the frame decoder's events become messages (decompressed, UTF-8 checked, size limited) and control frames.
public abstract partial class WebSocketProtocol : IFrameHandler
{
    private DeflateParameters? _deflateParameters;
    private MessageInflater? _inflater;
    private FrameHeader _frame;
    private bool _messageBinary;
    private bool _messageCompressed;
    private long _messageLength;
    private Utf8Validator _utf8;
    private readonly byte[] _control = new byte[125];
    private int _controlLength;
    private bool _stopReading;
    private ArrayBufferWriter<byte>? _gathered;

    private void ReceiveFrames(ReadOnlySpan<byte> data)
    {
        if (_decoder is null || _stopReading || State == WebSocketState.Closed) return;
        _heard = true;
        try
        {
            _decoder.Decode(data, this, ref _stopReading);
        }
        catch (WebSocketProtocolException e)
        {
            _stopReading = true;
            FailConnection(e.CloseCode, e.Message);
        }
        catch (Exception e)
        {
            // A callback threw: this connection cannot go on, but nothing else is affected.
            _stopReading = true;
            Log.Error($"{GetType().Name}: a message callback failed", e);
            FailConnection(WebSocketCloseCode.InternalError, "Internal error.");
        }
    }

    void IFrameHandler.FrameStarted(in FrameHeader header)
    {
        _frame = header;
        if (header.IsControl)
        {
            _controlLength = 0;
            return;
        }
        if (header.Opcode != WebSocketOpcode.Continuation)
        {
            _messageBinary = header.Opcode == WebSocketOpcode.Binary;
            _messageCompressed = header.Rsv1;
            _messageLength = 0;
            _utf8.Reset();
            OnMessageBegin(_messageBinary);
        }
    }

    void IFrameHandler.FramePayload(ReadOnlySpan<byte> payload)
    {
        if (_frame.IsControl)
        {
            payload.CopyTo(_control.AsSpan(_controlLength));
            _controlLength += payload.Length;
            return;
        }
        if (_stopReading) return;
        if (_messageCompressed)
        {
            _inflater ??= new MessageInflater();
            _inflater.Inflate(payload, final: false, this, static (self, piece) => self.Deliver(piece));
        }
        else
        {
            Deliver(payload);
        }
    }

    void IFrameHandler.FrameEnded()
    {
        if (_frame.IsControl)
        {
            ControlFrame(_frame.Opcode, _control.AsSpan(0, _controlLength));
            return;
        }
        if (!_frame.Fin || _stopReading) return;
        if (_messageCompressed) _inflater!.Inflate([], final: true, this, static (self, piece) => self.Deliver(piece));
        if (_stopReading) return;
        if (!_messageBinary && !_utf8.IsComplete)
            throw new WebSocketProtocolException(WebSocketCloseCode.InvalidPayload, "A text message ends inside a UTF-8 sequence.");
        OnMessageEnd();
    }

    /// <summary>One piece of a message's (decompressed) payload: limits, UTF-8, then the user.</summary>
    private bool Deliver(ReadOnlySpan<byte> piece)
    {
        _messageLength += piece.Length;
        if (_messageLength > _options.MaxMessageSize)
            throw new WebSocketProtocolException(WebSocketCloseCode.MessageTooBig, $"A message larger than the limit of {_options.MaxMessageSize} bytes.");
        if (!_messageBinary && !_utf8.Feed(piece))
            throw new WebSocketProtocolException(WebSocketCloseCode.InvalidPayload, "A text message that is not valid UTF-8.");
        if (!piece.IsEmpty) OnMessageData(piece);
        return !_stopReading;
    }

    private void ControlFrame(WebSocketOpcode opcode, ReadOnlySpan<byte> payload)
    {
        switch (opcode)
        {
            case WebSocketOpcode.Ping:
                if (!_closeSent) WriteFrame(WebSocketOpcode.Pong, fin: true, compressed: false, payload);
                OnPing(payload);
                break;
            case WebSocketOpcode.Pong:
                OnPong(payload);
                break;
            case WebSocketOpcode.Close:
                CloseFrame(payload);
                break;
        }
    }

    private void CloseFrame(ReadOnlySpan<byte> payload)
    {
        if (payload.Length == 1)
            throw new WebSocketProtocolException(WebSocketCloseCode.ProtocolError, "A close frame with a 1-byte payload.");
        int? code = null;
        string? reason = null;
        if (payload.Length >= 2)
        {
            int c = (payload[0] << 8) | payload[1];
            if (!WebSocketCloseCode.IsValidOnWire(c))
                throw new WebSocketProtocolException(WebSocketCloseCode.ProtocolError, $"The close code {c} may not be sent.");
            var validator = new Utf8Validator();
            if (!validator.Feed(payload[2..]) || !validator.IsComplete)
                throw new WebSocketProtocolException(WebSocketCloseCode.InvalidPayload, "A close reason that is not valid UTF-8.");
            code = c;
            reason = Encoding.UTF8.GetString(payload[2..]);
        }
        _closeReceived = true;
        _remoteCloseCode = code;
        _remoteCloseReason = reason;
        _stopReading = true;                 // nothing may follow a close frame
        if (_closeSent)
        {
            CancelTimer();
            FinishClosingHandshake();
        }
        else
        {
            // Echo the code, as RFC 6455 §5.5.1 suggests; a close without a code is answered without one.
            SendCloseFrame(code, null);
        }
    }

    // ---- streaming receive -------------------------------------------------------------------------------------

    /// <summary>A message starts. The default prepares to gather it for <see cref="OnMessage"/>.</summary>
    public virtual void OnMessageBegin(bool isBinary) => (_gathered ??= new ArrayBufferWriter<byte>()).ResetWrittenCount();

    /// <summary>
    /// The next piece of the current message's payload (decompressed; for text, valid UTF-8 so far), only valid during
    /// the call. The default gathers it.
    /// </summary>
    public virtual void OnMessageData(ReadOnlySpan<byte> data) => (_gathered ??= new ArrayBufferWriter<byte>()).Write(data);

    /// <summary>The current message is complete. The default calls <see cref="OnMessage"/> with the gathered payload.</summary>
    public virtual void OnMessageEnd()
    {
        var payload = _gathered is null ? [] : _gathered.WrittenSpan.ToArray();
        if (_gathered is { Capacity: > 1 << 20 }) _gathered = null;     // do not pin a big buffer for the next small messages
        else _gathered?.ResetWrittenCount();
        bool binary = _messageBinary;
        Report(() => OnMessage(payload, binary), nameof(OnMessage));
    }
}
