namespace Twine.Net;

/// <summary>The listen backlog a port uses when none is given.</summary>
/// <remarks>
/// Twisted's default is 50, which a burst of connections overflows at once: the kernel then drops SYNs, and clients
/// wait out seconds of retransmission before their first byte is answered. Twine asks for the system's maximum
/// instead, as Node and Kestrel do: Linux caps a larger request at <c>net.core.somaxconn</c> (4096 on current
/// kernels), so the queue is as deep as the administrator allows.
/// </remarks>
/// <example>
/// <code>
/// reactor.ListenTcp(8080, factory);                   // ListenBacklog.Default
/// reactor.ListenTcp(8080, factory, backlog: 128);     // an explicit, smaller queue
/// </code>
/// </example>
public static class ListenBacklog
{
    /// <summary>The system's maximum (the kernel caps this value at its own limit).</summary>
    public const int Default = int.MaxValue;
}
