using System.CommandLine;
using System.Net;
using Twine.Net;
using Twine.Reactors;
using Twine.Net.Endpoints;
using Twine.Protocols;

namespace Twine.Cli;


/// <summary>
/// <c>twine echo --listen tcp:8000</c>: an echo server on any server endpoint string (Twisted's syntax). It prints
/// where it listens and runs until Ctrl-C (SIGINT) or SIGTERM, which stop it cleanly with exit code 0. <c>--workers N</c>
/// serves on N reactors (see <see cref="ServerWorkers"/>).
/// </summary>
internal static class EchoCommand
{
    public const string DefaultListen = "tcp:8000:interface=127.0.0.1";

    public static Command Create(bool installSignalHandlers)
    {
        var listen = new Option<string>("--listen", "-l")
        {
            Description = "Where to listen, as a server endpoint string: tcp:PORT[:interface=ADDR][:reusePort=true], tcp6:PORT, unix:PATH, ssl:PORT:privateKey=KEY.pem:certKey=CERT.pem, systemd:domain=INET:index=0 (socket activation), adopt:fd=N. The default listens on 127.0.0.1 only, as every Twine tool and sample does; tcp:PORT alone listens on every interface (as in Twisted).",
            HelpName = "ENDPOINT",
            DefaultValueFactory = _ => DefaultListen,
        };
        var workers = WorkersOption();
        var verbose = VerboseOption();
        var echo = new Command("echo", "Run an echo server: every byte a client sends comes straight back.") { listen, workers, verbose };
        echo.SetAction(parse => Run(
            parse.GetValue(listen)!,
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            new ReactorOptions { InstallSignalHandlers = installSignalHandlers },
            workers: parse.GetValue(workers),
            verbose: parse.GetValue(verbose)));
        return echo;
    }

    /// <summary>--workers N: how many reactors (threads) serve, each on its own SO_REUSEPORT socket.</summary>
    internal static Option<int> WorkersOption() => new("--workers", "-w")
    {
        Description = "How many reactors (one thread each) serve: each listens on its own socket with SO_REUSEPORT and the kernel spreads connections over them (tcp:, tcp6:, ssl:); systemd: and adopt: sockets are shared. 1 by default; use the number of cores to use them all.",
        HelpName = "N",
        DefaultValueFactory = _ => 1,
    };

    /// <summary>--verbose: a line per connection, naming the worker that accepted it.</summary>
    internal static Option<bool> VerboseOption() => new("--verbose", "-v")
    {
        Description = "Print a line per connection, with the worker that accepted it.",
    };

    /// <summary>
    /// Runs the server until the reactors stop. <paramref name="onListening"/> (tests) hears each worker's reactor and
    /// port once listening.
    /// </summary>
    public static int Run(string listen, TextWriter output, TextWriter error, ReactorOptions options,
        Action<Reactor, IListeningPort>? onListening = null, int workers = 1, bool verbose = false)
    {
        var server = new ServerWorkers
        {
            Tool = "twine echo",
            Listen = listen,
            Workers = workers,
            Verbose = verbose,
            Factory = _ => Factory.ForProtocol<Echo>(),
            Describe = host => $"listening on {Describe(host)}",
        };
        return server.Run(output, error, options, onListening);
    }

    private static string Describe(EndPoint host) => host switch
    {
        IPEndPoint ip => ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{ip.Address}]:{ip.Port}" : $"{ip.Address}:{ip.Port}",
        _ => host.ToString() ?? "?",
    };
}
