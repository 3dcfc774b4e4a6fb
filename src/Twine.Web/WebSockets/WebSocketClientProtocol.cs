using System.Text;
using Twine.Defer;
using Twine.Web.Http;
using Twine.Web.Server;

namespace Twine.Web.WebSockets;

/// <summary>
/// The client side of a WebSocket connection (Autobahn's <c>WebSocketClientProtocol</c>): sends the opening handshake
/// for its factory's URL, checks the server's 101, calls <see cref="OnConnect"/> and then the
/// <see cref="WebSocketProtocol"/> callbacks. Frames it sends are masked.
/// </summary>
/// <example>
/// <code>
/// sealed class Hello : WebSocketClientProtocol
/// {
///     public override Deferred? OnOpen() { SendMessage("hello"); return null; }
///     public override Deferred? OnMessage(byte[] payload, bool isBinary) { Console.WriteLine(Encoding.UTF8.GetString(payload)); SendClose(); return null; }
/// }
/// var hello = await WebSocket.Connect(reactor, "ws://127.0.0.1:9000/", () =&gt; new Hello());
/// </code>
/// </example>
public abstract class WebSocketClientProtocol : WebSocketProtocol
{
    private Uri? _url;
    private IReadOnlyList<string> _protocols = [];
    private IReadOnlyDictionary<string, string>? _headers;
    private string _key = "";
    private ResponseHeadParser? _parser;
    private InputBuffer? _input;
    private Deferred<WebSocketClientProtocol>? _opened;

    /// <summary>Creates the protocol; a <see cref="WebSocketClientFactory"/> configures it.</summary>
    protected WebSocketClientProtocol() => IsServer = false;

    /// <summary>The server's handshake answer: the subprotocol is known, messages cannot be sent yet (OnOpen follows).</summary>
    public virtual void OnConnect(ConnectionResponse response) { }

    internal void SetTarget(Uri url, IReadOnlyList<string> protocols, IReadOnlyDictionary<string, string>? headers)
    {
        _url = url;
        _protocols = protocols;
        _headers = headers;
    }

    /// <summary>Fires with this protocol once the connection is open, or fails with the handshake's error.</summary>
    internal Deferred<WebSocketClientProtocol> Opened => _opened ??= new Deferred<WebSocketClientProtocol>();

    private protected override void HandshakeStarted()
    {
        var url = _url ?? throw new InvalidOperationException($"{GetType().Name} has no URL: build it with a WebSocketClientFactory.");
        _key = HandshakeKeys.NewKey();
        _parser = new ResponseHeadParser(8 * 1024, 64 * 1024, 100);
        _input = new InputBuffer();
        bool defaultPort = url.IsDefaultPort;
        var request = new StringBuilder(256);
        request.Append("GET ").Append(string.IsNullOrEmpty(url.PathAndQuery) ? "/" : url.PathAndQuery).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(url.IdnHost.Contains(':') ? $"[{url.IdnHost}]" : url.IdnHost);
        if (!defaultPort) request.Append(':').Append(url.Port);
        request.Append("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ").Append(_key)
            .Append("\r\nSec-WebSocket-Version: 13\r\n");
        if (_protocols.Count > 0) request.Append("Sec-WebSocket-Protocol: ").Append(string.Join(", ", _protocols)).Append("\r\n");
        if (Options.PerMessageDeflate) request.Append("Sec-WebSocket-Extensions: ").Append(DeflateParameters.ClientOffer(Options)).Append("\r\n");
        if (_headers is not null)
        {
            foreach (var (name, value) in _headers)
            {
                if (name.AsSpan().IndexOfAny("\r\n:") >= 0 || value.AsSpan().IndexOfAny("\r\n") >= 0)
                    throw new ArgumentException($"The header field '{name}' cannot be sent.");
                request.Append(name).Append(": ").Append(value).Append("\r\n");
            }
        }
        request.Append("\r\n");
        Transport.Write(Encoding.Latin1.GetBytes(request.ToString()));
    }

    private protected override void HandshakeDataReceived(ReadOnlySpan<byte> data)
    {
        if (_input is null || _parser is null) return;
        _input.Append(data);
        ResponseHead? head;
        int used;
        try
        {
            head = _parser.TryParse(_input.Span, "GET", out used);
        }
        catch (HttpParseException e)
        {
            HandshakeFailed(new WebSocketHandshakeException("The server's handshake response is malformed: " + e.Message));
            return;
        }
        if (head is null) return;
        _input.Consume(used);
        DeflateParameters? deflate;
        try
        {
            deflate = CheckResponse(head);
        }
        catch (WebSocketHandshakeException e)
        {
            HandshakeFailed(e);
            return;
        }
        var rest = _input.Span.ToArray();
        _input = null;
        _parser = null;
        OnConnect(new ConnectionResponse(head.Headers, Subprotocol));
        Open(deflate, []);
        if (State == WebSocketState.Open) _opened?.Callback(this);
        if (rest.Length > 0) DataReceived(rest);
    }

    private DeflateParameters? CheckResponse(ResponseHead head)
    {
        if (head.Code != 101)
            throw new WebSocketHandshakeException($"The server answered {head.Code} {HttpStatus.ReasonPhrase(head.Code)} instead of 101.", head.Code);
        var headers = head.Headers;
        if (!HeaderTokens.Contains(headers.GetAll("Upgrade"), "websocket"))
            throw new WebSocketHandshakeException("The 101 response does not upgrade to websocket.", 101);
        if (!HeaderTokens.Contains(headers.GetAll("Connection"), "upgrade"))
            throw new WebSocketHandshakeException("The 101 response's Connection field does not list 'upgrade'.", 101);
        var accept = headers.GetAll("Sec-WebSocket-Accept");
        if (accept.Count != 1 || accept[0].Trim() != HandshakeKeys.Accept(_key))
            throw new WebSocketHandshakeException("Sec-WebSocket-Accept does not match the key sent.", 101);
        var protocols = headers.GetAll("Sec-WebSocket-Protocol");
        if (protocols.Count > 1) throw new WebSocketHandshakeException("The server chose more than one subprotocol.", 101);
        if (protocols.Count == 1)
        {
            var chosen = protocols[0].Trim();
            if (!_protocols.Contains(chosen)) throw new WebSocketHandshakeException($"The server chose the subprotocol '{chosen}', which was not offered.", 101);
            Subprotocol = chosen;
        }
        var extensions = ExtensionOffer.ParseAll(headers.GetAll("Sec-WebSocket-Extensions"))
            ?? throw new WebSocketHandshakeException("The server's Sec-WebSocket-Extensions is malformed.", 101);
        DeflateParameters? deflate = null;
        foreach (var extension in extensions)
        {
            if (extension.Name != DeflateParameters.Name || !Options.PerMessageDeflate)
                throw new WebSocketHandshakeException($"The server enabled the extension '{extension.Name}', which was not offered.", 101);
            if (deflate is not null) throw new WebSocketHandshakeException("The server enabled permessage-deflate twice.", 101);
            deflate = DeflateParameters.FromResponse(extension, Options);
        }
        return deflate;
    }

    private void HandshakeFailed(WebSocketHandshakeException error)
    {
        _input = null;
        _parser = null;
        var opened = _opened;
        _opened = null;
        Transport.AbortConnection();
        opened?.Errback(new Failure(error));
    }

    private protected override void HandshakeTimedOut()
    {
        var opened = _opened;
        _opened = null;
        base.HandshakeTimedOut();
        opened?.Errback(new Failure(new WebSocketHandshakeException($"The handshake did not complete within {Options.HandshakeTimeout.TotalSeconds:0.###} s.")));
    }

    private protected override void HandshakeLost(Failure reason)
    {
        var opened = _opened;
        _opened = null;
        opened?.Errback(new Failure(new WebSocketHandshakeException("The connection closed before the handshake completed: " + reason.GetErrorMessage())));
    }
}
