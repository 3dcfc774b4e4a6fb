using Twine.Native;
using System.Net;
using Twine.Net.Native;

namespace Twine.Net.Sockets;

/// <summary>Creates non-blocking sockets bound to a local address: the common first steps of every port.</summary>
internal static unsafe class BoundSocket
{
    /// <summary>
    /// A non-blocking, close-on-exec socket of <paramref name="type"/> bound to <paramref name="local"/>, optionally
    /// listening; on failure the socket is closed and <see cref="CannotListenException"/> names <paramref name="description"/>.
    /// </summary>
    public static int Create(EndPoint local, int type, bool reuseAddress, int? backlog, string description, bool reusePort = false)
    {
        if (!SocketNative.IsSupported)
            throw new PlatformNotSupportedException("Twine's socket transports use the Linux socket ABI; this OS is not supported yet.");
        int fd = SocketNative.Socket(SocketAddressCodec.FamilyOf(local), type | SocketNative.SOCK_NONBLOCK | SocketNative.SOCK_CLOEXEC, 0);
        if (fd < 0) throw new CannotListenException(description, SocketErrors.ToSocketException(SocketNative.LastError));
        if (DescriptorReserve.Holds(fd))
        {
            LibC.Close(fd);
            throw new CannotListenException(description, SocketErrors.ToSocketException(Errno.EMFILE));
        }
        try
        {
            // SO_REUSEADDR lets a restarted server bind while old connections sit in TIME_WAIT, as Twisted does.
            if (reuseAddress) Check(SocketNative.SetIntOption(fd, SocketNative.SOL_SOCKET, SocketNative.SO_REUSEADDR, 1));
            // SO_REUSEPORT lets several sockets (one per reactor of a ReactorGroup) bind the same address; the kernel
            // spreads incoming connections across them.
            if (reusePort) Check(SocketNative.SetIntOption(fd, SocketNative.SOL_SOCKET, SocketNative.SO_REUSEPORT, 1));
            byte* address = stackalloc byte[SocketAddressCodec.MaxSize];
            int length = SocketAddressCodec.Encode(local, new Span<byte>(address, SocketAddressCodec.MaxSize));
            if (SocketNative.Bind(fd, address, length) != 0) Check(SocketNative.LastError);
            if (backlog is { } n && SocketNative.Listen(fd, n) != 0) Check(SocketNative.LastError);
            return fd;
        }
        catch (Exception ex)
        {
            LibC.Close(fd);
            throw new CannotListenException(description, ex);
        }
    }

    private static void Check(int errno)
    {
        if (errno != 0) throw SocketErrors.ToSocketException(errno);
    }
}
