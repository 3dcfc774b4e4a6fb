using System.Runtime.CompilerServices;

namespace Twine.Time;

/// <summary>
/// Presents any <see cref="IReactorTime"/> as a .NET <see cref="TimeProvider"/>, so <c>Task.Delay</c>,
/// <c>CancellationTokenSource</c> timeouts and <see cref="PeriodicTimer"/> run on reactor time, and on
/// <see cref="Clock"/> time in tests.
/// </summary>
/// <remarks>
/// Timers are <see cref="IReactorTime.CallLater{TState}"/> calls, so their callbacks run on the reactor's thread (for
/// <see cref="Clock"/>: synchronously inside <see cref="Clock.Advance"/>, on the caller's thread). Like the rest of
/// the reactor's time API, creating, changing and disposing timers must happen on that thread.
/// </remarks>
internal sealed class ReactorTimeProvider : TimeProvider
{
    private readonly IReactorTime _time;
    private readonly DateTimeOffset _epoch;
    private readonly TimeZoneInfo? _localTimeZone;

    /// <summary>Creates a provider whose wall clock reads <paramref name="epoch"/> + <see cref="IReactorTime.Now"/>.</summary>
    /// <param name="time">The time source.</param>
    /// <param name="epoch">The wall-clock instant that <see cref="IReactorTime.Now"/> = 0 stands for.</param>
    /// <param name="localTimeZone">The zone reported as local; null for the system's.</param>
    public ReactorTimeProvider(IReactorTime time, DateTimeOffset epoch, TimeZoneInfo? localTimeZone = null)
    {
        _time = time;
        _epoch = epoch.ToUniversalTime();
        _localTimeZone = localTimeZone;
    }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => _epoch + _time.Now;

    /// <inheritdoc />
    public override TimeZoneInfo LocalTimeZone => _localTimeZone ?? base.LocalTimeZone;

    // Timestamps are plain TimeSpan ticks of reactor time, so elapsed-time maths needs no scaling.

    /// <inheritdoc />
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc />
    public override long GetTimestamp() => _time.Now.Ticks;

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new ReactorTimer(_time, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>An <see cref="ITimer"/> made of one pending delayed call at a time.</summary>
    private sealed class ReactorTimer(IReactorTime time, TimerCallback callback, object? state) : ITimer
    {
        private static readonly Action<ReactorTimer> s_fire = static timer => timer.Fire();

        private IDelayedCall? _call;
        private TimeSpan _period;
        private bool _disposed;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Validate(dueTime);
            Validate(period);
            if (_disposed) return false;
            CancelPending();
            _period = period;
            if (dueTime != Timeout.InfiniteTimeSpan) _call = time.CallLater(dueTime, s_fire, this);
            return true;
        }

        public void Dispose()
        {
            _disposed = true;
            CancelPending();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return default;
        }

        private void Fire()
        {
            var due = _call!.Time;
            _call = null;
            // Infinite (-1 ms) and zero both mean one-shot, as for System.Threading.Timer.
            if (_period > TimeSpan.Zero)
            {
                // Scheduled from the due time rather than from Now, so Clock.Advance(n * period) ticks n times
                // instead of once and the period does not drift. CallLater cannot take a time in the past, so a
                // missed tick is scheduled now and then pulled back with a negative Delay (DC4), which keeps its
                // place in time order. Rescheduled before the callback, so the callback can Change or Dispose it.
                long next = DelayedCall.AddTicks(due.Ticks, _period.Ticks);
                long wait = DelayedCall.AddTicks(next, -time.Now.Ticks);
                var call = time.CallLater(new TimeSpan(Math.Max(0, wait)), s_fire, this);
                if (wait < 0) call.Delay(new TimeSpan(wait));
                _call = call;
            }
            callback(state);
        }

        private void CancelPending()
        {
            if (_call is { IsActive: true }) _call.Cancel();
            _call = null;
        }

        private static void Validate(TimeSpan value, [CallerArgumentExpression(nameof(value))] string? name = null)
        {
            if (value < TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
                throw new ArgumentOutOfRangeException(name, value, "Must be non-negative or Timeout.InfiniteTimeSpan.");
        }
    }
}
