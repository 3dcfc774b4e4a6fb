using Twine.Reactors.Io;
using Twine.Net.Sockets;
using System.Net;
using Twine.Net.Native;

namespace Twine.Net.Tcp;

/// <summary>A TCP connection: a <see cref="StreamConnection"/> with TCP_NODELAY on by default and the TCP options.</summary>
internal sealed class TcpConnection : StreamConnection, ITcpTransport
{
    private bool _noDelay;
    private bool _keepAlive;

    public TcpConnection(IIoLoop loop, int fd, EndPoint host, EndPoint peer) : base(loop, fd, host, peer)
    {
        // Twine writes whole messages per flush already; Nagle would only add a round trip of latency.
        NoDelay = true;
    }

    /// <inheritdoc />
    public bool NoDelay
    {
        get => _noDelay;
        set
        {
            if (!Closed) SocketNative.SetIntOption(Fd, SocketNative.IPPROTO_TCP, SocketNative.TCP_NODELAY, value ? 1 : 0);
            _noDelay = value;
        }
    }

    /// <inheritdoc />
    public bool KeepAlive
    {
        get => _keepAlive;
        set
        {
            if (!Closed) SocketNative.SetIntOption(Fd, SocketNative.SOL_SOCKET, SocketNative.SO_KEEPALIVE, value ? 1 : 0);
            _keepAlive = value;
        }
    }

    /// <inheritdoc />
    public void SetKeepAlive(TimeSpan idle, TimeSpan interval, int probes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(idle, TimeSpan.FromSeconds(1));
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.FromSeconds(1));
        ArgumentOutOfRangeException.ThrowIfLessThan(probes, 1);
        if (Closed) return;
        SocketNative.SetIntOption(Fd, SocketNative.IPPROTO_TCP, SocketNative.TCP_KEEPIDLE, (int)idle.TotalSeconds);
        SocketNative.SetIntOption(Fd, SocketNative.IPPROTO_TCP, SocketNative.TCP_KEEPINTVL, (int)interval.TotalSeconds);
        SocketNative.SetIntOption(Fd, SocketNative.IPPROTO_TCP, SocketNative.TCP_KEEPCNT, probes);
        KeepAlive = true;
    }

    /// <summary>The kernel's keepalive settings for this socket: idle seconds, interval seconds, probes (tests).</summary>
    internal (int Idle, int Interval, int Probes) KeepAliveSettings => (
        SocketNative.GetIntOption(Fd, SocketNative.IPPROTO_TCP, SocketNative.TCP_KEEPIDLE),
        SocketNative.GetIntOption(Fd, SocketNative.IPPROTO_TCP, SocketNative.TCP_KEEPINTVL),
        SocketNative.GetIntOption(Fd, SocketNative.IPPROTO_TCP, SocketNative.TCP_KEEPCNT));
}
