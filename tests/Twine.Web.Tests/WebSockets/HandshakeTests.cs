using System.Text;
using Twine.Defer;
using Twine.Testing;
using Twine.Time;
using Twine.Web.WebSockets;

namespace Twine.Web.Tests.WebSockets;

/// <summary>WS1, WS11, WS12: the server's opening handshake, standalone and as a resource in a Site sharing the port with HTTP.</summary>
public class HandshakeTests
{
    [Fact]
    public void TheRfcSampleKeyGetsTheRfcSampleAccept()
    {
        var h = new ServerHarness();
        Assert.StartsWith("HTTP/1.1 101 Switching Protocols\r\n", h.HandshakeResponse);
        Assert.Contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n", h.HandshakeResponse);
        Assert.Contains("Upgrade: websocket\r\n", h.HandshakeResponse);
        Assert.EndsWith("\r\n\r\n", h.HandshakeResponse);
        Assert.Equal(1, h.Protocol.Opens);
        Assert.Equal("/chat", h.Protocol.Request!.Path);
    }

    [Fact]
    public void TheFirstOfferedSubprotocolTheFactoryListsIsChosen()
    {
        var h = new ServerHarness(extraHeaders: "Sec-WebSocket-Protocol: unknown, superchat, chat\r\n");
        Assert.Contains("Sec-WebSocket-Protocol: superchat\r\n", h.HandshakeResponse);
        Assert.Equal("superchat", h.Protocol.Subprotocol);
        Assert.Equal(["unknown", "superchat", "chat"], h.Protocol.Request!.Protocols);
    }

    [Fact]
    public void OnConnectCanDenyWithAnHttpStatus()
    {
        var h = new ServerHarness(setup: p => p.Decide = _ => throw new ConnectionDeniedException(403, "Not you."));
        Assert.StartsWith("HTTP/1.1 403 Forbidden\r\n", h.HandshakeResponse);
        Assert.Contains("Not you.", h.HandshakeResponse);
        Assert.True(h.Transport.Disconnecting);
        Assert.Equal(0, h.Protocol.Opens);
    }

    [Fact]
    public void OnConnectCanDecideLaterWithADeferred()
    {
        var later = new Deferred<ConnectionAccept>();
        var h = new ServerHarness(extraHeaders: "Sec-WebSocket-Protocol: chat\r\n", setup: p => p.Decide = _ => later);
        Assert.Equal("", h.HandshakeResponse);
        // A frame the client sends early waits for the decision.
        h.Send(WireFrames.Text("early"));
        later.Callback(new ConnectionAccept("chat", new Dictionary<string, string> { ["X-Decided"] = "later" }));
        var written = h.Transport.ValueAsString();
        Assert.StartsWith("HTTP/1.1 101", written);
        Assert.Contains("X-Decided: later\r\n", written);
        Assert.Equal(["open", "text:early"], h.Protocol.Events);
    }

    [Fact]
    public void ChoosingASubprotocolTheClientDidNotOfferIsAServerError()
    {
        var h = new ServerHarness(setup: p => p.Decide = _ => new ConnectionAccept("other"));
        Assert.StartsWith("HTTP/1.1 500", h.HandshakeResponse);
    }

    [Theory]
    [InlineData("POST /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nContent-Length: 0\r\n\r\n", 405)]
    [InlineData("GET /chat HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n", 426)]
    [InlineData("GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n", 400)]
    [InlineData("GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n", 426)]
    [InlineData("GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n", 400)]
    [InlineData("GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: c2hvcnQ=\r\nSec-WebSocket-Version: 13\r\n\r\n", 400)]
    [InlineData("GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Extensions: permessage-deflate; =x\r\n\r\n", 400)]
    [InlineData("GET /chat HTTP/1.0\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n", 400)]
    [InlineData("GARBAGE\r\n\r\n", 400)]
    public void ABadHandshakeIsRefusedWithAClearStatus(string request, int status)
    {
        var h = new ServerHarness(handshake: false);
        h.Send(Encoding.ASCII.GetBytes(request));
        var response = h.Transport.ValueAsString();
        Assert.StartsWith($"HTTP/1.1 {status} ", response);
        if (status == 426) Assert.Contains("Sec-WebSocket-Version: 13\r\n", response);
        Assert.True(h.Transport.Disconnecting);
        Assert.Equal(0, h.Protocol.Opens);
    }

    [Fact]
    public void FramesThatArriveWithTheHandshakeAreProcessedAfterIt()
    {
        var h = new ServerHarness(handshake: false);
        h.Send(WireFrames.Concat(ServerHarness.Request(), WireFrames.Text("right behind")));
        Assert.Equal(["open", "text:right behind"], h.Protocol.Events);
    }

    // ---- inside a Site ----

    private sealed class Hello : Resource
    {
        public override bool IsLeaf => true;
        protected override RenderResult RenderGet(Request request) => "hello over http";
    }

    private static (Site Site, Clock Clock, List<RecordingServer> Servers) SiteWithWebSocket(Func<RecordingServer>? build = null)
    {
        var clock = new Clock();
        var servers = new List<RecordingServer>();
        var root = new Resource();
        root.PutChild("hello", new Hello());
        root.PutChild("ws", new WebSocketResource(new WebSocketServerFactory(clock, () =>
        {
            var s = build?.Invoke() ?? new RecordingServer();
            servers.Add(s);
            return s;
        }) { Subprotocols = ["chat"] }));
        return (new Site(root, clock) { LogRequests = false }, clock, servers);
    }

    [Fact]
    public void AWebSocketResourceUpgradesTheConnectionAndHttpKeepsWorkingBeforeIt()
    {
        var (site, _, servers) = SiteWithWebSocket();
        var transport = new MemoryTransport();
        var http = site.BuildProtocol(transport.Peer)!;
        http.MakeConnection(transport);
        http.DataReceived("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"u8);
        Assert.Contains("hello over http", transport.ValueAsString());
        transport.Clear();
        // The handshake, with a frame right behind it in the same segment.
        http.DataReceived(WireFrames.Concat(ServerHarness.Request("Sec-WebSocket-Protocol: chat\r\n", "/ws"), WireFrames.Text("first")));
        var server = Assert.Single(servers);
        var written = transport.ValueAsString();
        Assert.StartsWith("HTTP/1.1 101 Switching Protocols\r\n", written);
        Assert.Contains("Sec-WebSocket-Protocol: chat\r\n", written);
        Assert.Equal(["open", "text:first"], server.Events);
        transport.Clear();
        http.DataReceived(WireFrames.Text("second"));
        Assert.Equal("second", Assert.Single(WireFrames.Parse(transport.Value())).Text);
        http.DataReceived(WireFrames.Close(1000));
        Assert.True(transport.Disconnecting);
        http.ConnectionLost(new Failure(new Twine.Net.ConnectionDoneException()));
        Assert.Equal((true, 1000, (string?)""), server.Closed);
    }

    [Fact]
    public void APlainGetOnTheWebSocketResourceGets426AndTheConnectionStaysHttp()
    {
        var (site, _, servers) = SiteWithWebSocket();
        var transport = new MemoryTransport();
        var http = site.BuildProtocol(transport.Peer)!;
        http.MakeConnection(transport);
        http.DataReceived("GET /ws HTTP/1.1\r\nHost: x\r\n\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n"u8);
        var text = transport.ValueAsString();
        Assert.StartsWith("HTTP/1.1 426 Upgrade Required\r\n", text);
        Assert.Contains("hello over http", text);
        Assert.Empty(servers);
    }

    [Fact]
    public void ADeniedHandshakeInASiteIsAnHttpResponse()
    {
        var (site, _, _) = SiteWithWebSocket(() => new RecordingServer { Decide = _ => throw new ConnectionDeniedException(401, "Log in first.") });
        var transport = new MemoryTransport();
        var http = site.BuildProtocol(transport.Peer)!;
        http.MakeConnection(transport);
        http.DataReceived(ServerHarness.Request(path: "/ws"));
        var text = transport.ValueAsString();
        Assert.StartsWith("HTTP/1.1 401 Unauthorized\r\n", text);
        Assert.Contains("Log in first.", text);
    }

    [Fact]
    public void AnAsyncDecisionInASiteHoldsLaterBytesForTheWebSocket()
    {
        var later = new Deferred<ConnectionAccept>();
        var (site, _, servers) = SiteWithWebSocket(() => new RecordingServer { Decide = _ => later });
        var transport = new MemoryTransport();
        var http = site.BuildProtocol(transport.Peer)!;
        http.MakeConnection(transport);
        http.DataReceived(ServerHarness.Request(path: "/ws"));
        http.DataReceived(WireFrames.Text("early"));     // not HTTP: must not be parsed as a request
        Assert.Equal("", transport.ValueAsString());
        later.Callback(ConnectionAccept.Default);
        Assert.StartsWith("HTTP/1.1 101", transport.ValueAsString());
        Assert.Equal(["open", "text:early"], Assert.Single(servers).Events);
    }
}
