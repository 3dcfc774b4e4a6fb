using System.Text;
using Twine.Testing;
using Twine.Time;
using Twine.Web.WebSockets;

namespace Twine.Web.Tests.WebSockets;

/// <summary>WS1, WS2, WS13, WS14: Twine's client against Twine's server over a loopback pump, with and without compression.</summary>
public class ClientServerTests
{
    private sealed class Pair
    {
        public Pair(WebSocketOptions? serverOptions = null, WebSocketOptions? clientOptions = null, IReadOnlyList<string>? offer = null)
        {
            var serverProtocol = new RecordingServer();
            var server = new WebSocketServerFactory(Clock, () => serverProtocol, serverOptions) { Subprotocols = ["chat"] };
            var client = new WebSocketClientFactory(Clock, "ws://127.0.0.1:9000/path?x=1", () => new RecordingClient(), clientOptions)
            {
                Subprotocols = offer ?? [],
                Headers = new Dictionary<string, string> { ["Origin"] = "http://example.com" },
            };
            Server = (RecordingServer)server.BuildProtocol(new System.Net.IPEndPoint(0, 0))!;
            Client = (RecordingClient)client.Create();
            Opened = Client.Opened;
            Connection = LoopbackPump.Connect(Server, Client, clock: Clock);
        }

        public Clock Clock { get; } = new();
        public RecordingServer Server { get; }
        public RecordingClient Client { get; }
        public Twine.Defer.Deferred<WebSocketClientProtocol> Opened { get; }
        public ConnectedPair<RecordingServer, RecordingClient> Connection { get; }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void MessagesOfEverySizeRoundTrip(bool deflate)
    {
        var options = new WebSocketOptions { PerMessageDeflate = deflate, MaxMessageSize = 17 << 20, MaxFrameSize = 17 << 20 };
        var p = new Pair(options, options);
        Assert.True(p.Opened.Called);
        Assert.True(p.Client.IsOpened);
        Assert.Equal(deflate, p.Client.IsCompressed);
        Assert.Equal(deflate, p.Server.IsCompressed);
        Assert.Equal("/path", p.Server.Request!.Path);
        Assert.Equal("1", p.Server.Request.Params["x"][0]);
        Assert.Equal("http://example.com", p.Server.Request.Origin);
        var random = new Random(5);
        int[] sizes = [0, 1, 125, 126, 65535, 65536, 1 << 20];       // 16 MiB goes over real sockets in the interop tests
        foreach (var size in sizes)
        {
            var payload = new byte[size];
            random.NextBytes(payload.AsSpan(0, size / 2));      // half random, half zeros: compressible and not
            p.Client.SendMessage(payload, isBinary: true);
            p.Connection.Flush();
            Assert.Equal(payload, p.Client.Messages[^1].Payload);
        }
        p.Client.SendMessage("text ünïcode €");
        p.Connection.Flush();
        Assert.Equal(("text ünïcode €", false), (Encoding.UTF8.GetString(p.Client.Messages[^1].Payload), p.Client.Messages[^1].IsBinary));
        Assert.Equal(sizes.Length + 1, p.Server.Messages.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CompressionWorksWithAndWithoutContextTakeover(bool noContextTakeover)
    {
        var options = new WebSocketOptions { NoContextTakeover = noContextTakeover };
        var p = new Pair(options, options);
        var message = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("the same words again and again ", 20)));
        for (int i = 0; i < 5; i++)
        {
            p.Client.SendMessage(message, isBinary: false);
            p.Connection.Flush();
        }
        Assert.All(p.Client.Messages, m => Assert.Equal(message, m.Payload));
        Assert.Equal(5, p.Client.Messages.Count);
    }

    [Fact]
    public void AStreamedCompressedMessageRoundTrips()
    {
        var p = new Pair();
        p.Client.BeginMessage(isBinary: false);
        for (int i = 0; i < 10; i++) p.Client.SendMessageData(Encoding.UTF8.GetBytes($"piece {i}; "));
        p.Client.EndMessage();
        p.Connection.Flush();
        Assert.Equal(string.Concat(Enumerable.Range(0, 10).Select(i => $"piece {i}; ")), Encoding.UTF8.GetString(p.Server.Messages[0].Payload));
    }

    [Fact]
    public void SubprotocolNegotiationReachesBothSides()
    {
        var p = new Pair(offer: ["v2", "chat"]);
        Assert.Equal("chat", p.Client.Subprotocol);
        Assert.Equal("chat", p.Client.Response!.Subprotocol);
        Assert.Equal("chat", p.Server.Subprotocol);
    }

    [Fact]
    public void ACleanCloseFromTheClientEndsWithTheServerClosingTcp()
    {
        var p = new Pair();
        p.Client.SendClose(1000, "bye");
        p.Connection.Flush();
        Assert.Equal((true, 1000, (string?)"bye"), p.Server.Closed);
        Assert.Equal((true, 1000, (string?)""), p.Client.Closed);      // the server echoes the code, not the reason
    }

    [Fact]
    public void ACleanCloseFromTheServerReachesTheClient()
    {
        var p = new Pair();
        p.Server.SendClose(4001, "go away");
        p.Connection.Flush();
        Assert.Equal((true, 4001, (string?)"go away"), p.Client.Closed);
        Assert.True(p.Server.Closed!.Value.WasClean);
    }

    [Fact]
    public void ADeniedHandshakeFailsTheClientsDeferredWithTheStatus()
    {
        var clock = new Clock();
        var server = new WebSocketServerFactory(clock, () => new RecordingServer { Decide = _ => throw new ConnectionDeniedException(403) });
        var client = new WebSocketClientFactory(clock, "ws://127.0.0.1/", () => new RecordingClient());
        var c = client.Create();
        var opened = c.Opened;
        Exception? error = null;
        opened.AddErrback(f => error = f.Value);
        LoopbackPump.Connect(server.BuildProtocol(new System.Net.IPEndPoint(0, 0))!, c, clock: clock).Flush();
        var handshake = Assert.IsType<WebSocketHandshakeException>(error);
        Assert.Equal(403, handshake.StatusCode);
    }
}
