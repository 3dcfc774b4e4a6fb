using System.Diagnostics;
using Twine.Time;

namespace Twine.Reactors;

// IReactorTime: monotonic time and the timer heap (phase 3 of the loop).
public sealed partial class Reactor
{
    /// <summary>
    /// Monotonic time since the reactor was created (a <see cref="Stopwatch"/>; never jumps with the wall clock), or
    /// the time of <see cref="ReactorOptions.Clock"/> when the reactor runs on a manual clock.
    /// </summary>
    public TimeSpan Now => _options.Clock is { } clock ? clock.Now : Stopwatch.GetElapsedTime(_origin);

    /// <summary>How many times the loop jumped its manual clock to the next timer (<see cref="ReactorOptions.AutoJumpThreshold"/>; tests).</summary>
    internal long AutoJumps { get; private set; }

    /// <summary>
    /// Phase 6 on a manual clock with auto-jump: look for I/O for at most the threshold; if none came and no other
    /// thread handed in work, move the clock to the next timer, whose call phase 3 of the next iteration runs.
    /// </summary>
    private void PollOrJump(Clock clock, TimeSpan threshold, int maxWaitMs)
    {
        int wait = ToPollMilliseconds(threshold);
        if (maxWaitMs >= 0 && maxWaitMs < wait) wait = maxWaitMs;
        long started = Stopwatch.GetTimestamp();
        int ready = _backend.Poll(wait, _io);
        // Woken before the threshold: another thread is at work (a CallFromThread, a completion of the portable socket
        // layer), even if the wake-up is a late one whose call already ran. Only a full quiet threshold allows a jump.
        if (wait > 0 && Stopwatch.GetElapsedTime(started) < TimeSpan.FromMilliseconds(wait)) return;
        if (ready > 0 || !_threadCalls.IsEmpty || _timers.NextDue() is not { } due) return;
        if (due > clock.Now) clock.Advance(due - clock.Now);
        AutoJumps++;
    }

    /// <summary>
    /// Runs <paramref name="action"/> on the reactor thread once <paramref name="delay"/> has passed. Calls due at the
    /// same time run in the order they were scheduled; a call scheduled from inside a timed call runs on a later
    /// iteration even with a zero delay (RT1); an exception is logged and the loop continues (RT4).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">Called from a thread other than the reactor's (use <see cref="CallFromThread(Action)"/>).</exception>
    public IDelayedCall CallLater(TimeSpan delay, Action action)
    {
        _thread.Check(nameof(CallLater), "this reactor's timer queue");
        return _timers.Schedule(delay, action);
    }

    /// <summary>As <see cref="CallLater(TimeSpan, Action)"/>, passing <paramref name="state"/> without a closure.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative.</exception>
    public IDelayedCall CallLater<TState>(TimeSpan delay, Action<TState> action, TState state)
    {
        _thread.Check(nameof(CallLater), "this reactor's timer queue");
        return _timers.Schedule(delay, action, state);
    }

    /// <summary>The pending delayed calls, ordered by due time (RT6).</summary>
    public IReadOnlyList<IDelayedCall> GetDelayedCalls() => _timers.GetDelayedCalls();
}
