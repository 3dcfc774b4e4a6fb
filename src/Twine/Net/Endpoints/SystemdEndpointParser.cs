using System.Net.Sockets;
using static Twine.Net.Endpoints.EndpointSignature;

namespace Twine.Net.Endpoints;

/// <summary>
/// The <c>systemd:</c> server endpoint type (Twisted's <c>_SystemdParser</c>): <c>systemd:domain=INET:index=0</c>
/// adopts the first socket systemd passed to the process; <c>systemd:domain=INET6:name=web</c> the one its socket unit
/// named "web" (<c>FileDescriptorName=</c>). <c>domain</c> is INET, INET6 or UNIX (SD1). Registered by default, reading
/// <see cref="ListenFds.Inherited"/>; a test registers one over its own <see cref="ListenFds"/>.
/// </summary>
/// <example>
/// <code>
/// var parsers = new EndpointParsers();
/// parsers.Register(new SystemdEndpointParser(ListenFds.FromEnvironment(env, processId)));
/// var endpoint = Endpoints.Server(reactor, "systemd:domain=INET:index=0", parsers);
/// </code>
/// </example>
public sealed class SystemdEndpointParser : IStreamServerEndpointStringParser
{
    private static readonly EndpointSignature s_signature = new("systemd", "domain", "index?", "name?");
    private readonly ListenFds? _fds;

    /// <summary>A parser over <paramref name="fds"/>, or over <see cref="ListenFds.Inherited"/> (read when first needed) when null.</summary>
    public SystemdEndpointParser(ListenFds? fds = null) => _fds = fds;

    /// <inheritdoc />
    public string Prefix => "systemd";

    /// <summary>
    /// Parses <c>domain=</c> and one of <c>index=</c> or <c>name=</c>, and finds the descriptor.
    /// </summary>
    /// <exception cref="ArgumentException">A bad domain, not exactly one of index and name, or no such inherited descriptor (the message says why: no variables, another process's pid, the index out of range).</exception>
    /// <exception cref="NotSupportedException">The reactor cannot adopt descriptors (it is not an <see cref="IReactorSocket"/>).</exception>
    public IStreamServerEndpoint ParseStreamServer(IReactorStreamSockets reactor, EndpointArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        ArgumentNullException.ThrowIfNull(arguments);
        var v = s_signature.Bind(arguments.Positional, arguments.Keywords);
        var family = Domain(v["domain"]!);
        var (index, name) = (v["index"], v["name"]);
        if ((index is null) == (name is null))
            throw new ArgumentException("The 'systemd' endpoint needs exactly one of index= (0 for the first socket) or name= (a FileDescriptorName).");
        var fds = _fds ?? ListenFds.Inherited;
        int fd = index is not null ? fds.ByIndex(ToInt(index, "index")) : fds.ByName(name!);
        return new AdoptedStreamServerEndpoint(AsSocketReactor(reactor, "systemd"), fd, family);
    }

    /// <summary>INET, INET6 or UNIX (Python's <c>socket.AF_*</c> names without the prefix), as Twisted accepts.</summary>
    internal static AddressFamily Domain(string domain) => domain switch
    {
        "INET" => AddressFamily.InterNetwork,
        "INET6" => AddressFamily.InterNetworkV6,
        "UNIX" => AddressFamily.Unix,
        _ => throw new ArgumentException($"domain must be INET, INET6 or UNIX, not '{domain}'."),
    };

    internal static IReactorSocket AsSocketReactor(IReactorStreamSockets reactor, string type) =>
        reactor as IReactorSocket
        ?? throw new NotSupportedException($"The '{type}' endpoint adopts a descriptor, which {reactor.GetType().Name} cannot do (it is not an IReactorSocket).");
}
