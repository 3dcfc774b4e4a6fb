using Twine.Defer;

namespace Twine.Net.Endpoints;

/// <summary>A Unix-socket server endpoint (Twisted's <c>UNIXServerEndpoint</c>).</summary>
/// <example>
/// <code>
/// var endpoint = Endpoints.Server(reactor, "unix:/run/app.sock:mode=660:lockfile=0");
/// await endpoint.Listen(Factory.ForProtocol&lt;Echo&gt;());
/// </code>
/// </example>
public sealed class UnixServerEndpoint : IStreamServerEndpoint
{
    private readonly IReactorUnix _reactor;

    /// <summary>Creates the endpoint; nothing listens until <see cref="Listen"/>.</summary>
    /// <param name="reactor">The reactor to listen with.</param>
    /// <param name="address">The socket's path.</param>
    /// <param name="backlog">The listen queue length.</param>
    /// <param name="mode">The socket file's permissions (0666 by default).</param>
    /// <param name="wantPid">Whether to keep a lock file naming this process beside the socket.</param>
    public UnixServerEndpoint(IReactorUnix reactor, string address, int backlog = ListenBacklog.Default, int mode = 0x1B6, bool wantPid = false)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        ArgumentNullException.ThrowIfNull(address);
        _reactor = reactor;
        Address = address;
        Backlog = backlog;
        Mode = mode;
        WantPid = wantPid;
    }

    /// <summary>The socket's path.</summary>
    public string Address { get; }

    /// <summary>The listen queue length.</summary>
    public int Backlog { get; }

    /// <summary>The socket file's permissions.</summary>
    public int Mode { get; }

    /// <summary>Whether a lock file is kept.</summary>
    public bool WantPid { get; }

    /// <summary>Calls <see cref="IReactorUnix.ListenUnix"/>; its exception becomes the Deferred's failure.</summary>
    public Deferred<IListeningPort> Listen(IProtocolFactory factory)
    {
        try
        {
            return Deferred.Succeed(_reactor.ListenUnix(Address, factory, Backlog, Mode, WantPid));
        }
        catch (Exception ex)
        {
            return Deferred.Fail<IListeningPort>(ex);
        }
    }
}
