using Twine.Native;
using System.Net.Sockets;
using Twine.Net.Native;

namespace Twine.Net.Sockets;

/// <summary>
/// Turns an <c>errno</c> into the exceptions protocols and factories see: a <see cref="SocketException"/> with the
/// portable <see cref="SocketError"/> code (so .NET code can switch on it) wrapped in Twisted's error classes.
/// </summary>
internal static class SocketErrors
{
    /// <summary>A <see cref="SocketException"/> for <paramref name="errno"/>, with the system's text.</summary>
    internal static SocketException ToSocketException(int errno) =>
        new((int)ToSocketError(errno), SocketNative.Describe(errno));

    /// <summary>The connect error Twisted's <c>getConnectError</c> would give for <paramref name="errno"/>.</summary>
    internal static ConnectException ConnectError(int errno)
    {
        var inner = ToSocketException(errno);
        return errno switch
        {
            Errno.ECONNREFUSED => new ConnectionRefusedException(inner),
            Errno.ETIMEDOUT => new TcpTimedOutException(inner),
            Errno.ENETUNREACH or Errno.EHOSTUNREACH => new NoRouteException(inner),
            _ => new ConnectException($"An error occurred while connecting: {inner.Message}.", inner),
        };
    }

    /// <summary>An established connection failed with <paramref name="errno"/> (reset, broken pipe, ...).</summary>
    internal static ConnectionLostException Lost(int errno)
    {
        var inner = ToSocketException(errno);
        return new ConnectionLostException($"Connection to the other side was lost in a non-clean fashion: {inner.Message}.", inner);
    }

    /// <summary>Linux errno to the portable <see cref="SocketError"/>.</summary>
    internal static SocketError ToSocketError(int errno) => errno switch
    {
        Errno.EAGAIN => SocketError.WouldBlock,
        Errno.EINTR => SocketError.Interrupted,
        Errno.EACCES or Errno.EPERM => SocketError.AccessDenied,
        Errno.EINVAL => SocketError.InvalidArgument,
        Errno.ENFILE or Errno.EMFILE => SocketError.TooManyOpenSockets,
        Errno.EPIPE => SocketError.Shutdown,
        Errno.EMSGSIZE => SocketError.MessageSize,
        Errno.EOPNOTSUPP => SocketError.OperationNotSupported,
        Errno.EAFNOSUPPORT => SocketError.AddressFamilyNotSupported,
        Errno.EADDRINUSE => SocketError.AddressAlreadyInUse,
        Errno.EADDRNOTAVAIL or Errno.ENOENT => SocketError.AddressNotAvailable,
        Errno.ENETDOWN => SocketError.NetworkDown,
        Errno.ENETUNREACH => SocketError.NetworkUnreachable,
        Errno.ECONNABORTED => SocketError.ConnectionAborted,
        Errno.ECONNRESET => SocketError.ConnectionReset,
        Errno.ENOBUFS or Errno.ENOMEM => SocketError.NoBufferSpaceAvailable,
        Errno.EISCONN => SocketError.IsConnected,
        Errno.ENOTCONN => SocketError.NotConnected,
        Errno.ETIMEDOUT => SocketError.TimedOut,
        Errno.ECONNREFUSED => SocketError.ConnectionRefused,
        Errno.EHOSTDOWN => SocketError.HostDown,
        Errno.EHOSTUNREACH => SocketError.HostUnreachable,
        Errno.EALREADY => SocketError.AlreadyInProgress,
        Errno.EINPROGRESS => SocketError.InProgress,
        _ => SocketError.SocketError,
    };
}
