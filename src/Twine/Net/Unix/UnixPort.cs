using Twine.Reactors.Io;
using Twine.Native;
using Twine.Net.Sockets;
using System.Net;
using System.Net.Sockets;
using Twine.Net.Native;
using Twine.Net.Tcp;

namespace Twine.Net.Unix;

/// <summary>A listening Unix-domain stream socket: <see cref="IReactorUnix.ListenUnix"/>.</summary>
/// <remarks>
/// The socket file gets <c>mode</c> before the port starts listening, and is removed when the port stops. A name
/// starting with a NUL character is a Linux abstract socket: there is no file to chmod or remove.
/// </remarks>
internal sealed class UnixPort : StreamPort
{
    private readonly string _path;
    private readonly UnixLockFile? _lock;

    private UnixPort(IIoLoop loop, IProtocolFactory factory, string path, UnixLockFile? lockFile) : base(loop, factory)
    {
        _path = path;
        _lock = lockFile;
    }

    /// <summary>True for a Linux abstract socket's name (a leading NUL): no file to chmod, lock or remove.</summary>
    internal static bool IsAbstract(string path) => path.StartsWith('\0');

    /// <summary>
    /// Checks a path to listen on (on either socket layer) and, with <paramref name="wantPid"/>, takes its lock file,
    /// removing the socket file a dead previous owner left behind. Null when no lock is wanted.
    /// </summary>
    /// <exception cref="CannotListenException">A live process holds the lock.</exception>
    internal static UnixLockFile? Lock(string path, bool wantPid)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!wantPid || IsAbstract(path)) return null;
        var lockFile = new UnixLockFile(path + ".lock");
        if (!lockFile.TryLock()) throw new CannotListenException(path, new IOException("Cannot acquire lock: another live process holds " + path + ".lock."));
        // The previous owner died holding the lock, so the socket file it left behind is garbage.
        if (!lockFile.Clean) TryDelete(path);
        return lockFile;
    }

    /// <summary>Binds, sets the file mode, and listens; throws <see cref="CannotListenException"/> if the path cannot be used.</summary>
    public static UnixPort Listen(IIoLoop loop, string path, IProtocolFactory factory, int backlog, int mode, bool wantPid)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var lockFile = Lock(path, wantPid);
        int fd = -1;
        try
        {
            fd = BoundSocket.Create(new UnixDomainSocketEndPoint(path), SocketNative.SOCK_STREAM, reuseAddress: false, backlog: null, path);
            if (!IsAbstract(path) && !OperatingSystem.IsWindows()) File.SetUnixFileMode(path, (UnixFileMode)(mode & 0xFFF));
            if (SocketNative.Listen(fd, backlog) != 0) throw SocketErrors.ToSocketException(SocketNative.LastError);
            var port = new UnixPort(loop, factory, path, lockFile);
            int listening = fd;
            fd = -1;   // the port owns the socket now, and closes it (file and lock too) if the factory cannot start
            port.StartListening(listening);
            return port;
        }
        catch (Exception ex)
        {
            if (fd >= 0)
            {
                LibC.Close(fd);
                if (!IsAbstract(path)) TryDelete(path);
            }
            lockFile?.Unlock();
            throw ex as CannotListenException ?? new CannotListenException(path, ex);
        }
    }

    protected override StreamConnection CreateConnection(int fd, EndPoint host, EndPoint peer) =>
        new UnixConnection(Loop, fd, host, peer);

    private protected override void OnClosed()
    {
        if (!IsAbstract(_path)) TryDelete(_path);
        _lock?.Unlock();
    }

    /// <summary>Removes a socket file, if it is still there and ours to remove.</summary>
    internal static void TryDelete(string path)
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
