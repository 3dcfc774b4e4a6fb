using System.CommandLine;
using System.Net;
using Twine.Net;
using Twine.Net.Endpoints;
using Twine.Reactors;
using Twine.Web;

namespace Twine.Cli;


/// <summary>
/// <c>twine web --path DIR [--listen ENDPOINT]</c>: serves a directory over HTTP with Twine.Web's static
/// <see cref="Twine.Web.Static.File"/> resource, printing its URL and logging each request (combined log format, through
/// Twine's log). Ctrl-C (SIGINT) or SIGTERM stops it cleanly with exit code 0.
/// </summary>
internal static class WebCommand
{
    public const string DefaultListen = "tcp:8080:interface=127.0.0.1";

    public static Command Create(bool installSignalHandlers)
    {
        var path = new Option<string>("--path", "-p")
        {
            Description = "The directory (or single file) to serve.",
            HelpName = "DIR",
            Required = true,
        };
        var listen = new Option<string>("--listen", "-l")
        {
            Description = "Where to listen, as a server endpoint string: tcp:PORT[:interface=ADDR], tcp6:PORT, unix:PATH. The default listens on 127.0.0.1 only, as every Twine tool and sample does; tcp:PORT alone listens on every interface (as in Twisted).",
            HelpName = "ENDPOINT",
            DefaultValueFactory = _ => DefaultListen,
        };
        var listing = new Option<bool>("--listing")
        {
            Description = "List directories that have no index.html (off by default).",
        };
        var web = new Command("web", "Serve a directory over HTTP/1.1.") { path, listen, listing };
        web.SetAction(parse => Run(
            parse.GetValue(path)!,
            parse.GetValue(listen)!,
            parse.GetValue(listing),
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            new ReactorOptions { InstallSignalHandlers = installSignalHandlers }));
        return web;
    }

    /// <summary>
    /// Serves <paramref name="path"/> until the reactor stops. <paramref name="onListening"/> (tests) hears the reactor
    /// and the port once listening.
    /// </summary>
    public static int Run(string path, string listen, bool listing, TextWriter output, TextWriter error, ReactorOptions options,
        Action<Reactor, IListeningPort>? onListening = null)
    {
        Twine.Web.Static.File root;
        try
        {
            root = new Twine.Web.Static.File(path) { AllowDirectoryListing = listing };
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            error.WriteLine($"twine web: bad --path '{path}': {e.Message}");
            error.WriteLine("Run 'twine web --help' for usage.");
            return ExitCodes.Usage;
        }

        using var reactor = Reactor.Create(options);
        IStreamServerEndpoint endpoint;
        try
        {
            endpoint = Endpoints.Server(reactor, listen);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or NotSupportedException)
        {
            error.WriteLine($"twine web: bad --listen '{listen}': {e.Message}");
            error.WriteLine("Run 'twine web --help' for usage.");
            return ExitCodes.Usage;
        }

        int exit = ExitCodes.Success;
        reactor.CallWhenRunning(() =>
        {
            _ = endpoint.Listen(new Site(root, reactor)).AddCallbacks(
                port =>
                {
                    output.WriteLine($"twine web: serving {root.RootPath} at {Url(port.Host, listen)} (Ctrl-C stops)");
                    output.Flush();
                    onListening?.Invoke(reactor, port);
                },
                failure =>
                {
                    error.WriteLine($"twine web: cannot listen on '{listen}': {failure.GetErrorMessage()}");
                    exit = ExitCodes.Failure;
                    reactor.Stop();
                });
        });
        reactor.Run();
        if (exit == ExitCodes.Success) output.WriteLine("twine web: stopped");
        return exit;
    }

    /// <summary>
    /// The URL a browser would use: loopback for a wildcard address, the socket path for unix endpoints, and
    /// <c>https</c> when the endpoint string is a TLS one (<c>ssl:</c>).
    /// </summary>
    internal static string Url(EndPoint host, string listen = "")
    {
        var scheme = listen.StartsWith("ssl:", StringComparison.OrdinalIgnoreCase) ? "https" : "http";
        return host switch
        {
            IPEndPoint ip when ip.Address.Equals(IPAddress.Any) => $"{scheme}://127.0.0.1:{ip.Port}/",
            IPEndPoint ip when ip.Address.Equals(IPAddress.IPv6Any) => $"{scheme}://[::1]:{ip.Port}/",
            IPEndPoint ip when ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 => $"{scheme}://[{ip.Address}]:{ip.Port}/",
            IPEndPoint ip => $"{scheme}://{ip.Address}:{ip.Port}/",
            _ => $"{scheme}://localhost/ via {host}",
        };
    }
}
