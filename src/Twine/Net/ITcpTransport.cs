namespace Twine.Net;

/// <summary>A TCP connection's transport, with the socket options Twisted's <c>ITCPTransport</c> exposes.</summary>
/// <example>
/// <code>
/// public override void ConnectionMade()
/// {
///     var tcp = (ITcpTransport)Transport;
///     tcp.KeepAlive = true;      // detect dead peers on long-idle connections
///     tcp.NoDelay = false;       // let Nagle coalesce (Twine turns it off by default)
/// }
/// </code>
/// </example>
public interface ITcpTransport : ISocketTransport
{
    /// <summary>TCP_NODELAY: send small segments at once instead of waiting to coalesce them. True by default.</summary>
    bool NoDelay { get; set; }

    /// <summary>SO_KEEPALIVE: probe an idle connection to detect a vanished peer. False by default.</summary>
    bool KeepAlive { get; set; }

    /// <summary>
    /// Turns on TCP keepalive with the given timing: after <paramref name="idle"/> without traffic the kernel sends
    /// a probe every <paramref name="interval"/>, and after <paramref name="probes"/> unanswered ones the connection
    /// is lost (with a timed-out error). This finds peers that vanished without a word (a crashed host, a dropped
    /// NAT mapping), which an idle timeout cannot tell from a quiet one.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A time under one second, or fewer than one probe.</exception>
    void SetKeepAlive(TimeSpan idle, TimeSpan interval, int probes);
}
