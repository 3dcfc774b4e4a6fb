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
    public const string DefaultEndpoint = "tcp:8080";

    public static int Main(string[] args) => Reactor.React(async (reactor, argv) =>
    {
        if (argv.Length > 1 || argv is ["-h" or "--help"])
        {
            Console.Error.WriteLine($"usage: HttpEcho [ENDPOINT]   (default {DefaultEndpoint})");
            throw new SystemExitException(2);
        }
        var port = await Listen(reactor, argv.Length == 1 ? argv[0] : DefaultEndpoint);
        Console.WriteLine($"HttpEcho listening on {port.Host} (Ctrl-C to stop)");
        await new Deferred<Unit>();      // a server has nothing to finish: a signal stops the reactor
    }, args);

    /// <summary>Starts serving on <paramref name="endpoint"/>, an endpoint description such as "tcp:0:interface=127.0.0.1".</summary>
    public static Deferred<IListeningPort> Listen(Reactor reactor, string endpoint) =>
        Endpoints.Server(reactor, endpoint).Listen(new Site(EchoSite.CreateRoot(), reactor));
}
