using Twine.Defer;
using Twine.Net;
using Twine.Net.Endpoints;
using Twine.Time;

namespace Twine.Web.Client;

/// <summary>
/// The connections an <see cref="Agent"/> sends its requests on (Twisted's <c>HTTPConnectionPool</c>), grouped by
/// (scheme, host, port). A persistent pool keeps a connection open after its response and hands it to the next
/// request for the same origin; an idle connection closes after <see cref="IdleTimeout"/>. At most
/// <see cref="MaxConnectionsPerHost"/> connections per origin are open or opening at once; further requests wait in
/// order for one to come free. When a reused connection turns out to have been closed by the server (it closes before
/// any byte of the response), an idempotent request is sent once more on a new connection; POST and the like fail
/// with <see cref="ResponseNeverReceivedException"/> instead, as they may have had an effect.
/// A non-persistent pool (what an <see cref="Agent"/> uses unless given one, as in Twisted) asks for
/// <c>Connection: close</c> and uses each connection once, within the same per-origin cap.
/// </summary>
/// <example>
/// <code>
/// var pool = new HttpConnectionPool(reactor) { MaxConnectionsPerHost = 10, IdleTimeout = TimeSpan.FromSeconds(30) };
/// var agent = new Agent(reactor, pool);
/// var first = await agent.GetPage("http://127.0.0.1:8080/a");
/// var second = await agent.GetPage("http://127.0.0.1:8080/b");   // same connection
/// await pool.CloseIdleConnections();
/// </code>
/// </example>
public sealed class HttpConnectionPool
{
    private readonly IReactorTime? _clock;
    private readonly Dictionary<string, PoolHost> _hosts = [];
    private int _maxPerHost = 6;
    private TimeSpan _idleTimeout = TimeSpan.FromSeconds(240);

    /// <summary>Creates a pool; <paramref name="clock"/> runs the idle timeouts.</summary>
    /// <param name="clock">The reactor (or a test's <see cref="Clock"/>) whose time the idle timeout follows.</param>
    /// <param name="persistent">Whether connections are kept for reuse (Twisted's <c>persistent</c>).</param>
    public HttpConnectionPool(IReactorTime clock, bool persistent = true)
    {
        ArgumentNullException.ThrowIfNull(clock);
        _clock = clock;
        Persistent = persistent;
    }

    /// <summary>A non-persistent pool that needs no clock (what <see cref="Agent"/> makes when it is given none).</summary>
    internal HttpConnectionPool() => Persistent = false;

    /// <summary>Whether connections are kept open for reuse.</summary>
    public bool Persistent { get; }

    /// <summary>The most connections open or opening to one origin at once (default 6); requests beyond it wait.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Less than 1.</exception>
    public int MaxConnectionsPerHost
    {
        get => _maxPerHost;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxPerHost = value;
        }
    }

    /// <summary>How long an idle persistent connection stays open (default 240 s, Twisted's <c>cachedConnectionTimeout</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public TimeSpan IdleTimeout
    {
        get => _idleTimeout;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            _idleTimeout = value;
        }
    }

    /// <summary>Whether an idempotent request is retried once when its reused connection was closed by the server (default true).</summary>
    public bool RetryAutomatically { get; set; } = true;

    /// <summary>Connections open or being opened, over all origins.</summary>
    public int OpenConnections => _hosts.Values.Sum(h => h.Open);

    /// <summary>Open connections waiting for a request, over all origins.</summary>
    public int IdleConnections => _hosts.Values.Sum(h => h.Idle.Count);

    /// <summary>Requests waiting for a connection, over all origins.</summary>
    public int WaitingRequests => _hosts.Values.Sum(h => h.Waiting.Count);

    /// <summary>
    /// Closes every idle connection (Twisted's <c>closeCachedConnections</c>); fires when they have all closed.
    /// Connections carrying a request are left to finish.
    /// </summary>
    public Deferred<Unit> CloseIdleConnections()
    {
        var closing = new List<Deferred<Unit>>();
        foreach (var host in _hosts.Values)
        {
            foreach (var connection in host.Idle.ToArray())
            {
                var closed = new Deferred<Unit>();
                host.ClosedWaiters[connection] = closed;
                closing.Add(closed);
                host.Detach(connection);
                connection.Close();
            }
        }
        return Deferred.GatherResults(closing).AddCallback(_ => Unit.Value);
    }

    /// <summary>Sends <paramref name="request"/> on a connection to <paramref name="origin"/>, made with <paramref name="endpoint"/> if needed.</summary>
    internal Deferred<Response> Request(string origin, Func<IStreamClientEndpoint> endpoint, ClientRequest request)
    {
        if (!_hosts.TryGetValue(origin, out var host)) _hosts[origin] = host = new PoolHost(endpoint);
        request.Result = new Deferred<Response>(_ => Cancel(host, request));
        Dispatch(host, request, fresh: false);
        return request.Result;
    }

    private void Dispatch(PoolHost host, ClientRequest request, bool fresh)
    {
        if (!fresh && host.Idle.Count > 0)
        {
            var connection = host.Idle[^1];
            host.Idle.RemoveAt(host.Idle.Count - 1);
            host.StopIdleTimer(connection);
            connection.Reused = true;
            request.Connection = connection;
            connection.Send(request);
        }
        else if (host.Open < _maxPerHost) Connect(host, request);
        else if (fresh && host.Idle.Count > 0)
        {
            // A retry wants a new connection, and the idle ones are as suspect as the one that just failed: make room.
            var stale = host.Idle[0];
            host.Detach(stale);
            stale.Close();
            Connect(host, request);
        }
        else host.Waiting.AddLast(request);
    }

    private void Connect(PoolHost host, ClientRequest request)
    {
        host.Connecting++;
        var connection = new HttpClientProtocol
        {
            Released = c => Released(host, c),
            Lost = (c, r, reason) => Lost(host, c, r, reason),
        };
        // Quiet: "Starting factory" for every connection would drown the log.
        var factory = Factory.ForProtocol(() => connection);
        factory.Noisy = false;
        Deferred<IProtocol> connecting;
        try
        {
            connecting = host.Endpoint().Connect(factory);
        }
        catch (Exception e)
        {
            connecting = Deferred.Fail<IProtocol>(e);
        }
        request.Connecting = connecting;
        connecting.AddBoth(outcome =>
        {
            host.Connecting--;
            request.Connecting = null;
            if (outcome.Failure is { } failure)
            {
                if (!request.Cancelled && !request.Result.Called) request.Result.Errback(failure);
                Pump(host);
                return;
            }
            host.Live.Add(connection);
            if (request.Cancelled) Released(host, connection);
            else
            {
                request.Connection = connection;
                connection.Send(request);
            }
        });
    }

    private void Released(PoolHost host, HttpClientProtocol connection)
    {
        if (!Persistent)
        {
            host.Detach(connection);
            connection.Close();
            Pump(host);
            return;
        }
        while (host.Waiting.First is { } next)
        {
            host.Waiting.RemoveFirst();
            if (next.Value.Cancelled) continue;
            connection.Reused = true;
            next.Value.Connection = connection;
            connection.Send(next.Value);
            return;
        }
        host.Idle.Add(connection);
        host.IdleTimers[connection] = _clock!.CallLater(_idleTimeout, () =>
        {
            host.IdleTimers.Remove(connection);
            host.Detach(connection);
            connection.Close();
        });
    }

    private void Lost(PoolHost host, HttpClientProtocol connection, ClientRequest? request, Failure reason)
    {
        host.Detach(connection);
        if (host.ClosedWaiters.Remove(connection, out var closed)) closed.Callback(Unit.Value);
        if (request is not null && !request.Cancelled && !request.Result.Called)
        {
            request.Connection = null;
            if (RetryAutomatically && connection.Reused && connection.NothingReceived && request.CanRetry)
            {
                request.Retried = true;
                Dispatch(host, request, fresh: true);
            }
            else request.Result.Errback(new ResponseNeverReceivedException(reason.Value));
        }
        Pump(host);
    }

    /// <summary>Starts waiting requests while there is room.</summary>
    private void Pump(PoolHost host)
    {
        while (host.Waiting.First is { } next && (host.Idle.Count > 0 || host.Open < _maxPerHost))
        {
            host.Waiting.RemoveFirst();
            if (!next.Value.Cancelled) Dispatch(host, next.Value, fresh: false);
        }
    }

    private static void Cancel(PoolHost host, ClientRequest request)
    {
        // Marked first: the errbacks the steps below cause must not fire the caller's Deferred with their own errors
        // (it fails with CancelledException), and the request must not be retried.
        request.Cancelled = true;
        host.Waiting.Remove(request);
        request.Connecting?.Cancel();
        request.Connection?.Abort();
    }
}
