using Twine.Reactors.Io;
using Twine.Net.Sockets;
using System.Net;
using Twine.Net.Native;

namespace Twine.Net.Tcp;

/// <summary>A TCP connection: a <see cref="StreamConnection"/> with TCP_NODELAY on by default and the TCP options.</summary>
internal sealed class TcpConnection : StreamConnection, ITcpTransport
{
    public TcpConnection(IIoLoop loop, int fd, EndPoint host, EndPoint peer) : base(loop, fd, host, peer)
    {
        // Twine writes whole messages per flush already; Nagle would only add a round trip of latency.
        NoDelay = true;
    }

    private protected override void SetTcpOption(TcpOption option, int value)
    {
        var (level, name) = option switch
        {
            TcpOption.NoDelay => (SocketNative.IPPROTO_TCP, SocketNative.TCP_NODELAY),
            TcpOption.KeepAlive => (SocketNative.SOL_SOCKET, SocketNative.SO_KEEPALIVE),
            TcpOption.KeepAliveIdle => (SocketNative.IPPROTO_TCP, SocketNative.TCP_KEEPIDLE),
            TcpOption.KeepAliveInterval => (SocketNative.IPPROTO_TCP, SocketNative.TCP_KEEPINTVL),
            _ => (SocketNative.IPPROTO_TCP, SocketNative.TCP_KEEPCNT),
        };
        SocketNative.SetIntOption(Fd, level, name, value);
    }

    /// <summary>The kernel's keepalive settings for this socket: idle seconds, interval seconds, probes (tests).</summary>
    internal (int Idle, int Interval, int Probes) KeepAliveSettings => (
        SocketNative.GetIntOption(Fd, SocketNative.IPPROTO_TCP, SocketNative.TCP_KEEPIDLE),
        SocketNative.GetIntOption(Fd, SocketNative.IPPROTO_TCP, SocketNative.TCP_KEEPINTVL),
        SocketNative.GetIntOption(Fd, SocketNative.IPPROTO_TCP, SocketNative.TCP_KEEPCNT));
}
