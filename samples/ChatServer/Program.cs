using Twine;
using Twine.Defer;
using Twine.Net;
using Twine.Reactors;
using Twine.Net.Endpoints;

namespace ChatServer;

/// <summary>
/// Twisted's classic multi-user chat: <c>ChatServer [ENDPOINT]</c> listens on ENDPOINT (default
/// <c>tcp:8123:interface=127.0.0.1</c>). Connect with <c>telnet 127.0.0.1 8123</c> or <c>nc -C 127.0.0.1 8123</c>,
/// choose a name, and talk. Ctrl-C stops it.
/// </summary>
public static class Program
{
    public const string DefaultEndpoint = "tcp:8123:interface=127.0.0.1";

    public static int Main(string[] args) => Reactor.React(async (reactor, argv) =>
    {
        if (argv.Length > 1 || argv is ["-h" or "--help"])
        {
            Console.Error.WriteLine($"usage: ChatServer [ENDPOINT]   (default {DefaultEndpoint})");
            throw new SystemExitException(2);
        }
        var port = await Endpoints.Server(reactor, argv.Length == 1 ? argv[0] : DefaultEndpoint).Listen(new ChatFactory());
        Console.WriteLine($"Chat server listening on {port.Host} (Ctrl-C to stop)");
        await new Deferred<Unit>();     // runs until a signal stops the reactor
    }, args);
}
