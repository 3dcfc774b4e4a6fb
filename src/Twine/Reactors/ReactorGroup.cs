using System.Collections.Concurrent;
using Twine.Defer;
using Twine.Logging;

namespace Twine.Reactors;

/// <summary>
/// N reactors on N threads, started and stopped together: one reactor per core. Each reactor is an ordinary
/// single-threaded <see cref="Reactor"/>; the group shares nothing between them on the hot path. To spread one server
/// over the group, each reactor listens on its own socket bound with <c>SO_REUSEPORT</c> (<c>reusePort=true</c> in an
/// endpoint string, or <see cref="Net.TcpListenOptions.ReusePort"/>), and the kernel spreads the connections.
/// </summary>
/// <remarks>
/// <para>Each reactor is created on, and runs on, its own thread ("twine-reactor-N"), so everything it owns is made on
/// the thread that uses it. The setup action runs on each reactor's thread once that reactor is running (as
/// <see cref="Reactor.CallWhenRunning"/>).</para>
/// <para>The group stops as one: <see cref="Stop"/>, a signal, a reactor's own <see cref="Reactor.Stop"/>, a setup
/// action that throws (or whose Deferred fails), or a reactor that crashes on its thread all stop every reactor, each
/// running its shutdown triggers. <see cref="Run(Action{Reactor})"/> and <see cref="Stop"/> return once every thread has
/// finished, and throw an <see cref="AggregateException"/> of <see cref="ReactorWorkerException"/>s when any worker
/// failed, so an error on one thread is never lost.</para>
/// </remarks>
/// <example>
/// <code>
/// using var group = ReactorGroup.Create(new ReactorOptions { InstallSignalHandlers = true });
/// group.Run(reactor =&gt; Endpoints.Server(reactor, "tcp:8000:reusePort=true").Listen(Factory.ForProtocol&lt;Echo&gt;()));
/// // Run returns after Ctrl-C, once every reactor has shut down.
/// </code>
/// </example>
public sealed class ReactorGroup : IDisposable
{
    private readonly ReactorOptions _options;
    private readonly Reactor?[] _reactors;
    private readonly ConcurrentQueue<ReactorWorkerException> _errors = new();
    private readonly ManualResetEventSlim _finished = new(false);
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Thread[]? _threads;
    private int _running;
    private int _stopRequested;
    private int _started;
    private bool _disposed;

    private ReactorGroup(int count, ReactorOptions options)
    {
        _reactors = new Reactor?[count];
        _options = options;
    }

    /// <summary>
    /// Creates a group of <paramref name="count"/> reactors (<see cref="Environment.ProcessorCount"/> when null). Each
    /// reactor gets its own copy of <paramref name="options"/>. Nothing runs until <see cref="Start(Action{Reactor})"/>
    /// or <see cref="Run(Action{Reactor})"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">The options set a manual <see cref="ReactorOptions.Clock"/>: a clock is one reactor's time, not a group's.</exception>
    public static ReactorGroup Create(int? count = null, ReactorOptions? options = null)
    {
        int n = count ?? Environment.ProcessorCount;
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1, nameof(count));
        options ??= new ReactorOptions();
        if (options.Clock is not null)
            throw new ArgumentException("A ReactorGroup cannot share one manual Clock between reactors on different threads; leave ReactorOptions.Clock null.", nameof(options));
        return new ReactorGroup(n, options);
    }

    /// <summary>How many reactors the group runs.</summary>
    public int Count => _reactors.Length;

    /// <summary>
    /// The reactors, in worker order; available once <see cref="Start(Action{Reactor})"/> has returned (an entry is null
    /// for a worker whose reactor could not be created). Touch a reactor from another thread only through its
    /// thread-safe members (<see cref="Reactor.CallFromThread(Action)"/>, <see cref="Reactor.Stop"/>).
    /// </summary>
    public IReadOnlyList<Reactor?> Reactors => _reactors;

    /// <summary>A task that completes when every reactor has stopped; faulted with the workers' errors if any failed.</summary>
    public Task Completion => _completion.Task;

    /// <summary>The first signal number (2 for SIGINT, 15 for SIGTERM) that stopped a reactor of the group, if any.</summary>
    public int? ExitSignal => _reactors.Select(r => r?.ExitSignal).FirstOrDefault(s => s is not null);

    /// <summary>Starts every reactor on its own thread and returns once each has been created; see <see cref="Start(Func{Reactor, int, Deferred})"/>.</summary>
    public void Start(Action<Reactor> setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        Start((reactor, _) => { setup(reactor); return null; });
    }

    /// <summary>Starts every reactor; <paramref name="setup"/> gets the reactor and its worker number (0 to <see cref="Count"/> - 1).</summary>
    public void Start(Action<Reactor, int> setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        Start((reactor, worker) => { setup(reactor, worker); return null; });
    }

    /// <summary>
    /// Starts every reactor on its own thread. <paramref name="setup"/> runs on each reactor's thread once it is
    /// running, with the reactor and its worker number; if it throws, or the Deferred it returns fails, the group
    /// stops and the error is reported by <see cref="Stop"/>, <see cref="Run(Action{Reactor})"/> and <see cref="Completion"/>.
    /// Returns once every reactor exists (it may not be running yet).
    /// </summary>
    /// <exception cref="InvalidOperationException">The group was started before: a group runs once, like a reactor.</exception>
    public void Start(Func<Reactor, int, Deferred?> setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Interlocked.Exchange(ref _started, 1) != 0)
            throw new InvalidOperationException("This ReactorGroup was already started; create a new group to run again.");
        _running = _reactors.Length;
        using var created = new CountdownEvent(_reactors.Length);
        _threads = new Thread[_reactors.Length];
        for (int i = 0; i < _reactors.Length; i++)
        {
            int worker = i;
            _threads[i] = new Thread(() => RunWorker(worker, setup, created))
            {
                Name = $"twine-reactor-{worker}",
                IsBackground = true,
            };
            _threads[i].Start();
        }
        created.Wait();
    }

    /// <summary>Starts the group and blocks until every reactor has stopped; see <see cref="Start(Func{Reactor, int, Deferred})"/>.</summary>
    /// <exception cref="AggregateException">One or more workers failed: each inner exception is a <see cref="ReactorWorkerException"/>.</exception>
    public void Run(Action<Reactor> setup)
    {
        Start(setup);
        WaitAndThrow();
    }

    /// <inheritdoc cref="Run(Action{Reactor})"/>
    public void Run(Action<Reactor, int> setup)
    {
        Start(setup);
        WaitAndThrow();
    }

    /// <inheritdoc cref="Run(Action{Reactor})"/>
    public void Run(Func<Reactor, int, Deferred?> setup)
    {
        Start(setup);
        WaitAndThrow();
    }

    /// <summary>
    /// Stops every reactor (each runs its shutdown triggers) and, unless called on one of the group's own threads (where
    /// waiting would wait for itself), waits until all have stopped. Safe from any thread, and more than once.
    /// </summary>
    /// <exception cref="AggregateException">One or more workers failed (only when waiting).</exception>
    public void Stop()
    {
        RequestStop();
        if (Volatile.Read(ref _started) == 0 || IsGroupThread) return;
        WaitAndThrow();
    }

    /// <summary>True on one of the group's reactor threads.</summary>
    private bool IsGroupThread => _threads is { } threads && Array.IndexOf(threads, Thread.CurrentThread) >= 0;

    private void WaitAndThrow()
    {
        _finished.Wait();
        if (!_errors.IsEmpty)
            throw new AggregateException($"{_errors.Count} reactor worker error(s) in a group of {Count}.", _errors.OrderBy(e => e.Worker));
    }

    private void RunWorker(int worker, Func<Reactor, int, Deferred?> setup, CountdownEvent created)
    {
        Reactor? reactor = null;
        try
        {
            try
            {
                reactor = Reactor.Create(Copy(_options));
                _reactors[worker] = reactor;
            }
            finally
            {
                created.Signal();
            }
            // Any reactor stopping (a signal, its own Stop, a failure) stops the whole group.
            reactor.AddSystemEventTrigger(SystemEventPhase.Before, Reactor.Shutdown, RequestStop);
            reactor.CallWhenRunning(() => RunSetup(reactor, worker, setup));
            // A stop requested before this reactor existed (another worker failed at once) still reaches it.
            if (Volatile.Read(ref _stopRequested) != 0) reactor.CallFromThread(reactor.StopIfRunning);
            reactor.Run();
        }
        catch (Exception ex)
        {
            Fail(worker, ex);
        }
        finally
        {
            if (Interlocked.Decrement(ref _running) == 0) Finish();
        }
    }

    private void RunSetup(Reactor reactor, int worker, Func<Reactor, int, Deferred?> setup)
    {
        try
        {
            setup(reactor, worker)?.AddErrback(failure => Fail(worker, failure.Value));
        }
        catch (Exception ex)
        {
            Fail(worker, ex);
        }
    }

    private void Fail(int worker, Exception error)
    {
        Log.Error($"Reactor worker {worker} failed; stopping the group", error);
        _errors.Enqueue(new ReactorWorkerException(worker, error));
        RequestStop();
    }

    private void RequestStop()
    {
        if (Interlocked.Exchange(ref _stopRequested, 1) != 0) return;
        foreach (var reactor in _reactors)
        {
            // CallFromThread even for the calling thread's own reactor: Stop inside a shutdown trigger would throw.
            reactor?.CallFromThread(reactor.StopIfRunning);
        }
    }

    private void Finish()
    {
        _finished.Set();
        if (_errors.IsEmpty) _completion.TrySetResult();
        else _completion.TrySetException(_errors.OrderBy(e => e.Worker));
    }

    private static ReactorOptions Copy(ReactorOptions o) => new()
    {
        Backend = o.Backend,
        InstallSignalHandlers = o.InstallSignalHandlers,
        ThreadPoolSize = o.ThreadPoolSize,
        AutoJumpThreshold = o.AutoJumpThreshold,
        SignalSource = o.SignalSource,
    };

    /// <summary>Disposes the reactors. The group must have stopped (or never started).</summary>
    /// <exception cref="InvalidOperationException">Reactors are still running: <see cref="Stop"/> first.</exception>
    public void Dispose()
    {
        if (_disposed) return;
        if (Volatile.Read(ref _started) != 0 && !_finished.IsSet)
            throw new InvalidOperationException("Cannot dispose a running ReactorGroup; call Stop first.");
        _disposed = true;
        foreach (var reactor in _reactors) reactor?.Dispose();
        _finished.Dispose();
    }
}
