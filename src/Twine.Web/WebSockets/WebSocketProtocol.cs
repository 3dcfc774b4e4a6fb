using System.Text;
using Twine.Defer;
using Twine.Logging;
using Twine.Net;
using Twine.Time;

namespace Twine.Web.WebSockets;

/// <summary>
/// A WebSocket connection once it is open (RFC 6455), in Autobahn's shape: override <see cref="OnOpen"/>,
/// <see cref="OnMessage"/> and <see cref="OnClose"/>, and talk with <see cref="SendMessage(ReadOnlySpan{byte}, bool)"/>
/// and <see cref="SendClose"/>. <see cref="WebSocketServerProtocol"/> and <see cref="WebSocketClientProtocol"/> add the
/// two sides of the opening handshake.
/// </summary>
/// <remarks>
/// <para>Pings are answered automatically; control frames may arrive between the fragments of a message. Every
/// protocol violation fails the connection with the matching close code (1002, 1007, 1009) and affects nothing else.</para>
/// <para>For messages too large to hold, override <see cref="OnMessageBegin"/>, <see cref="OnMessageData"/> and
/// <see cref="OnMessageEnd"/> (the defaults gather the pieces and call <see cref="OnMessage"/>), and send with
/// <see cref="BeginMessage"/>, <see cref="SendMessageData"/> and <see cref="EndMessage"/>.</para>
/// <para>The <c>Deferred?</c> callbacks may be <c>async Deferred</c> methods; a failure they end with is logged.</para>
/// </remarks>
/// <example>
/// <code>
/// sealed class Echo : WebSocketServerProtocol
/// {
///     public override Deferred? OnMessage(byte[] payload, bool isBinary)
///     {
///         SendMessage(payload, isBinary);
///         return null;
///     }
/// }
/// </code>
/// </example>
public abstract partial class WebSocketProtocol : IProtocol
{
    private ITransport? _transport;
    private IReactorTime? _time;
    private WebSocketOptions _options = WebSocketOptions.Default;
    private FrameDecoder? _decoder;
    private bool _closeSent;
    private bool _closeReceived;
    private bool _failed;
    private int _localCloseCode = WebSocketCloseCode.Abnormal;
    private string? _localCloseReason;
    private int? _remoteCloseCode;
    private string? _remoteCloseReason;
    private IDelayedCall? _timer;          // the handshake timeout, then the closing-handshake timeout

    /// <summary>Set by the handshake code of the subclasses.</summary>
    private protected bool IsServer { get; init; }

    /// <summary>The transport, once connected.</summary>
    /// <exception cref="InvalidOperationException">Not connected yet.</exception>
    public ITransport Transport => _transport ?? throw new InvalidOperationException($"{GetType().Name} is not connected yet.");

    /// <summary>The reactor time the timeouts run on (the factory's).</summary>
    public IReactorTime Time => _time ?? throw new InvalidOperationException($"{GetType().Name} has no reactor time: build it with a WebSocket factory.");

    /// <summary>The limits and extensions in force (the factory's).</summary>
    public WebSocketOptions Options => _options;

    /// <summary>The factory that built this protocol, if any.</summary>
    public IProtocolFactory? Factory { get; set; }

    /// <summary>Where the connection is in its life.</summary>
    public WebSocketState State { get; private set; } = WebSocketState.Connecting;

    /// <summary>The subprotocol agreed in the handshake, or null.</summary>
    public string? Subprotocol { get; private protected set; }

    /// <summary>True when permessage-deflate was agreed.</summary>
    public bool IsCompressed => _deflateParameters is not null;

    /// <summary>Sets the reactor time and options; factories call this before the connection is made.</summary>
    internal void Configure(IReactorTime time, WebSocketOptions options)
    {
        _time = time;
        _options = options;
    }

    /// <inheritdoc/>
    public void MakeConnection(ITransport transport)
    {
        ArgumentNullException.ThrowIfNull(transport);
        _transport = transport;
        if (_time is not null) _timer = _time.CallLater(_options.HandshakeTimeout, static self => self.HandshakeTimedOut(), this);
        HandshakeStarted();
    }

    /// <inheritdoc/>
    public void DataReceived(ReadOnlySpan<byte> data)
    {
        if (State == WebSocketState.Connecting)
        {
            HandshakeDataReceived(data);
            return;
        }
        ReceiveFrames(data);
    }

    /// <inheritdoc/>
    public void ConnectionLost(Failure reason)
    {
        if (State == WebSocketState.Closed) return;
        var was = State;
        State = WebSocketState.Closed;
        CancelTimer();
        StopKeepAlive();
        ReleaseCompression();
        if (was == WebSocketState.Connecting)
        {
            HandshakeLost(reason);
            return;
        }
        bool clean = _closeSent && _closeReceived && !_failed;
        int code;
        string? text;
        if (_failed)
        {
            code = _localCloseCode;
            text = _localCloseReason;
        }
        else if (_closeReceived)
        {
            code = _remoteCloseCode ?? WebSocketCloseCode.NoStatus;
            text = _remoteCloseReason;
        }
        else
        {
            code = WebSocketCloseCode.Abnormal;
            text = reason.GetErrorMessage();
        }
        try
        {
            OnClose(clean, code, text);
        }
        catch (Exception e)
        {
            Log.Error($"{GetType().Name}.OnClose failed", e);
        }
    }

    // ---- the callbacks -------------------------------------------------------------------------------------------

    /// <summary>The connection is open: messages can be sent. Return an <c>async Deferred</c> or null.</summary>
    public virtual Deferred? OnOpen() => null;

    /// <summary>A whole message arrived (text messages are valid UTF-8). Return an <c>async Deferred</c> or null.</summary>
    public virtual Deferred? OnMessage(byte[] payload, bool isBinary) => null;

    /// <summary>
    /// The connection is gone. <paramref name="wasClean"/> is true when both close frames were exchanged;
    /// <paramref name="code"/> is the peer's close code (1005 when its frame had none, 1006 when there was no close
    /// frame), or the code this side failed the connection with.
    /// </summary>
    public virtual void OnClose(bool wasClean, int code, string? reason) { }

    /// <summary>A ping arrived (it is answered with a pong before this is called).</summary>
    public virtual void OnPing(ReadOnlySpan<byte> payload) { }

    /// <summary>A pong arrived.</summary>
    public virtual void OnPong(ReadOnlySpan<byte> payload) { }

    // ---- handshake hooks for the two sides -------------------------------------------------------------------------

    private protected abstract void HandshakeStarted();

    private protected abstract void HandshakeDataReceived(ReadOnlySpan<byte> data);

    private protected abstract void HandshakeLost(Failure reason);

    private protected virtual void HandshakeTimedOut()
    {
        _timer = null;
        if (State == WebSocketState.Connecting) Transport.AbortConnection();
    }

    /// <summary>The handshake is done: frames flow from here, starting with <paramref name="leftover"/>.</summary>
    private protected void Open(DeflateParameters? deflate, ReadOnlySpan<byte> leftover)
    {
        CancelTimer();
        State = WebSocketState.Open;
        _decoder = new FrameDecoder(expectMasked: IsServer) { MaxFrameSize = _options.MaxFrameSize };
        if (deflate is not null)
        {
            _deflateParameters = deflate;
            _decoder.AllowedRsv = 0x4;
        }
        StartKeepAlive();
        Report(OnOpen, nameof(OnOpen));
        if (!leftover.IsEmpty && State == WebSocketState.Open) ReceiveFrames(leftover);
    }

    /// <summary>Calls a user callback that may return a Deferred, logging an exception or a failure it ends with.</summary>
    private protected void Report(Func<Deferred?> callback, string name)
    {
        Deferred? d;
        try
        {
            d = callback();
        }
        catch (WebSocketProtocolException)
        {
            throw;
        }
        catch (Exception e)
        {
            Log.Error($"{GetType().Name}.{name} failed", e);
            return;
        }
        d?.AddErrback(f => Log.Error($"{GetType().Name}.{name} failed", f));
    }

    // ---- closing ---------------------------------------------------------------------------------------------------

    /// <summary>
    /// Starts the closing handshake (or answers the peer's): sends a close frame with <paramref name="code"/> (1000 or
    /// 3000–4999; null sends none) and <paramref name="reason"/> (at most 123 UTF-8 bytes). Does nothing once a close
    /// frame was sent.
    /// </summary>
    /// <exception cref="ArgumentException">A code an application may not send, a reason without a code, or a reason too long.</exception>
    public void SendClose(int? code = WebSocketCloseCode.Normal, string? reason = null)
    {
        if (code is { } c && c != WebSocketCloseCode.Normal && c is not (>= 3000 and <= 4999))
            throw new ArgumentException($"An application may close with 1000 or 3000-4999, not {c}.", nameof(code));
        if (reason is not null && code is null) throw new ArgumentException("A close reason needs a close code.", nameof(reason));
        if (reason is not null && Encoding.UTF8.GetByteCount(reason) > 123) throw new ArgumentException("A close reason is at most 123 UTF-8 bytes.", nameof(reason));
        if (State == WebSocketState.Connecting)
        {
            // Nothing to close gracefully yet: drop the connection (Autobahn does the same).
            Transport.AbortConnection();
            return;
        }
        SendCloseFrame(code, reason);
    }

    private void SendCloseFrame(int? code, string? reason)
    {
        if (_closeSent || State == WebSocketState.Closed) return;
        _closeSent = true;
        Span<byte> payload = stackalloc byte[125];
        int length = 0;
        if (code is { } c)
        {
            payload[0] = (byte)(c >> 8);
            payload[1] = (byte)c;
            length = 2;
            if (reason is not null) length += Encoding.UTF8.GetBytes(reason, payload[2..]);
        }
        WriteFrame(WebSocketOpcode.Close, fin: true, compressed: false, payload[..length]);
        if (_closeReceived)
        {
            FinishClosingHandshake();
            return;
        }
        State = WebSocketState.Closing;
        ArmCloseTimer();
    }

    /// <summary>Both close frames are out: a server closes TCP now; a client gives the server time to do it first (RFC 6455 §7.1.1).</summary>
    private void FinishClosingHandshake()
    {
        State = WebSocketState.Closing;
        if (IsServer) Transport.LoseConnection();
        else ArmCloseTimer();
    }

    private void ArmCloseTimer()
    {
        if (_time is null) return;
        CancelTimer();
        _timer = _time.CallLater(_options.CloseTimeout, static self =>
        {
            self._timer = null;
            if (self.State != WebSocketState.Closed) self.Transport.AbortConnection();
        }, this);
    }

    /// <summary>Fails the connection (RFC 6455 §7.1.7): a close frame with <paramref name="code"/> if none was sent yet, then the TCP close.</summary>
    private protected void FailConnection(int code, string reason)
    {
        if (State == WebSocketState.Closed || _failed) return;
        _failed = true;
        _localCloseCode = code;
        _localCloseReason = reason;
        if (State != WebSocketState.Connecting && !_closeSent)
        {
            _closeSent = true;
            Span<byte> payload = stackalloc byte[2 + 123];
            payload[0] = (byte)(code >> 8);
            payload[1] = (byte)code;
            int n = 2 + Utf8Prefix(reason, payload[2..]);
            WriteFrame(WebSocketOpcode.Close, fin: true, compressed: false, payload[..n]);
        }
        State = WebSocketState.Closing;
        Transport.LoseConnection();
        ArmCloseTimer();         // LoseConnection waits for the send buffer to drain; a peer that never reads is cut off
    }

    /// <summary>Encodes as much of <paramref name="text"/> as fits, never splitting a character.</summary>
    private static int Utf8Prefix(string text, Span<byte> into)
    {
        int chars = text.Length;
        while (Encoding.UTF8.GetByteCount(text.AsSpan(0, chars)) > into.Length) chars--;
        if (chars > 0 && char.IsHighSurrogate(text[chars - 1])) chars--;
        return Encoding.UTF8.GetBytes(text.AsSpan(0, chars), into);
    }

    private void CancelTimer()
    {
        if (_timer is { IsActive: true } t) t.Cancel();
        _timer = null;
    }
}
