using Twine.Net.Endpoints;

namespace Twine.Net.Endpoints;

/// <summary>
/// The endpoint types a description string may name (EP2–EP4): Twisted's built-in types plus an explicit registry
/// standing in for its plugins.
/// </summary>
/// <remarks>
/// <para><b>Server strings</b> look the type up case-sensitively among <c>tcp</c>, <c>unix</c> and <c>ssl</c> (so
/// <c>"TCP:80"</c> fails, as in Twisted), then case-insensitively among the registered parsers (<c>tcp6</c> is
/// registered by default, as are <c>systemd</c> and <c>adopt</c>: see <see cref="SystemdEndpointParser"/>). <b>Client strings</b> upper-case the type and look among <c>TCP</c>, <c>UNIX</c> and
/// <c>SSL</c>, then among the registered parsers (<c>tls</c> by default). Anything else is
/// <c>ArgumentException("Unknown endpoint type: '...'")</c>.</para>
/// <para><b>TLS</b>: <c>ssl:</c> (server and client) and <c>tls:</c> (client) take Twisted's arguments and wrap TCP in
/// <see cref="TlsServerEndpoint"/> / <see cref="TlsClientEndpoint"/>. Registering a parser with prefix <c>ssl</c>
/// or <c>tls</c> replaces the built-in one; <c>tcp</c> and <c>unix</c> cannot be replaced.</para>
/// </remarks>
/// <example>
/// <code>
/// var parsers = new EndpointParsers();            // or EndpointParsers.Default, which Endpoints uses
/// parsers.Register(new MyStdioParser());          // "stdio:" now works in Endpoints.Server(reactor, "stdio:", parsers)
/// </code>
/// </example>
public sealed class EndpointParsers
{
    private readonly Dictionary<string, IStreamServerEndpointStringParser> _builtInServers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IStreamClientEndpointStringParser> _builtInClients = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IStreamServerEndpointStringParser> _servers = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, IStreamClientEndpointStringParser> _clients = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();

    /// <summary>A registry with Twisted's built-in types, <c>tcp6</c>, and the TLS types.</summary>
    public EndpointParsers()
    {
        _builtInServers["tcp"] = new BuiltInEndpointParsers.Server("tcp", BuiltInEndpointParsers.TcpServer);
        _builtInServers["unix"] = new BuiltInEndpointParsers.Server("unix", BuiltInEndpointParsers.UnixServer);
        _builtInServers["ssl"] = new BuiltInEndpointParsers.Server("ssl", TlsEndpointParsers.SslServer);
        _servers["tcp6"] = new BuiltInEndpointParsers.Server("tcp6", BuiltInEndpointParsers.Tcp6Server);
        _servers["systemd"] = new SystemdEndpointParser();
        _servers["adopt"] = new BuiltInEndpointParsers.Server("adopt", BuiltInEndpointParsers.AdoptServer);
        _builtInClients["TCP"] = new BuiltInEndpointParsers.Client("tcp", BuiltInEndpointParsers.TcpClient);
        _builtInClients["UNIX"] = new BuiltInEndpointParsers.Client("unix", BuiltInEndpointParsers.UnixClient);
        _builtInClients["SSL"] = new BuiltInEndpointParsers.Client("ssl", TlsEndpointParsers.SslClient);
        _clients["tls"] = new BuiltInEndpointParsers.Client("tls", TlsEndpointParsers.TlsClient);
    }

    /// <summary>The registry <see cref="Endpoints"/> uses when none is given.</summary>
    public static EndpointParsers Default { get; } = new();

    /// <summary>Adds (or replaces) the server parser for <see cref="IStreamServerEndpointStringParser.Prefix"/>. Thread-safe.</summary>
    /// <exception cref="ArgumentException">The prefix is <c>tcp</c> or <c>unix</c>, or contains ':'.</exception>
    public void Register(IStreamServerEndpointStringParser parser)
    {
        ArgumentNullException.ThrowIfNull(parser);
        var prefix = CheckPrefix(parser.Prefix);
        lock (_lock)
        {
            if (string.Equals(prefix, "ssl", StringComparison.OrdinalIgnoreCase)) _builtInServers["ssl"] = parser;
            else _servers[prefix] = parser;
        }
    }

    /// <summary>Adds (or replaces) the client parser for <see cref="IStreamClientEndpointStringParser.Prefix"/>. Thread-safe.</summary>
    /// <exception cref="ArgumentException">The prefix is <c>tcp</c> or <c>unix</c>, or contains ':'.</exception>
    public void Register(IStreamClientEndpointStringParser parser)
    {
        ArgumentNullException.ThrowIfNull(parser);
        var prefix = CheckPrefix(parser.Prefix);
        lock (_lock)
        {
            if (string.Equals(prefix, "ssl", StringComparison.OrdinalIgnoreCase)) _builtInClients["SSL"] = parser;
            else _clients[prefix] = parser;
        }
    }

    /// <summary>The server parser for <paramref name="type"/> by Twisted's rules (EP2).</summary>
    internal IStreamServerEndpointStringParser FindServer(string type)
    {
        lock (_lock)
        {
            if (_builtInServers.TryGetValue(type, out var builtIn)) return builtIn;
            if (_servers.TryGetValue(type, out var plugin)) return plugin;
        }
        throw Unknown(type);
    }

    /// <summary>The client parser for <paramref name="type"/> by Twisted's rules (EP3).</summary>
    internal IStreamClientEndpointStringParser FindClient(string type)
    {
        lock (_lock)
        {
            if (_builtInClients.TryGetValue(type.ToUpperInvariant(), out var builtIn)) return builtIn;
            if (_clients.TryGetValue(type, out var plugin)) return plugin;
        }
        throw Unknown(type);
    }

    private static ArgumentException Unknown(string type) =>
        new($"Unknown endpoint type: '{type.ToLowerInvariant()}'");

    private static string CheckPrefix(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        if (prefix.Contains(':')) throw new ArgumentException($"An endpoint type cannot contain ':' ('{prefix}').", nameof(prefix));
        if (prefix.Equals("tcp", StringComparison.OrdinalIgnoreCase) || prefix.Equals("unix", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"'{prefix}' is a built-in endpoint type and cannot be replaced.", nameof(prefix));
        return prefix;
    }
}
