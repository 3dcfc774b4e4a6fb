using System.Text;
using Twine.Defer;
using Twine.Interop.Tests.Framing;
using Twine.Web.WebSockets;

namespace Twine.Interop.Tests.WebSockets;

/// <summary>
/// WS16: Twine's WebSocket server and client against Python's websockets, Autobahn (on Twisted and on asyncio) and
/// Node's ws, both directions, with and without permessage-deflate, binary and text messages from 0 B to 16 MiB.
/// </summary>
public class WebSocketInteropTests
{
    private static readonly WebSocketOptions Big = new() { MaxMessageSize = 32 << 20, MaxFrameSize = 32 << 20 };

    public static TheoryData<string, bool> Peers()
    {
        var data = new TheoryData<string, bool>();
        foreach (var library in new[] { "websockets", "autobahn-twisted", "autobahn-asyncio", "node" })
        {
            data.Add(library, false);
            data.Add(library, true);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Peers))]
    public void PeerClientAgainstTwineServer(string library, bool deflate) => RunPeerClient(library, deflate, WsPeers.Sizes(library), autoFragmentSize: 0);

    /// <summary>Twine's echo fragments everything over 16 KiB; the peers send text over 64 KiB fragmented anyway.</summary>
    [Theory]
    [MemberData(nameof(Peers))]
    public void PeerClientAgainstFragmentingTwineServer(string library, bool deflate) =>
        RunPeerClient(library, deflate, [0, 1, 126, 16 * 1024, 16 * 1024 + 1, 65536, 1 << 20], autoFragmentSize: 16 * 1024);

    private static void RunPeerClient(string library, bool deflate, int[] sizes, int autoFragmentSize) => TwineEcho.RunPeerClient(
        new WebSocketOptions { MaxMessageSize = Big.MaxMessageSize, MaxFrameSize = Big.MaxFrameSize, PerMessageDeflate = deflate, AutoFragmentSize = autoFragmentSize },
        url => WsPeers.Start(library, ["client", url, .. sizes.Select(s => s.ToString(System.Globalization.CultureInfo.InvariantCulture)), deflate ? "--deflate" : "plain"]),
        (client, servers) =>
        {
            var lines = client.Lines;
            Assert.True(lines.Contains($"OK {sizes.Length * 2}"), $"the {library} client did not get every echo{client.Report()}");
            Assert.Contains("CLOSE 1000", lines);
            Assert.Equal(deflate, Assert.Single(servers).Compressed);
        });

    private sealed class Checker(Queue<(byte[] Payload, bool IsBinary)> queue, Action<string> done) : WebSocketClientProtocol
    {
        private (byte[] Payload, bool IsBinary) _expect;
        public int Count { get; private set; }
        public string? Extensions { get; private set; }

        public override void OnConnect(ConnectionResponse response) => Extensions = response.Headers.Get("Sec-WebSocket-Extensions");

        public override Deferred? OnOpen()
        {
            Next();
            return null;
        }

        private void Next()
        {
            if (!queue.TryDequeue(out _expect))
            {
                SendClose(1000, "done");
                return;
            }
            SendMessage(_expect.Payload, _expect.IsBinary);
        }

        public override Deferred? OnMessage(byte[] payload, bool isBinary)
        {
            if (isBinary != _expect.IsBinary || !payload.AsSpan().SequenceEqual(_expect.Payload))
            {
                done($"echo {Count} differs: {payload.Length} bytes, binary {isBinary}");
                SendClose(1000);
                return null;
            }
            Count++;
            Next();
            return null;
        }

        public override void OnClose(bool wasClean, int code, string? reason) => done($"closed {wasClean} {code}");
    }

    // Up to 1 MiB both kinds in this direction, then 16 MiB once (binary: the Python peers' echo of large text is what
    // takes the time). Text over 64 KiB comes back fragmented from every peer's echo.
    private static readonly int[] ClientSizes = [0, 1, 125, 126, 65535, 65536, 1 << 20];

    [Theory]
    [MemberData(nameof(Peers))]
    public void TwineClientAgainstPeerServer(string library, bool deflate) =>
        RunTwineClient(library, deflate ? "deflate" : "plain", deflate, autoFragmentSize: 0, bigBinary: true);

    [Theory]
    [MemberData(nameof(Peers))]
    public void TwineClientSendingFragmentsAgainstPeerServer(string library, bool deflate) =>
        RunTwineClient(library, deflate ? "deflate" : "plain", deflate, autoFragmentSize: 16 * 1024, bigBinary: false);

    /// <summary>WS18: the peer compresses with a 10-bit window and says so; Twine's 15-bit inflater reads it.</summary>
    [Theory]
    [InlineData("websockets")]
    [InlineData("node")]
    public void TwineClientAgainstPeerServerWithATenBitWindow(string library)
    {
        var checker = RunTwineClient(library, "deflate10", deflate: true, autoFragmentSize: 0, bigBinary: false);
        Assert.Contains("server_max_window_bits=10", checker.Extensions, StringComparison.Ordinal);
    }

    private static Checker RunTwineClient(string library, string serverMode, bool deflate, int autoFragmentSize, bool bigBinary)
    {
        var (server, port) = WsPeers.StartServer(library, serverMode);
        try
        {
            using var reactor = InteropReactor.Create();
            var random = new Random(7);
            var queue = new Queue<(byte[], bool)>();
            foreach (var size in ClientSizes)
            {
                var (data, text) = WsPeers.Payloads(size, random);
                queue.Enqueue((data, true));
                queue.Enqueue((Encoding.UTF8.GetBytes(text), false));
            }
            if (bigBinary) queue.Enqueue((WsPeers.Payloads(16 << 20, random).Data, true));
            int expected = queue.Count;
            var outcomes = new List<string>();
            Checker? checker = null;
            bool compressed = false;
            var options = new WebSocketOptions
            {
                MaxMessageSize = Big.MaxMessageSize, MaxFrameSize = Big.MaxFrameSize, PerMessageDeflate = deflate, AutoFragmentSize = autoFragmentSize,
            };
            var factory = new WebSocketClientFactory(reactor, $"ws://127.0.0.1:{port}/echo", () => checker = new Checker(queue, o =>
            {
                outcomes.Add(o);
                if (o.StartsWith("closed", StringComparison.Ordinal)) InteropReactor.StopSoon(reactor);
            }), options);
            reactor.CallWhenRunning(() => WebSocket.Connect(reactor, factory).AddCallbacks(
                p => compressed = p.IsCompressed,
                f =>
                {
                    outcomes.Add("connect failed: " + f.GetErrorMessage());
                    InteropReactor.StopSoon(reactor);
                }));
            InteropReactor.RunGuarded(reactor, server.Report);
            Assert.True(outcomes.Count > 0 && outcomes[^1] == "closed True 1000", string.Join("; ", outcomes) + server.Report());
            Assert.Equal(expected, checker!.Count);
            Assert.Equal(deflate, compressed);
            return checker;
        }
        finally
        {
            server.Dispose();
        }
    }
}
