using System.Net.Sockets;
using Twine.Net.Tcp;
using Twine.Net.Unix;
using Twine.Reactors.Io;

namespace Twine.Net.Portable;

/// <summary>
/// The portable layer's <c>ListenTcp</c> and <c>ListenUnix</c>: the same arguments, checks, lock files and errors as
/// <see cref="TcpPort"/> and <see cref="UnixPort"/> (whose checks they call), over <see cref="System.Net.Sockets.Socket"/>.
/// </summary>
internal static class PortableListen
{
    /// <summary>Binds and listens on TCP; throws <see cref="CannotListenException"/> if the address cannot be used.</summary>
    public static PortablePort Tcp(IIoLoop loop, int port, IProtocolFactory factory, int backlog, string interfaceAddress, bool reusePort = false)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var (local, description) = TcpPort.LocalAddress(port, interfaceAddress);
        var socket = PortablePort.Bind(local, SocketType.Stream, reuseAddress: true, backlog, description, reusePort);
        return PortablePort.Start(loop, socket, factory, static (l, s, h, p) => new PortableTcpConnection(l, s, h, p));
    }

    /// <summary>Binds, sets the file mode, and listens on a Unix socket; throws <see cref="CannotListenException"/> if the path cannot be used.</summary>
    public static PortablePort Unix(IIoLoop loop, string path, IProtocolFactory factory, int backlog, int mode, bool wantPid)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var lockFile = UnixPort.Lock(path, wantPid);
        bool isAbstract = UnixPort.IsAbstract(path);
        Socket? socket = null;
        try
        {
            socket = PortablePort.Bind(new UnixDomainSocketEndPoint(path), SocketType.Stream, reuseAddress: false, backlog: null, path);
            if (!isAbstract && !OperatingSystem.IsWindows()) File.SetUnixFileMode(path, (UnixFileMode)(mode & 0xFFF));
            socket.Listen(backlog);
            return PortablePort.Start(loop, socket, factory, static (l, s, h, p) => new PortableUnixConnection(l, s, h, p), () =>
            {
                if (!isAbstract) UnixPort.TryDelete(path);
                lockFile?.Unlock();
            });
        }
        catch (Exception ex)
        {
            if (socket is not null)
            {
                socket.Dispose();
                if (!isAbstract) UnixPort.TryDelete(path);
            }
            lockFile?.Unlock();
            throw ex as CannotListenException ?? new CannotListenException(path, ex);
        }
    }
}
