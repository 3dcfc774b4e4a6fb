using System.Text;
using Twine.Defer;
using Twine.Net;
using Twine.Time;
using Twine.Web.WebSockets;

namespace Twine.Web.Tests.WebSockets;

/// <summary>WS1, WS2, WS7–WS10: messages, fragmentation, control frames, the closing handshake and the timeouts.</summary>
public class ProtocolTests
{
    private static Failure Done => new(new ConnectionDoneException());

    [Fact]
    public void TextAndBinaryMessagesArriveAndAreEchoedUnmasked()
    {
        var h = new ServerHarness();
        Assert.Equal(WebSocketState.Open, h.Protocol.State);
        h.Send(WireFrames.Text("Hello"), WireFrames.Binary([1, 2, 3]));
        Assert.Equal(["open", "text:Hello", "binary:3"], h.Protocol.Events);
        var frames = h.Written();
        Assert.Equal(2, frames.Count);
        Assert.Equal((true, 1, "Hello"), (frames[0].Fin, frames[0].Opcode, frames[0].Text));
        Assert.Equal([1, 2, 3], frames[1].Payload);
        Assert.All(h.Transport.Value().Take(2), _ => { });
        Assert.Equal(0, h.Transport.Value()[1] & 0x80);     // a server never masks
    }

    [Theory]
    [InlineData(0)]
    [InlineData(125)]
    [InlineData(126)]
    [InlineData(65535)]
    [InlineData(65536)]
    [InlineData(1 << 20)]
    public void EveryLengthEncodingRoundTrips(int size)
    {
        var h = new ServerHarness(new WebSocketOptions { PerMessageDeflate = false });
        var payload = new byte[size];
        new Random(size).NextBytes(payload);
        h.Send(WireFrames.Binary(payload));
        Assert.Equal(payload, Assert.Single(h.Written()).Payload);
    }

    [Fact]
    public void FramesSplitAtEveryByteAreReassembled()
    {
        var h = new ServerHarness();
        h.Trickle(WireFrames.Concat(WireFrames.Text("Hel", fin: false), WireFrames.Build(9, "p"u8), WireFrames.Continuation("lo")));
        Assert.Equal(["open", "ping:p", "text:Hello"], h.Protocol.Events);
    }

    [Fact]
    public void ControlFramesBetweenFragmentsAreHandledAndAPingIsAnsweredAtOnce()
    {
        var h = new ServerHarness();
        h.Send(WireFrames.Text("frag1", fin: false), WireFrames.Build(9, "ping!"u8));
        var pong = Assert.Single(h.Written());
        Assert.Equal((10, "ping!"), (pong.Opcode, pong.Text));
        h.Send(WireFrames.Build(10, "unsolicited"u8), WireFrames.Continuation("frag2", fin: false), WireFrames.Continuation("end"));
        Assert.Equal(["open", "ping:ping!", "pong:unsolicited", "text:frag1frag2end"], h.Protocol.Events);
    }

    [Fact]
    public void EmptyFragmentsAndEmptyMessagesAreFine()
    {
        var h = new ServerHarness();
        h.Send(WireFrames.Text("", fin: false), WireFrames.Continuation("", fin: false), WireFrames.Continuation(""));
        h.Send(WireFrames.Binary([]));
        Assert.Equal(["open", "text:", "binary:0"], h.Protocol.Events);
    }

    [Fact]
    public void TheClientStartsTheClosingHandshakeAndTheServerEchoesAndClosesTcp()
    {
        var h = new ServerHarness();
        h.Send(WireFrames.Close(1000, "done"), WireFrames.Text("ignored after close"));
        var close = Assert.Single(h.Written());
        Assert.Equal(1000, close.CloseCode);
        Assert.True(h.Transport.Disconnecting);
        h.Protocol.ConnectionLost(Done);
        Assert.Equal((true, 1000, "done"), h.Protocol.Closed);
        Assert.DoesNotContain(h.Protocol.Events, e => e.StartsWith("text:ignored"));
    }

    [Fact]
    public void ACloseWithoutACodeIsAnsweredWithoutOneAndReported1005()
    {
        var h = new ServerHarness();
        h.Send(WireFrames.Close(null));
        Assert.Empty(Assert.Single(h.Written()).Payload);
        h.Protocol.ConnectionLost(Done);
        Assert.Equal((true, 1005, (string?)null), h.Protocol.Closed);
    }

    [Fact]
    public void TheServerStartsTheClosingHandshakeAndClosesTcpWhenTheClientAnswers()
    {
        var h = new ServerHarness();
        h.Protocol.SendClose(4000, "policy");
        Assert.Equal(WebSocketState.Closing, h.Protocol.State);
        var close = Assert.Single(h.Written());
        Assert.Equal((4000, "\u000f\u00a0policy"[2..]), (close.CloseCode, Encoding.UTF8.GetString(close.Payload[2..])));
        h.Protocol.SendMessage("not sent after close"u8);
        Assert.Single(h.Written());
        Assert.False(h.Transport.Disconnecting);
        h.Send(WireFrames.Close(4000));
        Assert.True(h.Transport.Disconnecting);
        h.Protocol.ConnectionLost(Done);
        Assert.Equal((true, 4000, (string?)""), h.Protocol.Closed);
    }

    [Fact]
    public void ThePeerThatNeverAnswersACloseIsDroppedAfterTheCloseTimeout()
    {
        var h = new ServerHarness(new WebSocketOptions { CloseTimeout = TimeSpan.FromSeconds(3) });
        h.Protocol.SendClose();
        h.Clock.Advance(TimeSpan.FromSeconds(2.9));
        Assert.False(h.Transport.Disconnected);
        h.Clock.Advance(TimeSpan.FromSeconds(0.2));
        Assert.True(h.Transport.Disconnected);
    }

    [Fact]
    public void AConnectionLostWithoutCloseFramesIsUncleanWith1006()
    {
        var h = new ServerHarness();
        h.Protocol.ConnectionLost(Done);
        Assert.False(h.Protocol.Closed!.Value.WasClean);
        Assert.Equal(1006, h.Protocol.Closed.Value.Code);
    }

    [Theory]
    [InlineData(999)]
    [InlineData(1001)]
    [InlineData(1006)]
    [InlineData(2999)]
    [InlineData(5000)]
    public void SendCloseRefusesCodesAnApplicationMayNotSend(int code)
    {
        var h = new ServerHarness();
        Assert.Throws<ArgumentException>(() => h.Protocol.SendClose(code));
    }

    [Fact]
    public void AHandshakeThatNeverCompletesIsDroppedAfterTheHandshakeTimeout()
    {
        var h = new ServerHarness(new WebSocketOptions { HandshakeTimeout = TimeSpan.FromSeconds(5) }, handshake: false);
        h.Send("GET /chat HTTP/1.1\r\nHost: x\r\n"u8.ToArray());
        h.Clock.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(h.Transport.Disconnected);
        h.Clock.Advance(TimeSpan.FromSeconds(0.2));
        Assert.True(h.Transport.Disconnected);
        Assert.Equal(0, h.Protocol.Opens);
    }

    [Fact]
    public void KeepAlivePingsAQuietPeerAndDropsItWhenNothingComesBack()
    {
        var h = new ServerHarness(new WebSocketOptions { PingInterval = TimeSpan.FromSeconds(10), PingTimeout = TimeSpan.FromSeconds(5) });
        h.Clock.Advance(TimeSpan.FromSeconds(10));
        var ping = Assert.Single(h.Written());
        Assert.Equal(9, ping.Opcode);
        h.Transport.Clear();
        // The pong (any frame) keeps the connection alive for another interval.
        h.Send(WireFrames.Build(10, ping.Payload));
        h.Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.False(h.Transport.Disconnected);
        h.Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(9, Assert.Single(h.Written()).Opcode);
        h.Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.True(h.Transport.Disconnected);
    }

    [Fact]
    public void KeepAliveDoesNotPingAPeerThatKeepsTalking()
    {
        var h = new ServerHarness(new WebSocketOptions { PingInterval = TimeSpan.FromSeconds(10) }) ;
        h.Protocol.Echo = false;
        for (int i = 0; i < 10; i++)
        {
            h.Clock.Advance(TimeSpan.FromSeconds(6));
            h.Send(WireFrames.Text("still here"));
        }
        Assert.DoesNotContain(h.Written(), f => f.Opcode == 9);
    }

    [Fact]
    public void StreamingSendWritesOneFramePerPieceWithContinuations()
    {
        var h = new ServerHarness(new WebSocketOptions { PerMessageDeflate = false });
        h.Protocol.BeginMessage(isBinary: false);
        h.Protocol.SendMessageData("Hel"u8);
        h.Protocol.SendMessageData("lo"u8);
        h.Protocol.EndMessage();
        var frames = h.Written();
        Assert.Equal([(false, 1), (false, 0), (true, 0)], frames.Select(f => (f.Fin, f.Opcode)));
        Assert.Equal("Hello", string.Concat(frames.Select(f => f.Text)));
    }

    [Fact]
    public void AutoFragmentSplitsLargeMessages()
    {
        var h = new ServerHarness(new WebSocketOptions { AutoFragmentSize = 100, PerMessageDeflate = false });
        h.Protocol.SendMessage(new byte[250]);
        Assert.Equal([100, 100, 50], h.Written().Select(f => f.Payload.Length));
    }

    [Fact]
    public void StreamingReceiveSeesPiecesWithoutGathering()
    {
        var pieces = new List<int>();
        var h = new ServerHarness(new WebSocketOptions { MaxMessageSize = long.MaxValue });
        var streaming = new StreamingServer(pieces);
        var factory = new WebSocketServerFactory(h.Clock, () => streaming, new WebSocketOptions { MaxMessageSize = long.MaxValue });
        var transport = new Twine.Testing.MemoryTransport();
        var protocol = factory.BuildProtocol(transport.Peer)!;
        protocol.MakeConnection(transport);
        protocol.DataReceived(ServerHarness.Request());
        protocol.DataReceived(WireFrames.Binary(new byte[40_000], fin: false));
        protocol.DataReceived(WireFrames.Continuation(new byte[10]));
        Assert.Equal(40_010, pieces.Sum());
        Assert.True(pieces.Count >= 3, "a masked 40 KB frame is unmasked and delivered in pieces");
        Assert.Equal(1, streaming.Ends);
    }

    private sealed class StreamingServer(List<int> pieces) : WebSocketServerProtocol
    {
        public int Ends { get; private set; }
        public override void OnMessageBegin(bool isBinary) { }
        public override void OnMessageData(ReadOnlySpan<byte> data) => pieces.Add(data.Length);
        public override void OnMessageEnd() => Ends++;
    }

    [Fact]
    public void AnExceptionInOnMessageFailsOnlyThatConnectionWith1011()
    {
        var h = new ServerHarness();
        var thrower = new ThrowingServer();
        var factory = new WebSocketServerFactory(h.Clock, () => thrower);
        var transport = new Twine.Testing.MemoryTransport();
        var protocol = factory.BuildProtocol(transport.Peer)!;
        protocol.MakeConnection(transport);
        protocol.DataReceived(ServerHarness.Request());
        transport.Clear();
        protocol.DataReceived(WireFrames.Text("boom"));
        Assert.Equal(1011, Assert.Single(WireFrames.Parse(transport.Value())).CloseCode);
        // The other connection is untouched.
        h.Send(WireFrames.Text("fine"));
        Assert.Equal("fine", Assert.Single(h.Written()).Text);
    }

    private sealed class ThrowingServer : WebSocketServerProtocol
    {
        public override void OnMessageEnd() => throw new InvalidOperationException("boom");
    }

    [Fact]
    public void AnAsyncDeferredOnMessageRunsToCompletionLater()
    {
        var h = new ServerHarness();
        var slow = new SlowSquareServer();
        var factory = new WebSocketServerFactory(h.Clock, () => slow);
        var transport = new Twine.Testing.MemoryTransport();
        var protocol = factory.BuildProtocol(transport.Peer)!;
        protocol.MakeConnection(transport);
        protocol.DataReceived(ServerHarness.Request());
        transport.Clear();
        protocol.DataReceived(WireFrames.Text("7"));
        Assert.Empty(transport.Value());
        h.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("49", Assert.Single(WireFrames.Parse(transport.Value())).Text);
    }

    private sealed class SlowSquareServer : WebSocketServerProtocol
    {
        public override async Deferred OnMessage(byte[] payload, bool isBinary)
        {
            int x = int.Parse(Encoding.UTF8.GetString(payload), System.Globalization.CultureInfo.InvariantCulture);
            await Time.Sleep(TimeSpan.FromSeconds(1));
            SendMessage((x * x).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
