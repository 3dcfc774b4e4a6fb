using Twine.Defer;
using Twine.Net.Endpoints;

namespace Twine.Net.Endpoints;

/// <summary>A Unix-socket client endpoint (Twisted's <c>UNIXClientEndpoint</c>).</summary>
/// <example>
/// <code>
/// var endpoint = Endpoints.Client(reactor, "unix:/run/app.sock:lockfile=1");
/// var protocol = await endpoint.Connect(Factory.ForProtocol&lt;Greeter&gt;());
/// </code>
/// </example>
public sealed class UnixClientEndpoint : IStreamClientEndpoint
{
    private readonly IReactorUnix _reactor;

    /// <summary>Creates the endpoint; nothing connects until <see cref="Connect"/>.</summary>
    /// <param name="reactor">The reactor to connect with.</param>
    /// <param name="path">The socket's path.</param>
    /// <param name="timeout">How long an attempt may take; null means 30 seconds.</param>
    /// <param name="checkPid">Whether to fail fast when no live server holds the socket's lock file.</param>
    public UnixClientEndpoint(IReactorUnix reactor, string path, TimeSpan? timeout = null, bool checkPid = false)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        ArgumentNullException.ThrowIfNull(path);
        _reactor = reactor;
        Path = path;
        Timeout = timeout ?? TimeSpan.FromSeconds(30);
        CheckPid = checkPid;
    }

    /// <summary>The socket's path.</summary>
    public string Path { get; }

    /// <summary>How long an attempt may take.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Whether the lock file is checked first.</summary>
    public bool CheckPid { get; }

    /// <summary>Connects; as <see cref="Tcp4ClientEndpoint.Connect"/>.</summary>
    public Deferred<IProtocol> Connect(IProtocolFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        try
        {
            var wrapper = new WrappingClientFactory(factory);
            _reactor.ConnectUnix(Path, wrapper, Timeout, CheckPid);
            return wrapper.OnConnection;
        }
        catch (Exception ex)
        {
            return Deferred.Fail<IProtocol>(ex);
        }
    }
}
