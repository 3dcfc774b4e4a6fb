using System.CommandLine;
using System.Net;
using Twine.Net;
using Twine.Reactors;
using Twine.Net.Endpoints;
using Twine.Protocols;

namespace Twine.Cli;


/// <summary>
/// <c>twine echo --listen tcp:8000</c>: an echo server on any server endpoint string (Twisted's syntax). It prints
/// where it listens and runs until Ctrl-C (SIGINT) or SIGTERM, which stop it cleanly with exit code 0.
/// </summary>
internal static class EchoCommand
{
    public const string DefaultListen = "tcp:8000:interface=127.0.0.1";

    public static Command Create(bool installSignalHandlers)
    {
        var listen = new Option<string>("--listen", "-l")
        {
            Description = "Where to listen, as a server endpoint string: tcp:PORT[:interface=ADDR], tcp6:PORT, unix:PATH, ssl:PORT:privateKey=KEY.pem:certKey=CERT.pem. The default listens on 127.0.0.1 only, as every Twine tool and sample does; tcp:PORT alone listens on every interface (as in Twisted).",
            HelpName = "ENDPOINT",
            DefaultValueFactory = _ => DefaultListen,
        };
        var echo = new Command("echo", "Run an echo server: every byte a client sends comes straight back.") { listen };
        echo.SetAction(parse => Run(
            parse.GetValue(listen)!,
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            new ReactorOptions { InstallSignalHandlers = installSignalHandlers }));
        return echo;
    }

    /// <summary>
    /// Runs the server until the reactor stops. <paramref name="onListening"/> (tests) hears the reactor and the port
    /// once listening.
    /// </summary>
    public static int Run(string listen, TextWriter output, TextWriter error, ReactorOptions options,
        Action<Reactor, IListeningPort>? onListening = null)
    {
        using var reactor = Reactor.Create(options);
        IStreamServerEndpoint endpoint;
        try
        {
            endpoint = Endpoints.Server(reactor, listen);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or NotSupportedException)
        {
            error.WriteLine($"twine echo: bad --listen '{listen}': {e.Message}");
            error.WriteLine("Run 'twine echo --help' for usage.");
            return ExitCodes.Usage;
        }

        int exit = ExitCodes.Success;
        reactor.CallWhenRunning(() =>
        {
            _ = endpoint.Listen(Factory.ForProtocol<Echo>()).AddCallbacks(
                port =>
                {
                    output.WriteLine($"twine echo: listening on {Describe(port.Host)} (Ctrl-C stops)");
                    output.Flush();
                    onListening?.Invoke(reactor, port);
                },
                failure =>
                {
                    error.WriteLine($"twine echo: cannot listen on '{listen}': {failure.GetErrorMessage()}");
                    exit = ExitCodes.Failure;
                    reactor.Stop();
                });
        });
        reactor.Run();
        if (exit == ExitCodes.Success) output.WriteLine("twine echo: stopped");
        return exit;
    }

    private static string Describe(EndPoint host) => host switch
    {
        IPEndPoint ip => ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{ip.Address}]:{ip.Port}" : $"{ip.Address}:{ip.Port}",
        _ => host.ToString() ?? "?",
    };
}
