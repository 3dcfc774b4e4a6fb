using Twine;
using Twine.Defer;
using Twine.Net;
using Twine.Reactors;
using Twine.Net.Endpoints;

namespace EchoServer;

/// <summary>
/// Twisted's echo server: <c>EchoServer [ENDPOINT]</c> listens on ENDPOINT (default
/// <c>tcp:8000:interface=127.0.0.1</c>) and echoes every byte back. Ctrl-C stops it.
/// </summary>
public static class Program
{
    public const string DefaultEndpoint = "tcp:8000:interface=127.0.0.1";

    public static int Main(string[] args) => Reactor.React(async (reactor, argv) =>
    {
        if (argv.Length > 1 || argv is ["-h" or "--help"])
        {
            Console.Error.WriteLine($"usage: EchoServer [ENDPOINT]   (default {DefaultEndpoint})");
            throw new SystemExitException(2);
        }
        var port = await Listen(reactor, argv.Length == 1 ? argv[0] : DefaultEndpoint);
        Console.WriteLine($"Echo server listening on {port.Host} (Ctrl-C to stop)");
        await Forever();
    }, args);

    /// <summary>Starts echoing on <paramref name="endpoint"/>, an endpoint description such as "tcp:0:interface=127.0.0.1".</summary>
    public static Deferred<IListeningPort> Listen(Reactor reactor, string endpoint) =>
        Endpoints.Server(reactor, endpoint).Listen(Factory.ForProtocol<Echo>());

    // A server has nothing to finish: the reactor runs until a signal stops it.
    private static Deferred<Unit> Forever() => new();
}
