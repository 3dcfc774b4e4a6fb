using Twine.Defer;
using Twine.Net.Endpoints;
using Twine.Time;

namespace Twine.Web.Client;

/// <summary>One origin's share of an <see cref="HttpConnectionPool"/>: its open and idle connections and its queue.</summary>
internal sealed class PoolHost(Func<IStreamClientEndpoint> endpoint)
{
    public Func<IStreamClientEndpoint> Endpoint { get; } = endpoint;

    /// <summary>Connections being opened.</summary>
    public int Connecting { get; set; }

    /// <summary>Connected connections counted against the cap (busy or idle).</summary>
    public HashSet<HttpClientProtocol> Live { get; } = [];

    /// <summary>Idle connections, the most recently used last (reused first: the least likely to have been closed).</summary>
    public List<HttpClientProtocol> Idle { get; } = [];

    public Dictionary<HttpClientProtocol, IDelayedCall> IdleTimers { get; } = [];

    /// <summary>Deferreds of <see cref="HttpConnectionPool.CloseIdleConnections"/> waiting for a connection to close.</summary>
    public Dictionary<HttpClientProtocol, Deferred<Unit>> ClosedWaiters { get; } = [];

    public LinkedList<ClientRequest> Waiting { get; } = [];

    public int Open => Connecting + Live.Count;

    public void StopIdleTimer(HttpClientProtocol connection)
    {
        if (IdleTimers.Remove(connection, out var timer) && timer.IsActive) timer.Cancel();
    }

    /// <summary>No longer counts <paramref name="connection"/> (closing or closed); safe to call more than once.</summary>
    public void Detach(HttpClientProtocol connection)
    {
        Live.Remove(connection);
        Idle.Remove(connection);
        StopIdleTimer(connection);
    }
}
