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
