using System.Net;
using static Twine.Net.Endpoints.EndpointSignature;

namespace Twine.Net.Endpoints;

/// <summary>
/// The endpoint types Twine knows, parsed as Twisted's <c>_parseTCP</c>, <c>_parseUNIX</c>, <c>_parseClientTCP</c>,
/// <c>_parseClientUNIX</c> and the <c>tcp6</c> plugin do (EP2, EP3), including their quirks.
/// </summary>
internal static class BuiltInEndpointParsers
{
    private static readonly EndpointSignature s_tcpServer = new("tcp", "port", "interface=", "backlog=" + ListenBacklog.Default.ToString(System.Globalization.CultureInfo.InvariantCulture), "reusePort=false");
    private static readonly EndpointSignature s_tcp6Server = new("tcp6", "port", "backlog=" + ListenBacklog.Default.ToString(System.Globalization.CultureInfo.InvariantCulture), "interface=::", "reusePort=false");
    private static readonly EndpointSignature s_unixServer = new("unix", "address", "mode=666", "backlog=" + ListenBacklog.Default.ToString(System.Globalization.CultureInfo.InvariantCulture), "lockfile=1");
    private static readonly EndpointSignature s_tcpClient = new("TCP4ClientEndpoint", "host", "port", "timeout=30", "bindAddress?");
    private static readonly EndpointSignature s_unixClient = new("UNIXClientEndpoint", "path", "timeout=30", "checkPID?");

    /// <summary><c>tcp:PORT[:interface=][:backlog=][:reusePort=true]</c>; <c>reusePort</c> is Twine's (see <see cref="TcpListenOptions.ReusePort"/>).</summary>
    public static IStreamServerEndpoint TcpServer(IReactorStreamSockets reactor, EndpointArguments a)
    {
        var v = s_tcpServer.Bind(a.Positional, a.Keywords);
        return new Tcp4ServerEndpoint(reactor, ToPort(v["port"]!), ToInt(v["backlog"]!, "backlog"), v["interface"]!, ToBool(v["reusePort"]!, "reusePort"));
    }

    /// <summary><c>tcp6:PORT[:backlog=][:interface=::][:reusePort=true]</c> (a plugin in Twisted, so matched case-insensitively).</summary>
    public static IStreamServerEndpoint Tcp6Server(IReactorStreamSockets reactor, EndpointArguments a)
    {
        var v = s_tcp6Server.Bind(a.Positional, a.Keywords);
        return new Tcp6ServerEndpoint(reactor, ToPort(v["port"]!), ToInt(v["backlog"]!, "backlog"), v["interface"]!, ToBool(v["reusePort"]!, "reusePort"));
    }

    /// <summary><c>unix:PATH[:mode=OCTAL][:backlog=][:lockfile=0|1]</c>; note the lock file is wanted by default.</summary>
    public static IStreamServerEndpoint UnixServer(IReactorStreamSockets reactor, EndpointArguments a)
    {
        var v = s_unixServer.Bind(a.Positional, a.Keywords);
        return new UnixServerEndpoint(reactor, v["address"]!, ToInt(v["backlog"]!, "backlog"),
            ToInt(v["mode"]!, 8, "mode"), ToInt(v["lockfile"]!, "lockfile") != 0);
    }

    private static readonly EndpointSignature s_adoptServer = new("adopt", "fd", "domain=INET");

    /// <summary>
    /// <c>adopt:fd=N[:domain=INET|INET6|UNIX]</c> (Twine's): adopt listening descriptor N, inherited from a parent
    /// some other way than systemd's protocol. The descriptor stays the process's (see <see cref="AdoptedStreamServerEndpoint"/>).
    /// </summary>
    public static IStreamServerEndpoint AdoptServer(IReactorStreamSockets reactor, EndpointArguments a)
    {
        var v = s_adoptServer.Bind(a.Positional, a.Keywords);
        int fd = ToInt(v["fd"]!, "fd");
        if (fd < 0) throw new ArgumentException($"fd must be a descriptor number (0 or more), not {fd}.");
        var family = SystemdEndpointParser.Domain(v["domain"]!);
        return new AdoptedStreamServerEndpoint(SystemdEndpointParser.AsSocketReactor(reactor, "adopt"), fd, family);
    }

    /// <summary>
    /// <c>tcp:HOST:PORT</c>, <c>tcp:host=HOST:port=PORT</c> or mixed, <c>timeout</c> in whole seconds, <c>bindAddress</c>
    /// an address bound with port 0. As in Twisted, one positional is the host unless <c>host=</c> is given, in which case
    /// it is the port; a third positional is ignored.
    /// </summary>
    public static IStreamClientEndpoint TcpClient(IReactorStreamSockets reactor, EndpointArguments a)
    {
        var keywords = ClientTcpKeywords(a);
        var v = s_tcpClient.Bind([], keywords);
        return new Tcp4ClientEndpoint(reactor, v["host"]!, ToPort(v["port"]!),
            TimeSpan.FromSeconds(ToInt(v["timeout"]!, "timeout")), BindEndPoint(v["bindAddress"]));
    }

    /// <summary><c>unix:PATH</c> or <c>unix:path=PATH</c>, <c>timeout</c>, <c>lockfile=0|1</c> (check the server's lock).</summary>
    public static IStreamClientEndpoint UnixClient(IReactorStreamSockets reactor, EndpointArguments a)
    {
        var keywords = new Dictionary<string, string>(a.Keywords, StringComparer.Ordinal);
        if (a.Positional.Count == 1) keywords["path"] = a.Positional[0];
        bool? fromLockfile = keywords.Remove("lockfile", out var lockfile) ? ToInt(lockfile, "lockfile") != 0 : null;
        var v = s_unixClient.Bind([], keywords);
        // Twisted passes a literal checkPID= through as a string, which Python treats as true unless it is empty.
        bool checkPid = fromLockfile ?? !string.IsNullOrEmpty(v["checkPID"]);
        return new UnixClientEndpoint(reactor, v["path"]!,
            TimeSpan.FromSeconds(ToInt(v["timeout"]!, "timeout")), checkPid);
    }

    /// <summary>Twisted's <c>_parseClientTCP</c>: folds the positionals into keywords.</summary>
    internal static Dictionary<string, string> ClientTcpKeywords(EndpointArguments a)
    {
        var keywords = new Dictionary<string, string>(a.Keywords, StringComparer.Ordinal);
        if (a.Positional.Count == 2)
        {
            keywords["port"] = a.Positional[1];
            keywords["host"] = a.Positional[0];
        }
        else if (a.Positional.Count == 1)
        {
            if (keywords.ContainsKey("host")) keywords["port"] = a.Positional[0];
            else keywords["host"] = a.Positional[0];
        }
        return keywords;
    }

    private static IPEndPoint? BindEndPoint(string? address)
    {
        if (address is null) return null;
        if (!IPAddress.TryParse(address, out var ip))
            throw new ArgumentException($"bindAddress must be an IP address literal, not '{address}'.");
        return new IPEndPoint(ip, 0);
    }

    /// <summary>A parser from a function, for the registry.</summary>
    internal sealed class Server(string prefix, Func<IReactorStreamSockets, EndpointArguments, IStreamServerEndpoint> parse) : IStreamServerEndpointStringParser
    {
        public string Prefix => prefix;
        public IStreamServerEndpoint ParseStreamServer(IReactorStreamSockets reactor, EndpointArguments arguments) => parse(reactor, arguments);
    }

    /// <summary>A parser from a function, for the registry.</summary>
    internal sealed class Client(string prefix, Func<IReactorStreamSockets, EndpointArguments, IStreamClientEndpoint> parse) : IStreamClientEndpointStringParser
    {
        public string Prefix => prefix;
        public IStreamClientEndpoint ParseStreamClient(IReactorStreamSockets reactor, EndpointArguments arguments) => parse(reactor, arguments);
    }
}
