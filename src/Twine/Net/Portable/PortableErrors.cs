using System.Net.Sockets;

namespace Twine.Net.Portable;

/// <summary>
/// The portable layer's counterpart of the native transports' errno mapping: a <see cref="SocketError"/> becomes the
/// same Twisted error classes, with a <see cref="SocketException"/> inside, so protocols and factories cannot tell the
/// layers apart by their failures.
/// </summary>
internal static class PortableErrors
{
    /// <summary>The connect error Twisted's <c>getConnectError</c> would give for <paramref name="error"/>.</summary>
    public static ConnectException ConnectError(SocketError error)
    {
        var inner = new SocketException((int)error);
        return error switch
        {
            SocketError.ConnectionRefused => new ConnectionRefusedException(inner),
            SocketError.TimedOut => new TcpTimedOutException(inner),
            SocketError.NetworkUnreachable or SocketError.HostUnreachable => new NoRouteException(inner),
            _ => new ConnectException($"An error occurred while connecting: {inner.Message}.", inner),
        };
    }

    /// <summary>An established connection failed with <paramref name="error"/> (reset, broken pipe, ...).</summary>
    public static ConnectionLostException Lost(SocketError error)
    {
        var inner = new SocketException((int)error);
        return new ConnectionLostException($"Connection to the other side was lost in a non-clean fashion: {inner.Message}.", inner);
    }

    /// <summary>Errors after which accepting can go on at once: that one connection died in the queue.</summary>
    public static bool IsTransientAcceptError(SocketError error) =>
        error is SocketError.ConnectionAborted or SocketError.ConnectionReset or SocketError.Interrupted or SocketError.AccessDenied;

    /// <summary>Errors that mean the process or system ran out of something: accepting pauses and retries with back-off.</summary>
    public static bool IsResourceError(SocketError error) =>
        error is SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable;
}
