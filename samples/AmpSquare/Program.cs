using Twine;
using Twine.Net.Endpoints;
using Twine.Defer;
using Twine.Net;
using Twine.Protocols.Amp;
using Twine.Reactors;
using static AmpSquare.SquareService;

namespace AmpSquare;

/// <summary>
/// The slow-square service over AMP.
/// <list type="bullet">
/// <item><c>AmpSquare server [ENDPOINT]</c>: serves SlowSquare (default <c>tcp:7001:interface=127.0.0.1</c>) until Ctrl-C.</item>
/// <item><c>AmpSquare client [ENDPOINT] X...</c>: calls SlowSquare for every X at once and prints each answer as it
/// arrives: smaller X first, whatever the order asked.</item>
/// <item><c>AmpSquare demo</c> (the default): both in one process, on a port the OS picks.</item>
/// </list>
/// <c>--unit SECONDS</c> sets how long one unit of x takes (default 0.5). A Twisted client: <c>square_client.py</c>.
/// </summary>
public static class Program
{
    public const string DefaultServerEndpoint = "tcp:7001:interface=127.0.0.1";
    public const string DefaultClientEndpoint = "tcp:host=127.0.0.1:port=7001";
    private static readonly long[] DefaultNumbers = [3, 1, 4, 2];

    public static int Main(string[] args) => SquareSamples.SquareCommandLine.Run(args, UsageText,
        demo: async (reactor, unit) =>
        {
            var demoPort = await Listen(reactor, "tcp:0:interface=127.0.0.1", unit);
            await AskConcurrently(reactor, $"tcp:host=127.0.0.1:port={PortOf(demoPort)}", DefaultNumbers, Console.Out);
            await demoPort.StopListening();
        },
        server: async (reactor, unit, server) =>
        {
            var port = await Listen(reactor, server.Length == 1 ? server[0] : DefaultServerEndpoint, unit);
            Console.WriteLine($"SlowSquare AMP server listening on {port.Host} (Ctrl-C to stop)");
            await new Deferred<Unit>();   // until a signal stops the reactor
        },
        client: async (reactor, words) =>
        {
            var endpoint = words.Length > 0 && words[0].Contains(':') ? words[0] : DefaultClientEndpoint;
            await AskConcurrently(reactor, endpoint, SquareSamples.SquareCommandLine.Numbers(words.SkipWhile(a => a.Contains(':')), DefaultNumbers), Console.Out);
        });

    /// <summary>Serves SlowSquare on <paramref name="endpoint"/>, each unit of x taking <paramref name="unit"/>.</summary>
    public static Deferred<IListeningPort> Listen(Reactor reactor, string endpoint, TimeSpan unit)
    {
        var responders = Responders(reactor, unit);
        return Endpoints.Server(reactor, endpoint).Listen(new Factory(() => new AmpProtocol(responders)) { Noisy = false });
    }

    /// <summary>
    /// Calls SlowSquare for every number at once on one connection, printing each answer when it arrives; returns the
    /// numbers in the order they were answered.
    /// </summary>
    public static async Deferred<IReadOnlyList<long>> AskConcurrently(Reactor reactor, string endpoint, IReadOnlyList<long> numbers, TextWriter output)
    {
        var amp = await Endpoints.ConnectProtocol(Endpoints.Client(reactor, endpoint), new AmpProtocol());
        output.WriteLine($"asking for the squares of {string.Join(", ", numbers)}, all at once");
        var answered = new List<long>();
        var calls = numbers.Select(x => amp.CallRemote(SlowSquare, new SquareArgs(x)).AddCallbacks(
            result => output.WriteLine($"SlowSquare({x}) = {result.Y}"),
            failure => output.WriteLine($"SlowSquare({x}) refused: {failure.Trap<ArgumentOutOfRangeException>().Message}"))
            .AddCallback(_ => answered.Add(x)));
        try
        {
            await Deferred.GatherResults(calls.ToList());
        }
        finally
        {
            amp.Transport.LoseConnection();
        }
        output.WriteLine($"answered in the order {string.Join(", ", answered)}");
        return answered;
    }

    private static int PortOf(IListeningPort port) => ((System.Net.IPEndPoint)port.Host).Port;

    private const string UsageText = "usage: AmpSquare [demo | server [ENDPOINT] | client [ENDPOINT] X...] [--unit SECONDS]";
}
