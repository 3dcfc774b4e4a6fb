using System.Diagnostics;
using Twine.Time;

namespace Twine.Reactors;

// IReactorTime: monotonic time and the timer heap (phase 3 of the loop).
public sealed partial class Reactor
{
    /// <summary>Monotonic time since the reactor was created (a <see cref="Stopwatch"/>; never jumps with the wall clock).</summary>
    public TimeSpan Now => Stopwatch.GetElapsedTime(_origin);

    /// <summary>
    /// Runs <paramref name="action"/> on the reactor thread once <paramref name="delay"/> has passed. Calls due at the
    /// same time run in the order they were scheduled; a call scheduled from inside a timed call runs on a later
    /// iteration even with a zero delay (RT1); an exception is logged and the loop continues (RT4).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative.</exception>
    public IDelayedCall CallLater(TimeSpan delay, Action action) => _timers.Schedule(delay, action);

    /// <summary>As <see cref="CallLater(TimeSpan, Action)"/>, passing <paramref name="state"/> without a closure.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative.</exception>
    public IDelayedCall CallLater<TState>(TimeSpan delay, Action<TState> action, TState state) =>
        _timers.Schedule(delay, action, state);

    /// <summary>The pending delayed calls, ordered by due time (RT6).</summary>
    public IReadOnlyList<IDelayedCall> GetDelayedCalls() => _timers.GetDelayedCalls();
}
