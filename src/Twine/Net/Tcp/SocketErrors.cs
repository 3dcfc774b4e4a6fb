using System.Net.Sockets;
using Twine.Net.Native;

namespace Twine.Net.Tcp;

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
            SocketNative.ECONNREFUSED => new ConnectionRefusedException(inner),
            SocketNative.ETIMEDOUT => new TcpTimedOutException(inner),
            SocketNative.ENETUNREACH or SocketNative.EHOSTUNREACH => new NoRouteException(inner),
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
        SocketNative.EAGAIN => SocketError.WouldBlock,
        SocketNative.EINTR => SocketError.Interrupted,
        SocketNative.EACCES or SocketNative.EPERM => SocketError.AccessDenied,
        SocketNative.EINVAL => SocketError.InvalidArgument,
        SocketNative.ENFILE or SocketNative.EMFILE => SocketError.TooManyOpenSockets,
        SocketNative.EPIPE => SocketError.Shutdown,
        SocketNative.EMSGSIZE => SocketError.MessageSize,
        SocketNative.EOPNOTSUPP => SocketError.OperationNotSupported,
        SocketNative.EAFNOSUPPORT => SocketError.AddressFamilyNotSupported,
        SocketNative.EADDRINUSE => SocketError.AddressAlreadyInUse,
        SocketNative.EADDRNOTAVAIL or SocketNative.ENOENT => SocketError.AddressNotAvailable,
        SocketNative.ENETDOWN => SocketError.NetworkDown,
        SocketNative.ENETUNREACH => SocketError.NetworkUnreachable,
        SocketNative.ECONNABORTED => SocketError.ConnectionAborted,
        SocketNative.ECONNRESET => SocketError.ConnectionReset,
        SocketNative.ENOBUFS or SocketNative.ENOMEM => SocketError.NoBufferSpaceAvailable,
        SocketNative.EISCONN => SocketError.IsConnected,
        SocketNative.ENOTCONN => SocketError.NotConnected,
        SocketNative.ETIMEDOUT => SocketError.TimedOut,
        SocketNative.ECONNREFUSED => SocketError.ConnectionRefused,
        SocketNative.EHOSTDOWN => SocketError.HostDown,
        SocketNative.EHOSTUNREACH => SocketError.HostUnreachable,
        SocketNative.EALREADY => SocketError.AlreadyInProgress,
        SocketNative.EINPROGRESS => SocketError.InProgress,
        _ => SocketError.SocketError,
    };
}
