using Twine.Defer;
using Twine.Net;
using Twine.Reactors;
using Twine.Net.Endpoints;

namespace EchoClient;

/// <summary>
/// Twisted's echo client: <c>EchoClient [--connect ENDPOINT] [LINE ...]</c> connects to ENDPOINT (default
/// <c>tcp:host=127.0.0.1:port=8000</c>), sends each LINE (or, with none, each line of standard input), prints every
/// echo, and exits once all of them are back.
/// </summary>
public static class Program
{
    public const string DefaultEndpoint = "tcp:host=127.0.0.1:port=8000";

    public static int Main(string[] args) => Reactor.React(async (reactor, argv) =>
    {
        if (!TryParse(argv, out var endpoint, out var lines))
        {
            Console.Error.WriteLine($"usage: EchoClient [--connect ENDPOINT] [LINE ...]   (default {DefaultEndpoint}; no LINE: read stdin)");
            throw new SystemExitException(2);
        }
        var client = await Connect(reactor, endpoint, Console.Out);
        if (lines.Count > 0)
        {
            foreach (var line in lines) client.Send(line);
            client.Finish();
        }
        else
        {
            SendStandardInput(reactor, client);
        }
        await client.Done;
        if (client.Unanswered > 0)
        {
            Console.Error.WriteLine($"The connection closed with {client.Unanswered} line(s) not echoed.");
            throw new SystemExitException(1);
        }
    }, args);

    /// <summary>Connects an <see cref="EchoLineClient"/> writing to <paramref name="output"/> through <paramref name="endpoint"/>.</summary>
    public static Deferred<EchoLineClient> Connect(Reactor reactor, string endpoint, TextWriter output) =>
        Endpoints.ConnectProtocol(Endpoints.Client(reactor, endpoint), new EchoLineClient(output));

    /// <summary>Splits the command line into the endpoint and the lines to send (a LINE with line breaks is several lines).</summary>
    public static bool TryParse(string[] args, out string endpoint, out List<string> lines)
    {
        endpoint = DefaultEndpoint;
        lines = [];
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--connect" && i + 1 < args.Length) endpoint = args[++i];
            else if (args[i] is "--connect" or "-h" or "--help") return false;
            else lines.AddRange(args[i].Split('\n').Select(l => l.TrimEnd('\r')));
        }
        return true;
    }

    // Console reads block, so they run on their own thread and hand each line to the reactor thread. A background
    // thread: if the server goes away first, the process must not wait for the user to press Enter.
    private static void SendStandardInput(Reactor reactor, EchoLineClient client)
    {
        var reader = new Thread(() =>
        {
            while (Console.In.ReadLine() is { } line) reactor.CallFromThread(() => client.Send(line));
            reactor.CallFromThread(client.Finish);
        }) { IsBackground = true, Name = "stdin" };
        reader.Start();
    }
}
