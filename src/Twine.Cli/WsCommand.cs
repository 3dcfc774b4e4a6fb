using System.CommandLine;
using System.Net;
using System.Text;
using Twine.Defer;
using Twine.Net;
using Twine.Net.Endpoints;
using Twine.Reactors;
using Twine.Web.WebSockets;

namespace Twine.Cli;

/// <summary>
/// <c>twine ws echo [--listen ENDPOINT]</c>: a WebSocket echo server; <c>twine ws connect URL</c>: an interactive
/// client like wscat (stdin lines go out as text messages, messages received are printed, end of input closes).
/// </summary>
internal static class WsCommand
{
    public const string DefaultListen = "tcp:9000:interface=127.0.0.1";

    public static Command Create(bool installSignalHandlers)
    {
        var listen = new Option<string>("--listen", "-l")
        {
            Description = "Where to listen, as a server endpoint string (tcp:PORT[:interface=ADDR], ssl:PORT:privateKey=KEY.pem:certKey=CERT.pem for wss). The default listens on 127.0.0.1 only.",
            HelpName = "ENDPOINT",
            DefaultValueFactory = _ => DefaultListen,
        };
        var echo = new Command("echo", "Run a WebSocket echo server: every message comes back as it was sent.") { listen };
        echo.SetAction(parse => RunEcho(parse.GetValue(listen)!, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error,
            new ReactorOptions { InstallSignalHandlers = installSignalHandlers }));

        var url = new Argument<string>("URL") { Description = "A ws:// or wss:// URL." };
        var subprotocol = new Option<string[]>("--subprotocol", "-s") { Description = "A subprotocol to offer (repeatable).", HelpName = "NAME" };
        var connect = new Command("connect", "Connect to a WebSocket server: lines from stdin are sent as text messages, messages received are printed.") { url, subprotocol };
        connect.SetAction(parse => RunConnect(parse.GetValue(url)!, parse.GetValue(subprotocol) ?? [], Console.In,
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, new ReactorOptions { InstallSignalHandlers = installSignalHandlers }));

        return new Command("ws", "WebSocket tools: an echo server and an interactive client.") { echo, connect };
    }

    /// <summary>Runs the echo server until the reactor stops; <paramref name="onListening"/> (tests) hears where it listens.</summary>
    public static int RunEcho(string listen, TextWriter output, TextWriter error, ReactorOptions options, Action<Reactor, IListeningPort>? onListening = null)
    {
        using var reactor = Reactor.Create(options);
        IStreamServerEndpoint endpoint;
        try
        {
            endpoint = Endpoints.Server(reactor, listen);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or NotSupportedException)
        {
            error.WriteLine($"twine ws echo: bad --listen '{listen}': {e.Message}");
            return ExitCodes.Usage;
        }
        int exit = ExitCodes.Success;
        var factory = new WebSocketServerFactory(reactor, () => new EchoServer(),
            new WebSocketOptions { MaxMessageSize = 64L << 20, MaxFrameSize = 64L << 20 });
        reactor.CallWhenRunning(() =>
        {
            _ = endpoint.Listen(factory).AddCallbacks(
                port =>
                {
                    output.WriteLine($"twine ws echo: listening on {Describe(port.Host)} (Ctrl-C stops)");
                    output.Flush();
                    onListening?.Invoke(reactor, port);
                },
                failure =>
                {
                    error.WriteLine($"twine ws echo: cannot listen on '{listen}': {failure.GetErrorMessage()}");
                    exit = ExitCodes.Failure;
                    reactor.Stop();
                });
        });
        reactor.Run();
        if (exit == ExitCodes.Success) output.WriteLine("twine ws echo: stopped");
        return exit;
    }

    /// <summary>Runs the client until the connection closes; exit 0 after a clean close, 1 otherwise.</summary>
    public static int RunConnect(string url, IReadOnlyList<string> subprotocols, TextReader input, TextWriter output, TextWriter error, ReactorOptions options)
    {
        using var reactor = Reactor.Create(options);
        WebSocketClientFactory factory;
        var client = new InteractiveClient(output);
        try
        {
            factory = new WebSocketClientFactory(reactor, url, () => client, new WebSocketOptions { MaxMessageSize = 64L << 20, MaxFrameSize = 64L << 20 })
            {
                Subprotocols = subprotocols,
            };
        }
        catch (ArgumentException e)
        {
            error.WriteLine($"twine ws connect: {e.Message}");
            return ExitCodes.Usage;
        }
        int exit = ExitCodes.Failure;
        client.Closed = clean =>
        {
            if (clean) exit = ExitCodes.Success;
            reactor.Stop();
        };
        reactor.CallWhenRunning(() =>
        {
            _ = WebSocket.Connect(reactor, factory).AddCallbacks(
                _ =>
                {
                    output.WriteLine($"connected to {url}{(client.Subprotocol is { } p ? $" (subprotocol {p})" : "")}");
                    output.Flush();
                    ReadNextLine(reactor, client, input);
                },
                failure =>
                {
                    error.WriteLine($"twine ws connect: {failure.GetErrorMessage()}");
                    reactor.Stop();
                });
        });
        reactor.Run();
        return exit;
    }

    /// <summary>Reads stdin on a pool thread, one line at a time, so the reactor never blocks on the terminal.</summary>
    private static void ReadNextLine(Reactor reactor, InteractiveClient client, TextReader input)
    {
        _ = reactor.DeferToThread(input.ReadLine).AddCallbacks(line =>
        {
            if (client.State != WebSocketState.Open) return;
            if (line is null)
            {
                client.SendClose();
                return;
            }
            client.SendMessage(line);
            ReadNextLine(reactor, client, input);
        }, _ => client.SendClose());
    }

    private static string Describe(EndPoint host) => host is IPEndPoint ip ? $"{ip.Address}:{ip.Port}" : host.ToString() ?? "?";

    private sealed class EchoServer : WebSocketServerProtocol
    {
        public override Deferred? OnMessage(byte[] payload, bool isBinary)
        {
            SendMessage(payload, isBinary);
            return null;
        }
    }

    private sealed class InteractiveClient(TextWriter output) : WebSocketClientProtocol
    {
        public Action<bool>? Closed { get; set; }

        public override Deferred? OnMessage(byte[] payload, bool isBinary)
        {
            output.WriteLine(isBinary ? $"< [binary, {payload.Length} bytes]" : "< " + Encoding.UTF8.GetString(payload));
            output.Flush();
            return null;
        }

        public override void OnClose(bool wasClean, int code, string? reason)
        {
            output.WriteLine($"closed: {code}{(string.IsNullOrEmpty(reason) ? "" : " " + reason)}{(wasClean ? "" : " (not clean)")}");
            output.Flush();
            Closed?.Invoke(wasClean);
        }
    }
}
