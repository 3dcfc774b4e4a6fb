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

    /// <summary>The native layer's way to connect: the descriptor becomes a <see cref="UnixConnection"/>.</summary>
    internal static readonly SocketDialer NativeDialer = new NativeDialer(static (loop, fd, host, peer) => new UnixConnection(loop, fd, host, peer));

    public UnixConnector(IIoLoop loop, string path, ClientFactory factory, TimeSpan? timeout, bool checkPid, SocketDialer dialer)
        : base(loop, dialer, factory, timeout)
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
}
