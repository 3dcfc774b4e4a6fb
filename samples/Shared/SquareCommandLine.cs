using System.Globalization;
using Twine;
using Twine.Defer;
using Twine.Reactors;

namespace SquareSamples;

/// <summary>
/// The command line the two slow-square samples (AmpSquare, WsSquare) share: <c>demo</c> (the default),
/// <c>server [ENDPOINT]</c> or <c>client [ADDRESS] X...</c>, and <c>--unit SECONDS</c> for how long one unit of x takes
/// (default 0.5). Only what the service runs on differs between them, so that is all each sample writes.
/// </summary>
/// <example>
/// <code>
/// public static int Main(string[] args) => SquareCommandLine.Run(args, "usage: ...", demo, server, client);
/// </code>
/// </example>
internal static class SquareCommandLine
{
    /// <summary>Runs the reactor for the command in <paramref name="args"/>; a bad command line exits with 2.</summary>
    /// <param name="args">The program's arguments.</param>
    /// <param name="usage">The usage line, printed for <c>-h</c> and for a bad command line.</param>
    /// <param name="demo">Server and client in one process, given the unit.</param>
    /// <param name="server">Serve until stopped, given the unit and the words after <c>server</c>.</param>
    /// <param name="client">Ask, given the words after <c>client</c> (an address, then numbers).</param>
    public static int Run(string[] args, string usage,
        Func<Reactor, TimeSpan, Deferred> demo,
        Func<Reactor, TimeSpan, string[], Deferred> server,
        Func<Reactor, string[], Deferred> client) => Reactor.React(async (reactor, argv) =>
    {
        var unit = TimeSpan.FromSeconds(0.5);
        var rest = new List<string>();
        for (var i = 0; i < argv.Length; i++)
        {
            if (argv[i] == "--unit" && i + 1 < argv.Length) unit = TimeSpan.FromSeconds(double.Parse(argv[++i], CultureInfo.InvariantCulture));
            else if (argv[i] is "-h" or "--help")
            {
                Console.WriteLine(usage);
                return;
            }
            else rest.Add(argv[i]);
        }
        switch (rest.ToArray())
        {
            case [] or ["demo"]:
                await demo(reactor, unit);
                break;
            case ["server"]:
            case ["server", _]:
                await server(reactor, unit, rest.Skip(1).ToArray());
                break;
            case ["client", .. var words]:
                await client(reactor, words);
                break;
            default:
                throw new SystemExitException(2, usage);
        }
    }, args);

    /// <summary>The numbers among the client's words (after its optional address); the sample's default when there are none.</summary>
    public static long[] Numbers(IEnumerable<string> numbers, long[] fallback)
    {
        var parsed = numbers.Select(a => long.Parse(a, CultureInfo.InvariantCulture)).ToArray();
        return parsed.Length > 0 ? parsed : fallback;
    }
}
