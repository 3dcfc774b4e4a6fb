using System.Runtime.CompilerServices;

namespace Twine.Time;

/// <summary>
/// Presents any <see cref="IReactorTime"/> as a .NET <see cref="TimeProvider"/>, so <c>Task.Delay</c>,
/// <c>CancellationTokenSource</c> timeouts and <see cref="PeriodicTimer"/> run on reactor time, and on
/// <see cref="Clock"/> time in tests.
/// </summary>
/// <remarks>
/// Timers are <see cref="IReactorTime.CallLater{TState}"/> calls, so their callbacks run on the reactor's thread (for
/// <see cref="Clock"/>: synchronously inside <see cref="Clock.Advance"/>, on the caller's thread). The timer queue
/// belongs to that thread, but .NET creates, changes and disposes timers from wherever a <c>Task.Delay</c> or a
/// <c>CancellationTokenSource</c> happens to be used — often a thread-pool thread. Given an owner thread (the
/// reactor passes its own), timer operations made elsewhere are posted to it, in order, instead of touching the queue.
/// </remarks>
internal sealed class ReactorTimeProvider : TimeProvider
{
    private readonly IReactorTime _time;
    private readonly DateTimeOffset _epoch;
    private readonly TimeZoneInfo? _localTimeZone;
    private readonly Func<bool>? _onOwnerThread;
    private readonly Action<Action>? _postToOwner;

    /// <summary>Creates a provider whose wall clock reads <paramref name="epoch"/> + <see cref="IReactorTime.Now"/>.</summary>
    /// <param name="time">The time source.</param>
    /// <param name="epoch">The wall-clock instant that <see cref="IReactorTime.Now"/> = 0 stands for.</param>
    /// <param name="localTimeZone">The zone reported as local; null for the system's.</param>
    /// <param name="onOwnerThread">True on the thread that owns <paramref name="time"/>; null when any thread may use it (<see cref="Clock"/> in tests).</param>
    /// <param name="postToOwner">Runs an action on the owner thread, in FIFO order (the reactor's <c>CallFromThread</c>).</param>
    public ReactorTimeProvider(IReactorTime time, DateTimeOffset epoch, TimeZoneInfo? localTimeZone = null,
        Func<bool>? onOwnerThread = null, Action<Action>? postToOwner = null)
    {
        if ((onOwnerThread is null) != (postToOwner is null))
            throw new ArgumentException("Give both the owner-thread test and the way to post to it, or neither.");
        _time = time;
        _epoch = epoch.ToUniversalTime();
        _localTimeZone = localTimeZone;
        _onOwnerThread = onOwnerThread;
        _postToOwner = postToOwner;
    }

    /// <summary>Runs <paramref name="action"/> now on the owner thread, or posts it there from any other.</summary>
    private void OnOwner(Action action)
    {
        if (_onOwnerThread is null || _onOwnerThread()) action();
        else _postToOwner!(action);
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
        var timer = new ReactorTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>An <see cref="ITimer"/> made of one pending delayed call at a time.</summary>
    private sealed class ReactorTimer(ReactorTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private static readonly Action<ReactorTimer> s_fire = static timer => timer.Fire();

        private readonly IReactorTime time = owner._time;
        private IDelayedCall? _call;        // owner thread only
        private TimeSpan _period;           // owner thread only
        private volatile bool _disposed;    // set at once from any thread, so Change after Dispose returns false

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Validate(dueTime);
            Validate(period);
            if (_disposed) return false;
            owner.OnOwner(() =>
            {
                if (_disposed) return;
                CancelPending();
                _period = period;
                if (dueTime != Timeout.InfiniteTimeSpan) _call = time.CallLater(dueTime, s_fire, this);
            });
            return true;
        }

        public void Dispose()
        {
            _disposed = true;
            owner.OnOwner(CancelPending);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return default;
        }

        private void Fire()
        {
            if (_disposed) return;
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
