using System.Net;
using Twine.Defer;
using Twine.Net;
using Twine.Reactors;
using Twine.Time;
using Twine.Web;
using Twine.Web.WebSockets;
using SquareSamples;

namespace WsSquare;

/// <summary>
/// The Autobahn tutorial's slow square, carried over the network on WebSocket.
/// <list type="bullet">
/// <item><c>WsSquare server [ENDPOINT]</c>: a Site with a page at <c>/</c> and the service at <c>/square</c>
/// (default <c>tcp:9001:interface=127.0.0.1</c>) until Ctrl-C.</item>
/// <item><c>WsSquare client [URL] X...</c>: asks for every X at once on one connection and prints each answer as it
/// arrives: smaller X first, whatever the order asked.</item>
/// <item><c>WsSquare demo</c> (the default): both in one process, on a port the OS picks.</item>
/// </list>
/// <c>--unit SECONDS</c> sets how long one unit of x takes (default 0.5).
/// </summary>
public static class Program
{
    public const string DefaultServerEndpoint = "tcp:9001:interface=127.0.0.1";
    public const string DefaultUrl = "ws://127.0.0.1:9001/square";
    private static readonly long[] DefaultNumbers = [3, 1, 4, 2];

    public static int Main(string[] args) => SquareCommandLine.Run(args, UsageText,
        demo: async (reactor, unit) =>
        {
            var port = await Listen(reactor, "tcp:0:interface=127.0.0.1", unit);
            await AskConcurrently(reactor, $"ws://127.0.0.1:{((IPEndPoint)port.Host).Port}/square", DefaultNumbers, Console.Out);
            await port.StopListening();
        },
        server: async (reactor, unit, server) =>
        {
            var listening = await Listen(reactor, server.Length > 0 ? server[0] : DefaultServerEndpoint, unit);
            Console.WriteLine($"slow square on ws://{listening.Host}/square (Ctrl-C stops)");
            await new Deferred<Twine.Unit>();      // serve until the reactor stops
        },
        client: async (reactor, words) =>
        {
            string url = words.Length > 0 && words[0].StartsWith("ws", StringComparison.Ordinal) ? words[0] : DefaultUrl;
            var numbers = SquareCommandLine.Numbers(words.SkipWhile(a => a.StartsWith("ws", StringComparison.Ordinal)), DefaultNumbers);
            await AskConcurrently(reactor, url, numbers, Console.Out);
        });

    private const string UsageText = "usage: WsSquare [demo | server [ENDPOINT] | client [URL] X...] [--unit SECONDS]";

    /// <summary>A Site sharing one port between a page at / and the WebSocket service at /square.</summary>
    public static Site BuildSite(IReactorTime time, TimeSpan unit)
    {
        var root = new PageResource();
        root.PutChild("square", new WebSocketResource(new WebSocketServerFactory(time, () => new SquareServer(unit))));
        return new Site(root, time) { LogRequests = false };
    }

    /// <summary>Serves the site on <paramref name="endpoint"/>.</summary>
    public static Deferred<IListeningPort> Listen(Reactor reactor, string endpoint, TimeSpan unit) =>
        Twine.Net.Endpoints.Endpoints.Server(reactor, endpoint).Listen(BuildSite(reactor, unit));

    /// <summary>
    /// Connects to <paramref name="url"/>, asks for every number at once, prints each answer when it arrives, closes;
    /// returns the numbers in the order they were answered.
    /// </summary>
    public static async Deferred<IReadOnlyList<long>> AskConcurrently(Reactor reactor, string url, IReadOnlyList<long> numbers, TextWriter output)
    {
        var factory = new WebSocketClientFactory(reactor, url, () => new SquareClient()) { Subprotocols = [SquareClient.Name] };
        var client = (SquareClient)await WebSocket.Connect(reactor, factory);
        output.WriteLine($"asking for the squares of {string.Join(", ", numbers)}, all at once");
        var answered = new List<long>();
        var asks = numbers.Select(x => client.Ask(x).AddCallbacks(
            y => output.WriteLine($"SlowSquare({x}) = {y}"),
            f => output.WriteLine($"SlowSquare({x}) refused: {f.Trap<ArgumentOutOfRangeException>().Message}"))
            .AddCallback(_ => answered.Add(x)));
        try
        {
            await Deferred.GatherResults(asks.ToList());
        }
        finally
        {
            client.SendClose();
        }
        output.WriteLine($"answered in the order {string.Join(", ", answered)}");
        return answered;
    }

    private sealed class PageResource : Resource
    {
        protected override RenderResult RenderGet(Request request) =>
            "<p>The slow-square service is at <code>/square</code> (WebSocket, subprotocol square.v1).</p>";
    }
}
