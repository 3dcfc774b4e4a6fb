using System.Net;
using System.Net.Sockets;
using Twine.Native;
using Twine.Net.Native;
using Twine.Net.Sockets;
using Twine.Net.Unix;
using Twine.Reactors.Io;

namespace Twine.Net.Tcp;

/// <summary>
/// A listening socket the reactor did not make (<see cref="IReactorSocket.AdoptStreamPort"/>): a duplicate of a
/// descriptor inherited from systemd or a parent. TCP (IPv4 or IPv6) or Unix, told apart by the family given, which is
/// checked against the socket itself. Stopping it closes the duplicate only; it never removes a Unix socket's file,
/// which belongs to whoever bound it.
/// </summary>
internal sealed unsafe class AdoptedPort : StreamPort
{
    private readonly bool _unix;

    private AdoptedPort(IIoLoop loop, IProtocolFactory factory, bool unix) : base(loop, factory) => _unix = unix;

    /// <summary>Checks <paramref name="fileDescriptor"/>, duplicates it, and starts accepting on the duplicate.</summary>
    public static AdoptedPort Adopt(IIoLoop loop, int fileDescriptor, AddressFamily family, IProtocolFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        int domain = family switch
        {
            AddressFamily.InterNetwork => SocketNative.AF_INET,
            AddressFamily.InterNetworkV6 => SocketNative.AF_INET6,
            AddressFamily.Unix => SocketNative.AF_UNIX,
            _ => throw new NotSupportedException($"Cannot adopt a socket of family {family}: only InterNetwork, InterNetworkV6 and Unix stream sockets."),
        };
        if (!SocketNative.IsSupported)
            throw new PlatformNotSupportedException("Adopting a descriptor uses the Linux socket ABI; this OS is not supported yet.");
        ArgumentOutOfRangeException.ThrowIfNegative(fileDescriptor);
        Check(fileDescriptor, family, domain);
        // A duplicate, so that the caller's descriptor stays theirs (Twisted's adoptStreamPort does the same).
        int fd = SocketNative.Fcntl(fileDescriptor, SocketNative.F_DUPFD_CLOEXEC, 3);
        if (fd < 0) throw new CannotListenException($"fd {fileDescriptor}", SocketErrors.ToSocketException(SocketNative.LastError));
        try
        {
            int flags = SocketNative.Fcntl(fd, SocketNative.F_GETFL, 0);
            if (flags < 0 || SocketNative.Fcntl(fd, SocketNative.F_SETFL, flags | SocketNative.O_NONBLOCK) < 0)
                throw new CannotListenException($"fd {fileDescriptor}", SocketErrors.ToSocketException(SocketNative.LastError));
        }
        catch
        {
            LibC.Close(fd);
            throw;
        }
        var port = new AdoptedPort(loop, factory, family == AddressFamily.Unix);
        port.StartListening(fd);   // closes the duplicate if the factory cannot start
        return port;
    }

    /// <summary>Refuses, with a message naming the problem, a descriptor that is not a listening stream socket of <paramref name="family"/>.</summary>
    private static void Check(int fileDescriptor, AddressFamily family, int domain)
    {
        int type = SocketNative.GetIntOption(fileDescriptor, SocketNative.SOL_SOCKET, SocketNative.SO_TYPE);
        if (type < 0)
        {
            string why = -type switch
            {
                Errno.EBADF => "is not an open descriptor",
                Errno.ENOTSOCK => "is not a socket",
                var e => $"cannot be inspected: {SocketNative.Describe(e)}",
            };
            throw new ArgumentException($"Cannot adopt fd {fileDescriptor}: it {why}.", nameof(fileDescriptor));
        }
        if (type != SocketNative.SOCK_STREAM)
            throw new ArgumentException($"Cannot adopt fd {fileDescriptor}: it is not a stream (SOCK_STREAM) socket.", nameof(fileDescriptor));
        int actual = SocketNative.GetIntOption(fileDescriptor, SocketNative.SOL_SOCKET, SocketNative.SO_DOMAIN);
        if (actual != domain)
            throw new ArgumentException($"Cannot adopt fd {fileDescriptor} as {family}: it is a socket of another family ({FamilyName(actual)}).", nameof(fileDescriptor));
        if (SocketNative.GetIntOption(fileDescriptor, SocketNative.SOL_SOCKET, SocketNative.SO_ACCEPTCONN) != 1)
            throw new ArgumentException($"Cannot adopt fd {fileDescriptor}: the socket is not listening (bind and listen before passing it).", nameof(fileDescriptor));
    }

    private static string FamilyName(int domain) => domain switch
    {
        SocketNative.AF_INET => "InterNetwork",
        SocketNative.AF_INET6 => "InterNetworkV6",
        SocketNative.AF_UNIX => "Unix",
        _ => $"family {domain}",
    };

    protected override StreamConnection CreateConnection(int fd, EndPoint host, EndPoint peer) =>
        _unix ? new UnixConnection(Loop, fd, host, peer) : new TcpConnection(Loop, fd, host, peer);
}
