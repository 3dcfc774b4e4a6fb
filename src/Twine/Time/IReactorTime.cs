namespace Twine.Time;

/// <summary>
/// The narrow role of anything that tells time and schedules calls: the reactor, and <see cref="Clock"/> in tests.
/// Code that only needs timers asks for this interface, so it runs unchanged on manual time.
/// </summary>
/// <example>
/// <code>
/// Deferred&lt;int&gt; SlowMultiply(IReactorTime time, int x, int y)
/// {
///     var d = new Deferred&lt;int&gt;();
///     time.CallLater(TimeSpan.FromSeconds(3), () => d.Callback(x * y));
///     return d;
/// }
/// </code>
/// </example>
public interface IReactorTime
{
    /// <summary>The current time on this clock, measured from an arbitrary fixed origin.</summary>
    TimeSpan Now { get; }

    /// <summary>Runs <paramref name="action"/> once, <paramref name="delay"/> from now (negative delays are rejected).</summary>
    IDelayedCall CallLater(TimeSpan delay, Action action);

    /// <summary>As <see cref="CallLater(TimeSpan, Action)"/>, passing <paramref name="state"/> so the caller needs no closure.</summary>
    IDelayedCall CallLater<TState>(TimeSpan delay, Action<TState> action, TState state);

    /// <summary>The calls that are scheduled and neither called nor cancelled (CL6, RT6).</summary>
    IReadOnlyList<IDelayedCall> GetDelayedCalls();
}

/// <summary>A call scheduled with <see cref="IReactorTime.CallLater(TimeSpan, Action)"/> (DC1–DC7).</summary>
public interface IDelayedCall
{
    /// <summary>When the call is due (DC1).</summary>
    TimeSpan Time { get; }

    /// <summary>True until the call has run or been cancelled (DC1).</summary>
    bool IsActive { get; }

    /// <summary>True once the call has started running (set before it runs, DC2).</summary>
    bool Called { get; }

    /// <summary>True once cancelled.</summary>
    bool Cancelled { get; }

    /// <summary>Stops the call from running. Throws <see cref="AlreadyCancelledException"/> or <see cref="AlreadyCalledCallException"/> (DC2).</summary>
    void Cancel();

    /// <summary>Makes the call due <paramref name="delay"/> from now (DC3).</summary>
    void Reset(TimeSpan delay);

    /// <summary>Moves the call later (or earlier, for a negative value) by <paramref name="delay"/> (DC4).</summary>
    void Delay(TimeSpan delay);
}

/// <summary>A delayed call was cancelled twice, or reset after being cancelled (DC2).</summary>
public sealed class AlreadyCancelledException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public AlreadyCancelledException() : base("The delayed call has already been cancelled.") { }
}

/// <summary>A delayed call was cancelled, reset or delayed after it had run (DC2).</summary>
public sealed class AlreadyCalledCallException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public AlreadyCalledCallException() : base("The delayed call has already been called.") { }
}
