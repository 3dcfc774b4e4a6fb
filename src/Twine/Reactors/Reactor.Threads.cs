using Twine.Defer;
using Twine.Threading;

namespace Twine.Reactors;

// Threads: calls into the reactor from other threads (TH1, TH5), and the thread pool (TH2–TH4, TH6).
public sealed partial class Reactor : IReactorThreads
{
    private readonly CancellationTokenSource _shutdownStarted = new();
    private readonly object _poolGate = new();
    private ReactorThreadPool? _pool;
    private SystemEventTrigger? _poolStartTrigger;
    private SystemEventTrigger? _poolStopTrigger;
    private int _poolSize;

    /// <summary>
    /// Runs <paramref name="action"/> on the reactor thread, soon. Thread-safe: this is how other threads hand work to
    /// the reactor (TH1). Calls run in the order they were made; calls made before <see cref="Run"/> wait for it; a
    /// call made from inside such a call runs on a later iteration. Costs one allocation and, at most once per
    /// iteration, one system call to wake the reactor.
    /// </summary>
    /// <example>
    /// <code>
    /// new Thread(() =>
    /// {
    ///     var data = BlockingRead();
    ///     reactor.CallFromThread(() => protocol.Handle(data));
    /// }).Start();
    /// </code>
    /// </example>
    public void CallFromThread(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        EnqueueThreadCall(new ThreadCall.OfAction(action));
    }

    /// <summary>As <see cref="CallFromThread(Action)"/>, passing <paramref name="state"/> without a closure.</summary>
    public void CallFromThread<TState>(Action<TState> action, TState state)
    {
        ArgumentNullException.ThrowIfNull(action);
        EnqueueThreadCall(new ThreadCall.OfState<TState>(action, state));
    }

    /// <summary>The <see cref="ReactorSynchronizationContext"/>'s Post.</summary>
    internal void Post(SendOrPostCallback callback, object? state) => EnqueueThreadCall(new ThreadCall.OfPost(callback, state));

    private void EnqueueThreadCall(ThreadCall call)
    {
        _threadCalls.Enqueue(call);
        // On the reactor thread the loop sees the queue before it next waits: no wake-up needed (and none paid for).
        if (!IsInReactorThread) _backend.Wake();
    }

    /// <summary>Runs <paramref name="action"/> on a thread of the reactor's pool (TH3). Thread-safe.</summary>
    /// <remarks>The pool starts when the reactor runs and is stopped, after queued work finishes, during shutdown (TH2).</remarks>
    public void CallInThread(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        GetThreadPool().CallInThread(action);
    }

    /// <summary>Runs <paramref name="actions"/> one after another on a single pool thread (TH6); an exception ends the sequence and is logged.</summary>
    public void CallMultipleInThread(IEnumerable<Action> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var list = actions.ToArray();
        CallInThread(() =>
        {
            foreach (var action in list) action();
        });
    }

    /// <summary>
    /// Runs <paramref name="function"/> on a pool thread; the Deferred fires with its result, or its exception, on the
    /// reactor thread (TH4).
    /// </summary>
    /// <example>
    /// <code>
    /// reactor.DeferToThread(() => File.ReadAllText(path))
    ///        .AddCallback(text => Console.WriteLine(text.Length));
    /// </code>
    /// </example>
    public Deferred<T> DeferToThread<T>(Func<T> function) => ThreadPools.DeferToThreadPool(this, GetThreadPool(), function);

    /// <summary>Runs <paramref name="action"/> on a pool thread; the Deferred fires on the reactor thread when it is done (TH4).</summary>
    public Deferred<Unit> DeferToThread(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return DeferToThread(() =>
        {
            action();
            return Unit.Value;
        });
    }

    /// <summary>
    /// From a thread other than the reactor's: runs <paramref name="function"/> on the reactor thread, waits for the
    /// Deferred it returns, and returns its result or throws its exception (TH5).
    /// </summary>
    /// <exception cref="InvalidOperationException">Called on the reactor thread, where it could only deadlock.</exception>
    /// <exception cref="ReactorNotRunningException">The reactor shut down before the call completed.</exception>
    /// <example>
    /// <code>
    /// // On a worker thread:
    /// string page = reactor.BlockingCallFromThread(() => client.GetPage(url));
    /// </code>
    /// </example>
    // Preferred when both overloads fit, as in BlockingCallFromThread<int>(() => throw e), which would otherwise be
    // ambiguous (CS0121); either throws the same exception.
    [System.Runtime.CompilerServices.OverloadResolutionPriority(1)]
    public T BlockingCallFromThread<T>(Func<Deferred<T>> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        if (IsInReactorThread)
            throw new InvalidOperationException(
                "BlockingCallFromThread was called on the reactor thread, which would wait for itself forever. " +
                "Call the function directly and use its Deferred.");
        var token = _shutdownStarted.Token;
        if (token.IsCancellationRequested) throw new ReactorNotRunningException("The reactor has shut down.");

        using var done = new ManualResetEventSlim();
        Outcome<T> outcome = default;
        CallFromThread(() => Deferred.MaybeDeferred(function).AddBoth(o =>
        {
            outcome = o;
            done.Set();
        }));
        try
        {
            done.Wait(token);
        }
        catch (OperationCanceledException) when (!done.IsSet)
        {
            // The reactor will not run the call any more; waiting on would hang this thread (and, for a pool thread,
            // the reactor's own shutdown, which joins the pool).
            throw new ReactorNotRunningException("The reactor shut down before the call completed.");
        }
        if (outcome.Failure is { } failure) failure.RaiseException();
        return outcome.Value;
    }

    /// <summary>As <see cref="BlockingCallFromThread{T}(Func{Deferred{T}})"/>, for a function that returns a plain value.</summary>
    public T BlockingCallFromThread<T>(Func<T> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return BlockingCallFromThread(() => Deferred.MaybeDeferred(function));
    }

    /// <summary>Sets the most threads the pool runs at once (Twisted's <c>suggestThreadPoolSize</c>, TH2).</summary>
    public void SuggestThreadPoolSize(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        _poolSize = size;
        if (_pool is { } pool) pool.MaxThreads = size;
    }

    /// <inheritdoc/>
    public int SuggestedThreadPoolSize => _poolSize;

    /// <summary>The pool, created on first use: started when the reactor runs, stopped during shutdown (TH2).</summary>
    public ReactorThreadPool GetThreadPool()
    {
        // Pool threads call CallInThread too (DeferToThread from a worker); creation must happen once.
        lock (_poolGate)
        {
            if (_pool is { } existing) return existing;
            var pool = new ReactorThreadPool(_poolSize);
            _pool = pool;
            if (IsInReactorThread)
            {
                _poolStartTrigger = CallWhenRunning(pool.Start);
                _poolStopTrigger = AddSystemEventTrigger(SystemEventPhase.During, Shutdown, StopThreadPool);
            }
            else
            {
                // Triggers are reactor-thread state: register them there. Work queued meanwhile waits in the pool.
                CallFromThread(() =>
                {
                    if (_pool != pool) return;
                    _poolStartTrigger = CallWhenRunning(pool.Start);
                    _poolStopTrigger = AddSystemEventTrigger(SystemEventPhase.During, Shutdown, StopThreadPool);
                });
            }
            return pool;
        }
    }

    /// <summary>The pool if one exists (tests).</summary>
    internal ReactorThreadPool? ThreadPoolIfCreated => _pool;

    private void StopThreadPool()
    {
        ReactorThreadPool? pool;
        lock (_poolGate)
        {
            pool = _pool;
            _pool = null;
        }
        if (pool is null) return;
        foreach (var trigger in new[] { _poolStartTrigger, _poolStopTrigger })
        {
            if (trigger is null) continue;
            try
            {
                RemoveSystemEventTrigger(trigger);
            }
            catch (ArgumentException)
            {
                // Already ran (this very trigger, or the start trigger): nothing to remove.
            }
        }
        _poolStartTrigger = _poolStopTrigger = null;
        pool.Stop();
    }

    /// <summary>Releases threads blocked in <see cref="BlockingCallFromThread{T}(Func{Deferred{T}})"/>: their calls will not run any more.</summary>
    private void CancelBlockedCallers()
    {
        if (!_shutdownStarted.IsCancellationRequested) _shutdownStarted.Cancel();
    }
}
