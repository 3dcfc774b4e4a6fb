using System.Text;
using System.Text.RegularExpressions;
using Twine.Testing;
using Twine.Time;
using Twine.Web.WebSockets;

namespace Twine.Web.Tests.WebSockets;

/// <summary>
/// The client side's share of WS3, WS8 and WS14 over a memory transport with a manual clock, and WS3's "nothing else
/// affected": a server connection that fails leaves its neighbours from the same factory working.
/// </summary>
public class ClientStrictnessTests
{
    /// <summary>A client protocol on a memory transport; the test plays the server.</summary>
    private sealed class ClientHarness
    {
        public ClientHarness(WebSocketOptions? options = null, bool answer = true, string extensions = "")
        {
            var factory = new WebSocketClientFactory(Clock, "ws://127.0.0.1:9000/chat", () => new RecordingClient(), options);
            Protocol = (RecordingClient)factory.Create();
            Opened = Protocol.Opened;
            Protocol.MakeConnection(Transport);
            var key = Regex.Match(Transport.ValueAsString(), "Sec-WebSocket-Key: (.+)\r\n").Groups[1].Value;
            Transport.Clear();
            if (answer)
            {
                Protocol.DataReceived(Encoding.ASCII.GetBytes(
                    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                    $"Sec-WebSocket-Accept: {HandshakeKeys.Accept(key)}\r\n{extensions}\r\n"));
                Assert.True(Protocol.IsOpened);
            }
        }

        public Clock Clock { get; } = new();
        public MemoryTransport Transport { get; } = new();
        public RecordingClient Protocol { get; }
        public Twine.Defer.Deferred<WebSocketClientProtocol> Opened { get; }

        public List<WireFrame> Written() => WireFrames.Parse(Transport.Value());

        public int FailedWith()
        {
            var close = Assert.Single(Written(), f => f.Opcode == 8);
            Assert.True(Transport.Disconnecting, "the client should be closing the connection");
            return close.CloseCode;
        }
    }

    [Fact]
    public void AMaskedFrameFromTheServerFailsWith1002()
    {
        var h = new ClientHarness();
        h.Protocol.DataReceived(WireFrames.Text("masked", mask: true));
        Assert.Equal(1002, h.FailedWith());
        Assert.Empty(h.Protocol.Messages);
    }

    [Fact]
    public void UnmaskedFramesFromTheServerArriveAndTheClientMasksItsOwn()
    {
        var h = new ClientHarness();
        h.Protocol.DataReceived(WireFrames.Text("plain", mask: false));
        Assert.Equal("plain", Encoding.UTF8.GetString(Assert.Single(h.Protocol.Messages).Payload));
        h.Protocol.SendMessage("answer");
        var raw = h.Transport.Value();
        Assert.Equal(0x80, raw[1] & 0x80);          // the mask bit
        Assert.Equal("answer", Assert.Single(h.Written()).Text);
    }

    [Fact]
    public void Rsv1OnAContinuationFailsWith1002EvenWithDeflate()
    {
        // RFC 7692 §6: only a message's first frame carries the "compressed" bit.
        var h = new ClientHarness(extensions: "Sec-WebSocket-Extensions: permessage-deflate\r\n");
        Assert.True(h.Protocol.IsCompressed);
        h.Protocol.DataReceived(WireFrames.Concat(
            WireFrames.Build(1, [0xf2, 0x48, 0xcd], fin: false, rsv: 4, mask: false),
            WireFrames.Build(0, [0xc9, 0xc9, 0x07, 0x00], rsv: 4, mask: false)));
        Assert.Equal(1002, h.FailedWith());
    }

    [Fact]
    public void ACompressedBombFromTheServerFailsWith1009()
    {
        var h = new ClientHarness(new WebSocketOptions { MaxMessageSize = 1 << 20 }, extensions: "Sec-WebSocket-Extensions: permessage-deflate\r\n");
        h.Protocol.DataReceived(WireFrames.Build(2, WireFrames.Deflate(new byte[16 << 20]), rsv: 4, mask: false));
        Assert.Equal(1009, h.FailedWith());
        Assert.Empty(h.Protocol.Messages);
    }

    [Fact]
    public void AServerThatNeverAnswersTheHandshakeIsDroppedAfterTheHandshakeTimeout()
    {
        var h = new ClientHarness(new WebSocketOptions { HandshakeTimeout = TimeSpan.FromSeconds(5) }, answer: false);
        h.Clock.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(h.Transport.Disconnected);
        Assert.False(h.Opened.Called);
        h.Clock.Advance(TimeSpan.FromSeconds(0.2));
        Assert.True(h.Transport.Disconnected);
        Assert.IsType<WebSocketHandshakeException>(h.Opened.Result.Failure!.Value);
    }

    [Fact]
    public void AfterTheClosingHandshakeTheClientWaitsTheCloseTimeoutForTheServerToCloseTcp()
    {
        // RFC 6455 §7.1.1: the server closes TCP first; a client whose server does not is cut off after a while.
        var h = new ClientHarness(new WebSocketOptions { CloseTimeout = TimeSpan.FromSeconds(3) });
        h.Protocol.SendClose(1000, "bye");
        h.Protocol.DataReceived(WireFrames.Close(1000, mask: false));
        Assert.False(h.Transport.Disconnecting);
        h.Clock.Advance(TimeSpan.FromSeconds(2.9));
        Assert.False(h.Transport.Disconnected);
        h.Clock.Advance(TimeSpan.FromSeconds(0.2));
        Assert.True(h.Transport.Disconnected);
    }

    [Fact]
    public void AFailingConnectionLeavesItsNeighboursWorking()
    {
        var clock = new Clock();
        var factory = new WebSocketServerFactory(clock, () => new RecordingServer());
        var transports = new List<MemoryTransport>();
        var servers = new List<RecordingServer>();
        for (int i = 0; i < 3; i++)
        {
            var transport = new MemoryTransport();
            var server = (RecordingServer)factory.BuildProtocol(transport.Peer)!;
            server.MakeConnection(transport);
            server.DataReceived(ServerHarness.Request());
            transport.Clear();
            transports.Add(transport);
            servers.Add(server);
        }
        servers[1].DataReceived(WireFrames.Build(2, "bad"u8, rsv: 2));
        for (int i = 0; i < 3; i++) servers[i].DataReceived(WireFrames.Text($"hello {i}"));

        Assert.Equal(1002, Assert.Single(WireFrames.Parse(transports[1].Value())).CloseCode);
        Assert.Empty(servers[1].Messages);
        foreach (int i in new[] { 0, 2 })
        {
            Assert.False(transports[i].Disconnecting);
            Assert.Equal($"hello {i}", Assert.Single(WireFrames.Parse(transports[i].Value())).Text);
        }
    }
}
