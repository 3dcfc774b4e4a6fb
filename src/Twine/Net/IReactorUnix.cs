namespace Twine.Net;

/// <summary>
/// A reactor that makes and accepts Unix-domain stream connections (Twisted's <c>IReactorUNIX</c>). Addresses are
/// <see cref="System.Net.Sockets.UnixDomainSocketEndPoint"/>s.
/// </summary>
/// <example>
/// <code>
/// reactor.ListenUnix("/run/app.sock", Factory.ForProtocol&lt;Echo&gt;(), mode: Convert.ToInt32("660", 8));
/// reactor.ConnectUnix("/run/app.sock", ClientFactory.ForProtocol&lt;Greeter&gt;());
/// </code>
/// </example>
public interface IReactorUnix
{
    /// <summary>Listens on the socket file <paramref name="path"/>.</summary>
    /// <param name="path">The socket's path.</param>
    /// <param name="factory">Builds one protocol per accepted connection.</param>
    /// <param name="backlog">The listen(2) queue length.</param>
    /// <param name="mode">The socket file's permissions (default 0666, as in Twisted).</param>
    /// <param name="wantPid">Whether to keep a lock file beside the socket so a second server can tell it is in use.</param>
    IListeningPort ListenUnix(string path, IProtocolFactory factory, int backlog = ListenBacklog.Default, int mode = 0x1B6, bool wantPid = false);

    /// <summary>Connects to the socket file <paramref name="path"/>, reporting to <paramref name="factory"/>.</summary>
    /// <param name="path">The socket's path.</param>
    /// <param name="factory">Builds the protocol once connected and hears about failure and loss.</param>
    /// <param name="timeout">How long the attempt may take; null means 30 seconds.</param>
    /// <param name="checkPid">Whether to check the server's lock file first and fail fast if it is stale.</param>
    IConnector ConnectUnix(string path, ClientFactory factory, TimeSpan? timeout = null, bool checkPid = false);
}
