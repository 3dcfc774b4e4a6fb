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
/// Twine's log). Ctrl-C (SIGINT) or SIGTERM stops it cleanly with exit code 0. <c>--workers N</c> serves on N reactors
/// (see <see cref="ServerWorkers"/>).
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
            Description = "Where to listen, as a server endpoint string: tcp:PORT[:interface=ADDR][:reusePort=true], tcp6:PORT, unix:PATH, systemd:domain=INET:index=0 (socket activation), adopt:fd=N. The default listens on 127.0.0.1 only, as every Twine tool and sample does; tcp:PORT alone listens on every interface (as in Twisted).",
            HelpName = "ENDPOINT",
            DefaultValueFactory = _ => DefaultListen,
        };
        var listing = new Option<bool>("--listing")
        {
            Description = "List directories that have no index.html (off by default).",
        };
        var workers = EchoCommand.WorkersOption();
        var verbose = EchoCommand.VerboseOption();
        var quiet = new Option<bool>("--quiet", "-q")
        {
            Description = "Do not write an access-log line per request (a proxy in front, such as nginx, may keep its own).",
        };
        var web = new Command("web", "Serve a directory over HTTP/1.1.") { path, listen, listing, workers, verbose, quiet };
        web.SetAction(parse => Run(
            parse.GetValue(path)!,
            parse.GetValue(listen)!,
            parse.GetValue(listing),
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            new ReactorOptions { InstallSignalHandlers = installSignalHandlers },
            workers: parse.GetValue(workers),
            verbose: parse.GetValue(verbose),
            accessLog: !parse.GetValue(quiet)));
        return web;
    }

    /// <summary>
    /// Serves <paramref name="path"/> until the reactor stops. <paramref name="onListening"/> (tests) hears the reactor
    /// and the port once listening.
    /// </summary>
    public static int Run(string path, string listen, bool listing, TextWriter output, TextWriter error, ReactorOptions options,
        Action<Reactor, IListeningPort>? onListening = null, int workers = 1, bool verbose = false, bool accessLog = true)
    {
        string rootPath;
        try
        {
            rootPath = new Twine.Web.Static.File(path).RootPath;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            error.WriteLine($"twine web: bad --path '{path}': {e.Message}");
            error.WriteLine("Run 'twine web --help' for usage.");
            return ExitCodes.Usage;
        }

        var server = new ServerWorkers
        {
            Tool = "twine web",
            Listen = listen,
            Workers = workers,
            Verbose = verbose,
            // Each worker serves from its own resource tree: nothing is shared between the reactor threads.
            Factory = reactor => new Site(new Twine.Web.Static.File(path) { AllowDirectoryListing = listing }, reactor) { LogRequests = accessLog },
            Describe = host => $"serving {rootPath} at {Url(host, listen)}",
        };
        return server.Run(output, error, options, onListening);
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
