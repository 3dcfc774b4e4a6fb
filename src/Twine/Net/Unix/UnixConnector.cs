using Twine.Reactors.Io;
using Twine.Net.Sockets;
using System.Net;
using System.Net.Sockets;
using Twine.Net.Tcp;

namespace Twine.Net.Unix;

/// <summary><see cref="IReactorUnix.ConnectUnix"/>'s connector; with <c>checkPid</c> it fails fast when no live server holds the socket's lock file.</summary>
internal sealed class UnixConnector : StreamConnector
{
    private readonly string _path;
    private readonly bool _checkPid;

    public UnixConnector(IIoLoop loop, string path, ClientFactory factory, TimeSpan? timeout, bool checkPid)
        : base(loop, factory, timeout)
    {
        _path = path;
        _checkPid = checkPid;
        Destination = new UnixDomainSocketEndPoint(path);
    }

    /// <inheritdoc />
    public override EndPoint Destination { get; }

    protected override void Resolve(int generation)
    {
        if (_checkPid && !UnixLockFile.IsLocked(_path + ".lock"))
        {
            // Reported from a later turn, after StartedConnecting, as every connect outcome is.
            Loop.CallLater(TimeSpan.Zero, () => ReportFailure(generation, new BadFileException(_path)));
            return;
        }
        ConnectTo(generation, Destination);
    }

    protected override StreamConnection CreateConnection(int fd, EndPoint host, EndPoint peer) =>
        new UnixConnection(Loop, fd, host, peer);
}
