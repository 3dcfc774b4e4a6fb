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
        var usage = $"usage: ChatServer [ENDPOINT]   (default {DefaultEndpoint})";
        if (argv is ["-h" or "--help"])
        {
            Console.WriteLine(usage);
            return;
        }
        if (argv.Length > 1) throw new SystemExitException(2, usage);
        var description = argv.Length == 1 ? argv[0] : DefaultEndpoint;
        IStreamServerEndpoint endpoint;
        try
        {
            endpoint = Endpoints.Server(reactor, description);
        }
        catch (ArgumentException e)
        {
            throw new SystemExitException(2, $"ChatServer: bad endpoint '{description}': {e.Message}");
        }
        var port = await endpoint.Listen(new ChatFactory());
        Console.WriteLine($"Chat server listening on {port.Host} (Ctrl-C to stop)");
        await new Deferred<Unit>();     // runs until a signal stops the reactor
    }, args);
}
