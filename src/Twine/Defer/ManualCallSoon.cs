namespace Twine.Defer;

/// <summary>
/// An <see cref="ICallSoon"/> that runs nothing until told to: the promise counterpart of <c>Clock</c> for time.
/// Calls queue up in FIFO order; <see cref="RunPending"/> runs one "turn" of the loop and
/// <see cref="RunUntilIdle"/> runs until nothing is left. Promise code under test runs exactly as on a reactor, one
/// step at a time, with no threads and no sleeping.
/// </summary>
/// <remarks>
/// <see cref="CallSoon"/> may be called from any thread (it takes a lock); the run methods run calls on the thread
/// that calls them. A call that throws propagates out of the run method, like a failing call out of
/// <c>Clock.Advance</c>; the calls after it stay queued.
/// </remarks>
/// <example>
/// <code>
/// var soon = new ManualCallSoon();
/// int seen = 0;
/// Promise.Resolve(41, soon).Then(x => x + 1).Then(x => { seen = x; });
/// // nothing has run yet: promise handlers are always asynchronous
/// soon.RunUntilIdle();
/// Console.WriteLine(seen);   // 42
/// </code>
/// </example>
public sealed class ManualCallSoon : ICallSoon
{
    private readonly Queue<(Action<object?> Action, object? State)> _queue = new();
    private readonly Lock _lock = new();
    private bool _running;

    /// <inheritdoc />
    public void CallSoon(Action<object?> action, object? state)
    {
        ArgumentNullException.ThrowIfNull(action);
        lock (_lock) _queue.Enqueue((action, state));
    }

    /// <summary>How many calls are waiting to run.</summary>
    public int Pending
    {
        get
        {
            lock (_lock) return _queue.Count;
        }
    }

    /// <summary>
    /// Runs the calls that were queued when this method was called, in order; calls they queue wait for the next
    /// turn (as on a reactor, where one loop iteration runs a bounded batch). Returns how many ran.
    /// </summary>
    public int RunPending()
    {
        int batch;
        lock (_lock) batch = _queue.Count;
        return Run(batch);
    }

    /// <summary>
    /// Runs calls, including those queued along the way, until none is left. Returns how many ran. Throws
    /// <see cref="InvalidOperationException"/> after <paramref name="limit"/> calls, so a handler that keeps
    /// re-queueing itself fails the test instead of hanging it.
    /// </summary>
    public int RunUntilIdle(int limit = 1_000_000)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        int ran = Run(limit);
        if (ran == limit && Pending > 0)
            throw new InvalidOperationException($"ManualCallSoon still had calls queued after running {limit}: something keeps scheduling itself.");
        return ran;
    }

    private int Run(int max)
    {
        // Running re-entrantly from inside a call would run later calls before the current one returns, which is
        // exactly the ordering this class exists to make deterministic.
        if (_running) throw new InvalidOperationException("ManualCallSoon is already running calls; do not run it from inside a call.");
        _running = true;
        try
        {
            int ran = 0;
            while (ran < max)
            {
                (Action<object?> Action, object? State) call;
                lock (_lock)
                {
                    if (!_queue.TryDequeue(out call)) break;
                }
                ran++;
                call.Action(call.State);
            }
            return ran;
        }
        finally
        {
            _running = false;
        }
    }
}
