using Twine.Defer;
using Twine.Logging;

namespace Twine.Time;

/// <summary>
/// Calls a function repeatedly, every <see cref="Interval"/>, on an <see cref="IReactorTime"/> (Twisted's
/// <c>task.LoopingCall</c>, LC1–LC8).
/// </summary>
/// <remarks>
/// <para>Calls are aligned to the start time: the k-th call is due at <c>start + k × interval</c>. When the loop
/// falls behind (a slow function, a busy reactor), the missed calls are skipped, never replayed in a burst: the next
/// call is at the first boundary strictly after now (LC4). <see cref="WithCount(IReactorTime, Action{int})"/> tells
/// the function how many intervals went by instead (LC8). An interval of zero calls the function again on every
/// turn of the reactor.</para>
/// <para>If the function returns a Deferred, the next call is not scheduled until it fires, so calls never overlap
/// (LC3); its result is consumed. If the function throws or its Deferred fails, the loop stops and the Deferred from
/// <see cref="Start"/> fails with that failure (LC5). <see cref="Stop"/> fires that Deferred with the LoopingCall
/// itself — at once, or when a call still in progress completes (LC6).</para>
/// <para>Not thread-safe: use it on the reactor's thread.</para>
/// </remarks>
/// <example>
/// <code>
/// var heartbeat = new LoopingCall(reactor, () => Console.WriteLine("still here"));
/// heartbeat.Start(TimeSpan.FromSeconds(5))
///          .AddCallback(_ => Console.WriteLine("heartbeat stopped"));
/// ...
/// heartbeat.Stop();
/// </code>
/// </example>
public sealed class LoopingCall
{
    private readonly IReactorTime _clock;
    private readonly Func<Deferred?>? _function;
    private readonly Func<int, Deferred?>? _countFunction;
    private readonly Delegate _userFunction;   // what the user passed, for ToString
    private readonly Action _run;

    private Deferred<LoopingCall>? _deferred;   // from Start; null once fired (or cancelled)
    private IDelayedCall? _call;               // the next scheduled call, if any
    private long _startTicks;
    private long _intervalTicks;
    private bool _runAtStart;
    private bool _inProgress;                  // the function is running, or its Deferred has not fired
    private long? _lastCountTicks;             // WithCount: when the function was last given a count

    /// <summary>Creates a loop that calls <paramref name="function"/> on <paramref name="clock"/> (LC1). It does nothing until <see cref="Start"/>.</summary>
    /// <example>
    /// <code>
    /// var loop = new LoopingCall(clock, () => counter++);
    /// </code>
    /// </example>
    public LoopingCall(IReactorTime clock, Action function)
        : this(clock, WrapAction(function), null, function)
    {
    }

    /// <summary>
    /// Creates a loop that calls <paramref name="function"/> on <paramref name="clock"/> and waits for the Deferred it
    /// returns before scheduling the next call (LC3). A null return counts as an immediate success.
    /// </summary>
    /// <example>
    /// <code>
    /// var poller = new LoopingCall(reactor, () => client.Poll());   // Poll returns a Deferred
    /// poller.Start(TimeSpan.FromSeconds(30));
    /// </code>
    /// </example>
    public LoopingCall(IReactorTime clock, Func<Deferred?> function)
        : this(clock, function ?? throw new ArgumentNullException(nameof(function)), null, function)
    {
    }

    private LoopingCall(IReactorTime clock, Func<Deferred?>? function, Func<int, Deferred?>? countFunction, Delegate userFunction)
    {
        ArgumentNullException.ThrowIfNull(clock);
        _clock = clock;
        _function = function;
        _countFunction = countFunction;
        _userFunction = userFunction;
        _run = Run;
    }

    /// <summary>
    /// Creates a loop whose function receives the number of intervals that have elapsed since it was last called
    /// (LC8): 1 when it runs on time, more when calls were skipped, never 0. Interval boundaries are anchored at the
    /// start time and measured in whole ticks, so the counts add up exactly to the elapsed intervals. With an
    /// interval of zero the count is always 1.
    /// </summary>
    /// <example>
    /// <code>
    /// var frames = LoopingCall.WithCount(reactor, n => world.Step(n));   // catches up after a stall
    /// frames.Start(TimeSpan.FromMilliseconds(16));
    /// </code>
    /// </example>
    public static LoopingCall WithCount(IReactorTime clock, Action<int> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return new LoopingCall(clock, null, n => { function(n); return null; }, function);
    }

    /// <summary>As <see cref="WithCount(IReactorTime, Action{int})"/>, for a function that returns a Deferred to wait for (LC3, LC8).</summary>
    /// <example>
    /// <code>
    /// var sync = LoopingCall.WithCount(reactor, missed => store.Flush(missed));   // Flush returns a Deferred
    /// </code>
    /// </example>
    public static LoopingCall WithCount(IReactorTime clock, Func<int, Deferred?> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return new LoopingCall(clock, null, function, function);
    }

    /// <summary>True from <see cref="Start"/> until <see cref="Stop"/>, a failure, or cancelling the Deferred from <see cref="Start"/>.</summary>
    public bool Running { get; private set; }

    /// <summary>
    /// The time between calls. Set by <see cref="Start"/>; changing it while running takes effect when the next call
    /// is scheduled, with boundaries still anchored at the start time.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan Interval
    {
        get => new(_intervalTicks);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            _intervalTicks = value.Ticks;
        }
    }

    /// <summary>
    /// Starts the loop (LC2). With <paramref name="now"/> true the function is called at once, before this method
    /// returns; otherwise the first call is one interval from now.
    /// </summary>
    /// <returns>
    /// A Deferred that fires with this LoopingCall when the loop is stopped (LC6), or fails with the function's
    /// failure (LC5). Cancelling it stops the loop: nothing more is scheduled, a call in progress is left to finish,
    /// and the Deferred fails with <see cref="CancelledException"/>.
    /// </returns>
    /// <exception cref="InvalidOperationException">The loop is running, or a call from before the last
    /// <see cref="Stop"/> is still in progress (wait for the previous Deferred).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="interval"/> is negative.</exception>
    public Deferred<LoopingCall> Start(TimeSpan interval, bool now = true)
    {
        if (Running) throw new InvalidOperationException("Tried to start a LoopingCall that is already running.");
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.Zero);
        // Twisted would let the old call's completion drive the new loop (overlapping calls, a second schedule).
        if (_inProgress)
            throw new InvalidOperationException("The LoopingCall's previous call is still in progress; restart it once the Deferred from Start has fired.");

        Running = true;
        // A local, because a function that fails at once has fired and forgotten _deferred before we return.
        var deferred = new Deferred<LoopingCall>(Cancelled);
        _deferred = deferred;
        _startTicks = _clock.Now.Ticks;
        _intervalTicks = interval.Ticks;
        _runAtStart = now;
        _lastCountTicks = null;
        if (now) Run();
        else ScheduleNext();
        return deferred;
    }

    /// <summary>
    /// Stops the loop (LC6). If the next call is scheduled, it is cancelled and the Deferred from <see cref="Start"/>
    /// fires now with this LoopingCall; if the function is running or its Deferred is pending, that Deferred fires
    /// when the function completes. No delayed call is left behind.
    /// </summary>
    /// <exception cref="InvalidOperationException">The loop is not running.</exception>
    public void Stop()
    {
        if (!Running) throw new InvalidOperationException("Tried to stop a LoopingCall that is not running.");
        Running = false;
        if (_call is { } call)
        {
            _call = null;
            call.Cancel();
            FireStopped();
        }
    }

    /// <summary>
    /// Restarts the interval from now (LC7): if the next call is scheduled, it is moved to one interval from now,
    /// and boundaries are anchored at the new start. Does nothing while a call is in progress.
    /// </summary>
    /// <exception cref="InvalidOperationException">The loop is not running.</exception>
    public void Reset()
    {
        if (!Running) throw new InvalidOperationException("Tried to reset a LoopingCall that is not running.");
        if (_call is { } call)
        {
            _call = null;
            call.Cancel();
            _startTicks = _clock.Now.Ticks;
            ScheduleNext();
        }
    }

    /// <summary>Describes the loop for logs: its interval, function and state.</summary>
    public override string ToString()
    {
        var name = $"{_userFunction.Method.DeclaringType?.Name}.{_userFunction.Method.Name}";
        return $"LoopingCall<{(Running ? Interval.TotalSeconds.ToString("0.######") + "s" : "stopped")}>({name})";
    }

    // One iteration: called by Start(now: true) and by the scheduled call.
    private void Run()
    {
        _call = null;
        _inProgress = true;
        Deferred? result;
        try
        {
            result = Invoke();
        }
        catch (Exception e)
        {
            Failed(new Failure(e));
            return;
        }
        if (result is null)
        {
            Succeeded();
            return;
        }
        try
        {
            DeferredOutcome.Consume(result, failure =>
            {
                if (failure is null) Succeeded();
                else Failed(failure);
            });
        }
        catch (StaleDeferredException e)
        {
            Failed(new Failure(e));
        }
    }

    private Deferred? Invoke()
    {
        if (_function is not null) return _function();
        int count = NextCount();
        // LC8: a count of zero means no interval boundary passed since the last call: skip this invocation.
        return count > 0 ? _countFunction!(count) : null;
    }

    private int NextCount()
    {
        long now = _clock.Now.Ticks;
        long count;
        if (_intervalTicks == 0)
        {
            count = 1;
        }
        else
        {
            // Before the first call, pretend the previous one was at the start (or one interval earlier when the
            // first call is made at the start), so that the first count is 1.
            long last = _lastCountTicks ?? (_runAtStart ? _startTicks - _intervalTicks : _startTicks);
            count = IntervalIndex(now) - IntervalIndex(last);
            if (count <= 0) return 0;
        }
        _lastCountTicks = now;
        return (int)Math.Min(count, int.MaxValue);
    }

    // Which interval, counted from the start, a time falls in. Whole ticks: no floating-point drift (LC8).
    private long IntervalIndex(long ticks) => (ticks - _startTicks) / _intervalTicks;

    private void Succeeded()
    {
        _inProgress = false;
        if (Running) ScheduleNext();
        else FireStopped();
    }

    private void Failed(Failure failure)
    {
        // LC5: even if the function called Stop() before failing, the failure wins.
        _inProgress = false;
        Running = false;
        var deferred = _deferred;
        _deferred = null;
        if (deferred is not null) deferred.Errback(failure);
        else Log.Error(LogEventId.LoopingCallFailed, typeof(LoopingCall), "LoopingCall function failed after the loop's Deferred was cancelled", failure);
    }

    private void FireStopped()
    {
        var deferred = _deferred;
        _deferred = null;
        deferred?.Callback(this);
    }

    // LC4: the next call is at the first start + k*interval strictly after now. In whole ticks the delay is in
    // (0, interval], so Twisted's guard for a delay that rounds to nothing ("now + d == now") cannot arise here.
    private void ScheduleNext()
    {
        long delay = 0;
        if (_intervalTicks > 0)
        {
            long phase = (_clock.Now.Ticks - _startTicks) % _intervalTicks;
            if (phase < 0) phase += _intervalTicks;
            delay = _intervalTicks - phase;
        }
        _call = _clock.CallLater(new TimeSpan(delay), _run);
    }

    // The Deferred from Start was cancelled before it fired: stop without firing it (Cancel fails it).
    private void Cancelled(Deferred<LoopingCall> deferred)
    {
        if (!ReferenceEquals(deferred, _deferred)) return;
        _deferred = null;
        if (!Running) return;
        Running = false;
        if (_call is { } call)
        {
            _call = null;
            call.Cancel();
        }
    }

    private static Func<Deferred?> WrapAction(Action function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return () =>
        {
            function();
            return null;
        };
    }
}
