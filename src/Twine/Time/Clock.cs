namespace Twine.Time;

/// <summary>
/// Manual time for tests, after Twisted's <c>task.Clock</c>: <see cref="Now"/> starts at zero and moves only when
/// <see cref="Advance"/> is called, which runs every call that has become due, synchronously, in time order
/// (first-in-first-out among calls due at the same time). Hand it to code that asks for <see cref="IReactorTime"/>,
/// or hand its <see cref="TimeProvider"/> to code that uses .NET timers, and test timeouts without sleeping.
/// </summary>
/// <remarks>
/// <para>Clock differs from the reactor on purpose, as Twisted's does (CL2, CL7): a call scheduled from inside
/// <see cref="Advance"/> that is already due runs in the same <see cref="Advance"/>, and an exception from a call
/// propagates out of <see cref="Advance"/> instead of being logged.</para>
/// <para>Not thread-safe: use it from the test's thread.</para>
/// </remarks>
/// <example>
/// <code>
/// var clock = new Clock();
/// var fired = false;
/// clock.CallLater(TimeSpan.FromSeconds(5), () => fired = true);
/// clock.Advance(TimeSpan.FromSeconds(4));          // fired is still false
/// clock.Advance(TimeSpan.FromSeconds(1));          // fired is now true
///
/// var delay = Task.Delay(TimeSpan.FromSeconds(30), clock.TimeProvider);
/// clock.Advance(TimeSpan.FromSeconds(30));         // delay.IsCompleted is now true
/// </code>
/// </example>
public sealed class Clock : IReactorTime
{
    private readonly TimerQueue _queue;
    private long _nowTicks;

    /// <summary>Creates a clock reading zero with nothing scheduled (CL1, CL6).</summary>
    public Clock()
    {
        _queue = new TimerQueue(this);
        TimeProvider = new ReactorTimeProvider(this, DateTimeOffset.UnixEpoch, TimeZoneInfo.Utc);
    }

    /// <summary>The clock's time: zero at creation, changed only by <see cref="Advance"/> (CL1).</summary>
    public TimeSpan Now => new(_nowTicks);

    /// <summary>
    /// This clock as a .NET <see cref="System.TimeProvider"/>: <c>GetUtcNow()</c> is the Unix epoch plus
    /// <see cref="Now"/>, the local zone is UTC, timestamps are <see cref="Now"/> in ticks, and timers fire during
    /// <see cref="Advance"/> on the caller's thread.
    /// </summary>
    /// <example>
    /// <code>
    /// using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10), clock.TimeProvider);
    /// clock.Advance(TimeSpan.FromSeconds(10));         // cts.IsCancellationRequested is now true
    /// </code>
    /// </example>
    public TimeProvider TimeProvider { get; }

    /// <summary>Schedules <paramref name="action"/> at <see cref="Now"/> + <paramref name="delay"/> (CL1).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative.</exception>
    public IDelayedCall CallLater(TimeSpan delay, Action action) => _queue.Schedule(delay, action);

    /// <summary>Schedules <paramref name="action"/>(<paramref name="state"/>) at <see cref="Now"/> + <paramref name="delay"/>, without a closure.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative.</exception>
    public IDelayedCall CallLater<TState>(TimeSpan delay, Action<TState> action, TState state) =>
        _queue.Schedule(delay, action, state);

    /// <summary>The calls that are neither called nor cancelled, ordered by time (CL6).</summary>
    public IReadOnlyList<IDelayedCall> GetDelayedCalls() => _queue.GetDelayedCalls();

    /// <summary>
    /// Moves time forward by <paramref name="amount"/>, then runs the earliest due call, one at a time, until none is
    /// due (CL2). Calls scheduled, reset or delayed by those calls take part if they are due. If a call throws, the
    /// exception propagates and the remaining due calls wait for the next <see cref="Advance"/> (CL7).
    /// </summary>
    /// <param name="amount">How far to move; zero just runs what is already due.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="amount"/> is negative: time never runs backwards.</exception>
    public void Advance(TimeSpan amount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(amount, TimeSpan.Zero);
        _nowTicks = DelayedCall.AddTicks(_nowTicks, amount.Ticks);
        // Re-read Now each time: a call may itself advance the clock (as LoopingCall tests do).
        while (_queue.RunNext(Now)) { }
    }

    /// <summary>Calls <see cref="Advance"/> with each amount in turn (CL6).</summary>
    /// <example>
    /// <code>
    /// clock.Pump(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    /// </code>
    /// </example>
    public void Pump(params IEnumerable<TimeSpan> amounts)
    {
        ArgumentNullException.ThrowIfNull(amounts);
        foreach (var amount in amounts) Advance(amount);
    }
}
