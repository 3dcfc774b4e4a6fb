using Twine.Time;

namespace Twine.Tests.Time;

public sealed class ReactorTimeProviderTests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void UtcNowIsTheEpochPlusClockTime()
    {
        var clock = new Clock();
        var provider = clock.TimeProvider;
        Assert.Equal(DateTimeOffset.UnixEpoch, provider.GetUtcNow());
        clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(DateTimeOffset.UnixEpoch.AddDays(1), provider.GetUtcNow());
        Assert.Equal(TimeSpan.Zero, provider.GetUtcNow().Offset);
        Assert.Same(TimeZoneInfo.Utc, provider.LocalTimeZone);
    }

    [Fact]
    public void TimestampsFollowClockTime()
    {
        var clock = new Clock();
        var provider = clock.TimeProvider;
        Assert.Equal(TimeSpan.TicksPerSecond, provider.TimestampFrequency);
        long start = provider.GetTimestamp();
        clock.Advance(S(2.5));
        Assert.Equal(S(2.5), provider.GetElapsedTime(start));
        Assert.Equal(clock.Now.Ticks, provider.GetTimestamp());
    }

    [Fact]
    public void TaskDelayCompletesOnlyAfterAdvance()
    {
        var clock = new Clock();
        var delay = Task.Delay(S(10), clock.TimeProvider);
        Assert.False(delay.IsCompleted);
        Assert.Single(clock.GetDelayedCalls());
        clock.Advance(S(9.999));
        Assert.False(delay.IsCompleted);
        clock.Advance(S(0.001));
        Assert.True(delay.IsCompletedSuccessfully);
        Assert.Empty(clock.GetDelayedCalls());
    }

    [Fact]
    public void CancellingTaskDelayRemovesItsTimer()
    {
        var clock = new Clock();
        using var cts = new CancellationTokenSource();
        var delay = Task.Delay(S(10), clock.TimeProvider, cts.Token);
        cts.Cancel();
        Assert.True(delay.IsCanceled);
        Assert.Empty(clock.GetDelayedCalls());
    }

    [Fact]
    public void CancellationTokenSourceWithDelayCancelsOnClockTime()
    {
        var clock = new Clock();
        using var cts = new CancellationTokenSource(S(5), clock.TimeProvider);
        var cancelledAt = TimeSpan.MinValue;
        cts.Token.Register(() => cancelledAt = clock.Now);
        clock.Advance(S(4));
        Assert.False(cts.IsCancellationRequested);
        clock.Advance(S(1));
        Assert.True(cts.IsCancellationRequested);
        Assert.Equal(S(5), cancelledAt);
    }

    [Fact]
    public void CancelAfterReschedulesOnClockTime()
    {
        var clock = new Clock();
        using var cts = new CancellationTokenSource(S(5), clock.TimeProvider);
        cts.CancelAfter(S(20));
        clock.Advance(S(10));
        Assert.False(cts.IsCancellationRequested);
        clock.Advance(S(10));
        Assert.True(cts.IsCancellationRequested);
    }

    [Fact]
    public void WaitAsyncTimesOutOnClockTime()
    {
        var clock = new Clock();
        var never = new TaskCompletionSource().Task;
        var waiting = never.WaitAsync(S(3), clock.TimeProvider);
        clock.Advance(S(2));
        Assert.False(waiting.IsCompleted);
        clock.Advance(S(1));
        Assert.True(waiting.IsFaulted);
        Assert.IsType<TimeoutException>(waiting.Exception!.InnerException);
    }

    [Fact]
    public async Task PeriodicTimerTicksOnClockTime()
    {
        var clock = new Clock();
        using var timer = new PeriodicTimer(S(1), clock.TimeProvider);
        var tick = timer.WaitForNextTickAsync();
        Assert.False(tick.IsCompleted);
        clock.Advance(S(0.5));
        Assert.False(tick.IsCompleted);
        clock.Advance(S(0.5));
        Assert.True(tick.IsCompleted);
        Assert.True(await tick);

        var second = timer.WaitForNextTickAsync();
        Assert.False(second.IsCompleted);
        clock.Advance(S(1));
        Assert.True(second.IsCompleted);
        Assert.True(await second);

        var third = timer.WaitForNextTickAsync();
        timer.Dispose();
        Assert.True(third.IsCompleted);
        Assert.False(await third);
        Assert.Empty(clock.GetDelayedCalls());
    }

    [Fact]
    public void OneShotTimerFiresOnceInsideAdvanceOnTheCallersThread()
    {
        var clock = new Clock();
        var fired = new List<(object? State, int Thread, TimeSpan Now)>();
        using var timer = clock.TimeProvider.CreateTimer(
            s => fired.Add((s, Environment.CurrentManagedThreadId, clock.Now)), "state", S(2), Timeout.InfiniteTimeSpan);
        clock.Advance(S(1));
        Assert.Empty(fired);
        clock.Advance(S(5));
        Assert.Equal([("state", Environment.CurrentManagedThreadId, S(6))], fired);
        clock.Advance(S(100));
        Assert.Single(fired);
    }

    [Fact]
    public void PeriodicTimerFiresOncePerPeriodEvenWithinOneAdvance()
    {
        var clock = new Clock();
        int fired = 0;
        using var timer = clock.TimeProvider.CreateTimer(_ => fired++, null, S(1), S(1));
        clock.Advance(S(1));
        Assert.Equal(1, fired);
        clock.Advance(S(10));
        Assert.Equal(11, fired);
        // The next tick stays aligned to the period, not to when Advance ran the callback.
        Assert.Equal(S(12), Assert.Single(clock.GetDelayedCalls()).Time);
    }

    [Fact]
    public void ZeroPeriodMeansOneShot()
    {
        var clock = new Clock();
        int fired = 0;
        using var timer = clock.TimeProvider.CreateTimer(_ => fired++, null, S(1), TimeSpan.Zero);
        clock.Advance(S(10));
        Assert.Equal(1, fired);
        Assert.Empty(clock.GetDelayedCalls());
    }

    [Fact]
    public void InfiniteDueTimeNeverFiresUntilChanged()
    {
        var clock = new Clock();
        int fired = 0;
        using var timer = clock.TimeProvider.CreateTimer(_ => fired++, null, Timeout.InfiniteTimeSpan, S(1));
        clock.Advance(S(100));
        Assert.Equal(0, fired);
        Assert.Empty(clock.GetDelayedCalls());
        Assert.True(timer.Change(S(1), Timeout.InfiniteTimeSpan));
        clock.Advance(S(1));
        Assert.Equal(1, fired);
    }

    [Fact]
    public void ChangeReschedulesAndDisposeStops()
    {
        var clock = new Clock();
        int fired = 0;
        var timer = clock.TimeProvider.CreateTimer(_ => fired++, null, S(5), Timeout.InfiniteTimeSpan);
        Assert.True(timer.Change(S(10), Timeout.InfiniteTimeSpan));
        clock.Advance(S(5));
        Assert.Equal(0, fired);
        clock.Advance(S(5));
        Assert.Equal(1, fired);

        Assert.True(timer.Change(S(1), S(1)));
        clock.Advance(S(1));
        Assert.Equal(2, fired);
        timer.Dispose();
        clock.Advance(S(10));
        Assert.Equal(2, fired);
        Assert.False(timer.Change(S(1), S(1)));
        Assert.Empty(clock.GetDelayedCalls());
    }

    [Fact]
    public void CallbackCanDisposeItsOwnPeriodicTimer()
    {
        var clock = new Clock();
        int fired = 0;
        ITimer? timer = null;
        timer = clock.TimeProvider.CreateTimer(_ => { fired++; timer!.Dispose(); }, null, S(1), S(1));
        clock.Advance(S(10));
        Assert.Equal(1, fired);
        Assert.Empty(clock.GetDelayedCalls());
    }

    [Fact]
    public async Task DisposeAsyncStopsTheTimer()
    {
        var clock = new Clock();
        int fired = 0;
        var timer = clock.TimeProvider.CreateTimer(_ => fired++, null, S(1), S(1));
        await timer.DisposeAsync();
        clock.Advance(S(5));
        Assert.Equal(0, fired);
    }

    [Fact]
    public void NegativeTimesOtherThanInfiniteAreRejected()
    {
        var clock = new Clock();
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.TimeProvider.CreateTimer(_ => { }, null, S(-1), S(1)));
        using var timer = clock.TimeProvider.CreateTimer(_ => { }, null, S(1), S(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => timer.Change(S(1), S(-2)));
    }

    [Fact]
    public void TimerCallbackExceptionPropagatesOutOfAdvance()
    {
        // CL7 applies to timers too: Clock never swallows an error.
        var clock = new Clock();
        using var timer = clock.TimeProvider.CreateTimer(_ => throw new InvalidOperationException("tick"), null, S(1), Timeout.InfiniteTimeSpan);
        Assert.Throws<InvalidOperationException>(() => clock.Advance(S(1)));
    }

    [Fact]
    public void WorksOverAnyReactorTime()
    {
        // A reactor-shaped time source: its own TimerQueue, run in passes, with a wall-clock epoch of its choosing.
        var reactor = new PassReactor();
        var epoch = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(2));
        var provider = new ReactorTimeProvider(reactor, epoch);
        Assert.Equal(epoch, provider.GetUtcNow());

        var delay = Task.Delay(S(3), provider);
        reactor.Now = S(2);
        reactor.RunPass();
        Assert.False(delay.IsCompleted);
        reactor.Now = S(3);
        reactor.RunPass();
        Assert.True(delay.IsCompletedSuccessfully);
        Assert.Equal(epoch + S(3), provider.GetUtcNow());
    }

    private sealed class PassReactor : IReactorTime
    {
        private readonly TimerQueue _queue;

        public PassReactor() => _queue = new TimerQueue(this);

        public TimeSpan Now { get; set; }

        public IDelayedCall CallLater(TimeSpan delay, Action action) => _queue.Schedule(delay, action);

        public IDelayedCall CallLater<TState>(TimeSpan delay, Action<TState> action, TState state) =>
            _queue.Schedule(delay, action, state);

        public IReadOnlyList<IDelayedCall> GetDelayedCalls() => _queue.GetDelayedCalls();

        public void RunPass() => _queue.RunDue(Now);
    }
}
