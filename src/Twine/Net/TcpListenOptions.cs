namespace Twine.Net;

/// <summary>
/// How <see cref="IReactorTcp.ListenTcp(int, IProtocolFactory, TcpListenOptions)"/> binds its socket: the listen queue,
/// the interface, and whether other sockets may bind the same address (<see cref="ReusePort"/>).
/// </summary>
/// <example>
/// <code>
/// // One listening socket per reactor of a ReactorGroup, all on port 8080: the kernel spreads the connections.
/// group.Run(reactor =&gt; reactor.ListenTcp(8080, Factory.ForProtocol&lt;Echo&gt;(),
///     new TcpListenOptions { Interface = "127.0.0.1", ReusePort = true }));
/// </code>
/// </example>
public sealed record TcpListenOptions
{
    /// <summary>The listen(2) queue length (<see cref="ListenBacklog.Default"/>: the system's maximum).</summary>
    public int Backlog { get; init; } = ListenBacklog.Default;

    /// <summary>The local address to bind: "" every IPv4 interface, "::" every IPv6 one, or an address literal.</summary>
    public string Interface { get; init; } = "";

    /// <summary>
    /// Sets <c>SO_REUSEPORT</c> before binding, so several sockets (in this process or others of the same user) can
    /// listen on the same address and port; Linux hashes each new connection to one of them. Every socket sharing the
    /// port must set it. False by default: a second listener on a port in use is then an error, as usual.
    /// </summary>
    public bool ReusePort { get; init; }
}
