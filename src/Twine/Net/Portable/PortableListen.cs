using System.Net;
using System.Net.Sockets;
using Twine.Net.Tcp;
using Twine.Net.Unix;
using Twine.Reactors.Io;

namespace Twine.Net.Portable;

/// <summary>
/// The portable layer's <c>ListenTcp</c> and <c>ListenUnix</c>: the same arguments, checks and errors as
/// <see cref="TcpPort"/> and <see cref="UnixPort"/>, over <see cref="System.Net.Sockets.Socket"/>.
/// </summary>
internal static class PortableListen
{
    /// <summary>Binds and listens on TCP; throws <see cref="CannotListenException"/> if the address cannot be used.</summary>
    public static PortablePort Tcp(IIoLoop loop, int port, IProtocolFactory factory, int backlog, string interfaceAddress, bool reusePort = false)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(interfaceAddress);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        var local = new IPEndPoint(TcpPort.ParseInterface(interfaceAddress), port);
        string description = $"{(interfaceAddress.Length == 0 ? "any" : interfaceAddress)}:{port}";
        var socket = PortablePort.Bind(local, SocketType.Stream, reuseAddress: true, backlog, description, reusePort);
        return PortablePort.Start(loop, socket, factory, description, static (l, s, h, p) => new PortableTcpConnection(l, s, h, p));
    }

    /// <summary>Binds, sets the file mode, and listens on a Unix socket; throws <see cref="CannotListenException"/> if the path cannot be used.</summary>
    public static PortablePort Unix(IIoLoop loop, string path, IProtocolFactory factory, int backlog, int mode, bool wantPid)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentException.ThrowIfNullOrEmpty(path);
        bool isAbstract = path.StartsWith('\0');
        UnixLockFile? lockFile = null;
        if (wantPid && !isAbstract)
        {
            lockFile = new UnixLockFile(path + ".lock");
            if (!lockFile.TryLock()) throw new CannotListenException(path, new IOException("Cannot acquire lock: another live process holds " + path + ".lock."));
            // The previous owner died holding the lock, so the socket file it left behind is garbage.
            if (!lockFile.Clean) TryDelete(path);
        }
        Socket? socket = null;
        try
        {
            socket = PortablePort.Bind(new UnixDomainSocketEndPoint(path), SocketType.Stream, reuseAddress: false, backlog: null, path);
            if (!isAbstract && !OperatingSystem.IsWindows()) File.SetUnixFileMode(path, (UnixFileMode)(mode & 0xFFF));
            socket.Listen(backlog);
            return PortablePort.Start(loop, socket, factory, path, static (l, s, h, p) => new PortableUnixConnection(l, s, h, p), () =>
            {
                if (!isAbstract) TryDelete(path);
                lockFile?.Unlock();
            });
        }
        catch (Exception ex)
        {
            if (socket is not null)
            {
                socket.Dispose();
                if (!isAbstract) TryDelete(path);
            }
            lockFile?.Unlock();
            throw ex as CannotListenException ?? new CannotListenException(path, ex);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Already gone, or replaced by something we should not touch.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
