using Twine;
using Twine.Defer;
using Twine.Net;
using Twine.Net.Endpoints;
using Twine.Reactors;
using Twine.Web;

namespace HttpEcho;

/// <summary>
/// <c>HttpEcho [ENDPOINT]</c> (default <c>tcp:8080</c>): the small HTTP app external test tools (curl, ab, wrk, h2spec-
/// style checkers) are pointed at. See <see cref="EchoSite"/> for its routes. Ctrl-C stops it.
/// </summary>
public static class Program
{
    public const string DefaultEndpoint = "tcp:8080:interface=127.0.0.1";

    public static int Main(string[] args) => Reactor.React(async (reactor, argv) =>
    {
        var usage = $"usage: HttpEcho [ENDPOINT]   (default {DefaultEndpoint})";
        if (argv is ["-h" or "--help"])
        {
            Console.WriteLine(usage);
            return;
        }
        if (argv.Length > 1) throw new SystemExitException(2, usage);
        var description = argv.Length == 1 ? argv[0] : DefaultEndpoint;
        Deferred<IListeningPort> listening;
        try
        {
            listening = Listen(reactor, description);
        }
        catch (ArgumentException e)
        {
            throw new SystemExitException(2, $"HttpEcho: bad endpoint '{description}': {e.Message}");
        }
        var port = await listening;
        Console.WriteLine($"HttpEcho listening on {port.Host} (Ctrl-C to stop)");
        await new Deferred<Unit>();      // a server has nothing to finish: a signal stops the reactor
    }, args);

    /// <summary>Starts serving on <paramref name="endpoint"/>, an endpoint description such as "tcp:0:interface=127.0.0.1".</summary>
    public static Deferred<IListeningPort> Listen(Reactor reactor, string endpoint) =>
        Endpoints.Server(reactor, endpoint).Listen(new Site(EchoSite.CreateRoot(), reactor));
}
