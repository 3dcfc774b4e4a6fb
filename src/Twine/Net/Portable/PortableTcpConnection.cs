using System.Net;
using System.Net.Sockets;
using Twine.Reactors.Io;

namespace Twine.Net.Portable;

/// <summary>A TCP connection on the portable layer: TCP_NODELAY on by default, and the TCP options through <see cref="System.Net.Sockets.Socket"/>.</summary>
internal sealed class PortableTcpConnection : PortableConnection, ITcpTransport
{
    private bool _noDelay;
    private bool _keepAlive;

    public PortableTcpConnection(IIoLoop loop, Socket socket, EndPoint host, EndPoint peer) : base(loop, socket, host, peer)
    {
        // As the native layer: writes leave whole per flush already, so Nagle would only add latency.
        NoDelay = true;
    }

    /// <inheritdoc />
    public bool NoDelay
    {
        get => _noDelay;
        set
        {
            if (!Closed) Socket.NoDelay = value;
            _noDelay = value;
        }
    }

    /// <inheritdoc />
    public bool KeepAlive
    {
        get => _keepAlive;
        set
        {
            if (!Closed) Socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, value);
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
        Socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, (int)idle.TotalSeconds);
        Socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, (int)interval.TotalSeconds);
        Socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, probes);
        KeepAlive = true;
    }

    /// <summary>The keepalive settings the operating system reports: idle seconds, interval seconds, probes (tests).</summary>
    internal (int Idle, int Interval, int Probes) KeepAliveSettings => (
        (int)Socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime)!,
        (int)Socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval)!,
        (int)Socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount)!);
}
