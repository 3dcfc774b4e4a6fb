using System.Net;
using System.Net.Sockets;
using Twine.Net.Sockets;
using Twine.Reactors.Io;

namespace Twine.Net.Portable;

/// <summary>A TCP connection on the portable layer: TCP_NODELAY on by default, and the TCP options through <see cref="System.Net.Sockets.Socket"/>.</summary>
internal sealed class PortableTcpConnection : PortableConnection, ITcpTransport
{
    public PortableTcpConnection(IIoLoop loop, Socket socket, EndPoint host, EndPoint peer) : base(loop, socket, host, peer)
    {
        // As the native layer: writes leave whole per flush already, so Nagle would only add latency.
        NoDelay = true;
    }

    private protected override void SetTcpOption(TcpOption option, int value)
    {
        var (level, name) = option switch
        {
            TcpOption.NoDelay => (SocketOptionLevel.Tcp, SocketOptionName.NoDelay),
            TcpOption.KeepAlive => (SocketOptionLevel.Socket, SocketOptionName.KeepAlive),
            TcpOption.KeepAliveIdle => (SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime),
            TcpOption.KeepAliveInterval => (SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval),
            _ => (SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount),
        };
        Socket.SetSocketOption(level, name, value);
    }

    /// <summary>The keepalive settings the operating system reports: idle seconds, interval seconds, probes (tests).</summary>
    internal (int Idle, int Interval, int Probes) KeepAliveSettings => (
        (int)Socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime)!,
        (int)Socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval)!,
        (int)Socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount)!);
}
