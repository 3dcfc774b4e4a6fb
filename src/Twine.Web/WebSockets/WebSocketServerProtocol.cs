using System.Text;
using Twine.Defer;
using Twine.Logging;
using Twine.Web.Http;
using Twine.Web.Server;

namespace Twine.Web.WebSockets;

/// <summary>
/// The server side of a WebSocket connection (Autobahn's <c>WebSocketServerProtocol</c>): <see cref="OnConnect"/>
/// sees the client's handshake and accepts it (choosing a subprotocol) or denies it with an HTTP status; then the
/// <see cref="WebSocketProtocol"/> callbacks run. It reads the handshake itself when built by a
/// <see cref="WebSocketServerFactory"/> on its own port, or gets it from a <see cref="WebSocketResource"/> inside a
/// <see cref="Site"/>.
/// </summary>
/// <example>
/// <code>
/// sealed class Chat : WebSocketServerProtocol
/// {
///     public override ConnectDecision OnConnect(ConnectionRequest request) =&gt; new ConnectionAccept("chat.v1");
///     public override Deferred? OnMessage(byte[] payload, bool isBinary) { SendMessage(payload, isBinary); return null; }
/// }
/// WebSocket.Listen(reactor, "tcp:9000", new WebSocketServerFactory(reactor, () =&gt; new Chat()));
/// </code>
/// </example>
public abstract class WebSocketServerProtocol : WebSocketProtocol
{
    private RequestHeadParser? _parser;
    private InputBuffer? _input;
    private IReadOnlyList<string> _subprotocols = [];
    private DeflateParameters? _accepted;     // set when a resource did the handshake: MakeConnection opens at once
    private bool _preAccepted;
    private bool _deciding;

    /// <summary>Creates the protocol; a factory configures it.</summary>
    protected WebSocketServerProtocol() => IsServer = true;

    /// <summary>The client's handshake, once it arrived.</summary>
    public ConnectionRequest? Request { get; private set; }

    /// <summary>
    /// Decides about a handshake: return a <see cref="ConnectionAccept"/> (or a Deferred of one), or throw
    /// <see cref="ConnectionDeniedException"/>. The default accepts, choosing the first subprotocol the client offers
    /// that the factory lists in <see cref="WebSocketServerFactory.Subprotocols"/>.
    /// </summary>
    public virtual ConnectDecision OnConnect(ConnectionRequest request)
    {
        foreach (var offered in request.Protocols)
        {
            if (_subprotocols.Contains(offered)) return new ConnectionAccept(offered);
        }
        return ConnectionAccept.Default;
    }

    internal void SetSubprotocols(IReadOnlyList<string> subprotocols) => _subprotocols = subprotocols;

    private protected override void HandshakeStarted()
    {
        if (_preAccepted)
        {
            Open(_accepted, []);
            return;
        }
        _parser = new RequestHeadParser(8 * 1024, 64 * 1024, 100);
        _input = new InputBuffer();
    }

    private protected override void HandshakeDataReceived(ReadOnlySpan<byte> data)
    {
        if (_input is null || _parser is null) return;
        _input.Append(data);
        if (_deciding) return;          // OnConnect is still deciding; bytes after the request wait for the 101
        RequestHead? head;
        int used;
        try
        {
            head = _parser.TryParse(_input.Span, out used);
        }
        catch (HttpParseException e)
        {
            Deny(e.StatusCode, e.Message);
            return;
        }
        if (head is null) return;
        _input.Consume(used);
        ConnectionRequest request;
        try
        {
            var target = Encoding.Latin1.GetString(head.Raw, head.Line.TargetStart, head.Line.TargetLength);
            request = ConnectionRequest.FromHead(Transport.Peer, head.Line.Method, head.IsHttp10, target, head.Headers);
        }
        catch (WebSocketHandshakeException e)
        {
            Deny(e.StatusCode ?? 400, e.Message);
            return;
        }
        RunDecision(request, accept: (self, response, deflate) =>
        {
            self.Transport.Write(response);
            var rest = self._input!.Span.ToArray();
            self._input = null;
            self._parser = null;
            self.Open(deflate, rest);
        }, deny: (self, status, reason) => self.Deny(status, reason));
    }

    /// <summary>
    /// Runs <see cref="OnConnect"/> for <paramref name="request"/> and calls <paramref name="accept"/> with the 101
    /// head and the agreed compression, or <paramref name="deny"/> with a status and reason.
    /// </summary>
    internal void RunDecision(ConnectionRequest request, Action<WebSocketServerProtocol, byte[], DeflateParameters?> accept,
        Action<WebSocketServerProtocol, int, string> deny)
    {
        Request = request;
        ConnectDecision decision;
        try
        {
            decision = OnConnect(request);
        }
        catch (Exception e)
        {
            Denied(e, deny);
            return;
        }
        if (decision.Now is { } now)
        {
            Accepted(now, accept, deny);
            return;
        }
        if (decision.Later is null)
        {
            deny(this, 500, "OnConnect returned no decision.");
            return;
        }
        _deciding = true;
        decision.Later.AddCallbacks(
            a =>
            {
                _deciding = false;
                if (State == WebSocketState.Connecting && TransportIsUp) Accepted(a, accept, deny);
            },
            f =>
            {
                _deciding = false;
                if (State == WebSocketState.Connecting && TransportIsUp) Denied(f.Value, deny);
            });
    }

    private bool TransportIsUp => !_lost;
    private bool _lost;

    private void Accepted(ConnectionAccept accept, Action<WebSocketServerProtocol, byte[], DeflateParameters?> onAccept,
        Action<WebSocketServerProtocol, int, string> onDeny)
    {
        var request = Request!;
        if (accept.Subprotocol is { } chosen && !request.Protocols.Contains(chosen))
        {
            Log.Error($"{GetType().Name}.OnConnect chose the subprotocol '{chosen}', which the client did not offer.");
            onDeny(this, 500, "The server chose a subprotocol the client did not offer.");
            return;
        }
        Subprotocol = accept.Subprotocol;
        var deflate = Options.PerMessageDeflate ? DeflateParameters.Accept(request.Extensions, Options) : null;
        var head = new StringBuilder(256);
        head.Append("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ")
            .Append(HandshakeKeys.Accept(request.Key)).Append("\r\n");
        if (accept.Subprotocol is not null) head.Append("Sec-WebSocket-Protocol: ").Append(accept.Subprotocol).Append("\r\n");
        if (deflate is not null) head.Append("Sec-WebSocket-Extensions: ").Append(deflate.ResponseHeader).Append("\r\n");
        if (accept.Headers is not null)
        {
            foreach (var (name, value) in accept.Headers)
            {
                if (name.AsSpan().IndexOfAny("\r\n:") >= 0 || value.AsSpan().IndexOfAny("\r\n") >= 0)
                    throw new ArgumentException($"The header field '{name}' cannot be sent.");
                head.Append(name).Append(": ").Append(value).Append("\r\n");
            }
        }
        head.Append("\r\n");
        onAccept(this, Encoding.Latin1.GetBytes(head.ToString()), deflate);
    }

    private void Denied(Exception e, Action<WebSocketServerProtocol, int, string> deny)
    {
        if (e is ConnectionDeniedException denied)
        {
            deny(this, denied.StatusCode, denied.Message);
            return;
        }
        Log.Error($"{GetType().Name}.OnConnect failed", e);
        deny(this, 500, "The server failed to decide about the connection.");
    }

    /// <summary>Used by <see cref="WebSocketResource"/>: the 101 is sent through the HTTP request, so the connection opens as soon as it is made.</summary>
    internal void PrepareAccepted(DeflateParameters? deflate)
    {
        _preAccepted = true;
        _accepted = deflate;
    }

    private void Deny(int status, string reason)
    {
        var body = Encoding.UTF8.GetBytes($"{status} {HttpStatus.ReasonPhrase(status)}: {reason}\n");
        var head = $"HTTP/1.1 {status} {HttpStatus.ReasonPhrase(status)}\r\nContent-Type: text/plain; charset=utf-8\r\n" +
                   (status == 426 ? "Sec-WebSocket-Version: 13\r\nUpgrade: websocket\r\n" : "") +
                   $"Content-Length: {body.Length}\r\nConnection: close\r\n\r\n";
        _input = null;
        _parser = null;
        Transport.Write(Encoding.Latin1.GetBytes(head));
        Transport.Write(body);
        Transport.LoseConnection();
    }

    private protected override void HandshakeLost(Failure reason) => _lost = true;
}
