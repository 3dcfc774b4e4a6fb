namespace Twine.Net.Sockets;

/// <summary>The TCP socket options a <see cref="StreamTransport"/> can set; each layer maps them to its own calls.</summary>
internal enum TcpOption
{
    /// <summary>TCP_NODELAY: 1 sends at once, 0 lets Nagle's algorithm coalesce.</summary>
    NoDelay,

    /// <summary>SO_KEEPALIVE: 1 on, 0 off.</summary>
    KeepAlive,

    /// <summary>TCP_KEEPIDLE: seconds of silence before the first probe.</summary>
    KeepAliveIdle,

    /// <summary>TCP_KEEPINTVL: seconds between probes.</summary>
    KeepAliveInterval,

    /// <summary>TCP_KEEPCNT: unanswered probes before the connection is dropped.</summary>
    KeepAliveProbes,
}

// The TCP options of ITcpTransport, once for both layers: the TCP connections (native and portable) declare the
// interface and supply SetTcpOption; a Unix connection never calls these.
internal abstract partial class StreamTransport
{
    private bool _noDelay;
    private bool _keepAlive;

    /// <inheritdoc cref="ITcpTransport.NoDelay" />
    public bool NoDelay
    {
        get => _noDelay;
        set
        {
            if (!_closed) SetTcpOption(TcpOption.NoDelay, value ? 1 : 0);
            _noDelay = value;
        }
    }

    /// <inheritdoc cref="ITcpTransport.KeepAlive" />
    public bool KeepAlive
    {
        get => _keepAlive;
        set
        {
            if (!_closed) SetTcpOption(TcpOption.KeepAlive, value ? 1 : 0);
            _keepAlive = value;
        }
    }

    /// <inheritdoc cref="ITcpTransport.SetKeepAlive" />
    public void SetKeepAlive(TimeSpan idle, TimeSpan interval, int probes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(idle, TimeSpan.FromSeconds(1));
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.FromSeconds(1));
        ArgumentOutOfRangeException.ThrowIfLessThan(probes, 1);
        if (_closed) return;
        SetTcpOption(TcpOption.KeepAliveIdle, (int)idle.TotalSeconds);
        SetTcpOption(TcpOption.KeepAliveInterval, (int)interval.TotalSeconds);
        SetTcpOption(TcpOption.KeepAliveProbes, probes);
        KeepAlive = true;
    }

    /// <summary>Sets one TCP option on the open socket.</summary>
    /// <exception cref="NotSupportedException">Not a TCP connection.</exception>
    private protected virtual void SetTcpOption(TcpOption option, int value) =>
        throw new NotSupportedException($"{this} is not a TCP connection: it has no {option} option.");
}
