using Twine.Defer;
using Twine.Time;

namespace Twine.Tests.Time;

public sealed class LoopingCallTests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    private sealed class TestException(string message = "boom") : Exception(message);

    [Fact]
    public void LC1_RunsOnTheGivenClockOnly()
    {
        var clock = new Clock();
        var other = new Clock();
        int calls = 0;
        var lc = new LoopingCall(clock, () => calls++);
        lc.Start(S(1), now: false);
        other.Advance(S(5));
        Assert.Equal(0, calls);
        Assert.Empty(other.GetDelayedCalls());
        clock.Advance(S(1));
        Assert.Equal(1, calls);
        Assert.Throws<ArgumentNullException>(() => new LoopingCall(null!, () => { }));
    }

    [Fact]
    public void LC2_BasicFunction_CallsNowThenEveryIntervalAndStopFiresWithItself()
    {
        var clock = new Clock();
        int calls = 0;
        var lc = new LoopingCall(clock, () => calls++);
        var d = lc.Start(S(0.1));
        LoopingCall? result = null;
        d.AddCallback(r => { result = r; });

        clock.Pump(S(0.05), S(0.1), S(0.1));
        Assert.Equal(3, calls);
        Assert.True(lc.Running);
        Assert.Equal(S(0.1), lc.Interval);

        lc.Stop();
        Assert.Same(lc, result);
        Assert.False(lc.Running);
        Assert.Empty(clock.GetDelayedCalls());
    }

    [Fact]
    public void LC2_NowCallsTheFunctionSynchronouslyInsideStart()
    {
        var clock = new Clock();
        int calls = 0;
        var lc = new LoopingCall(clock, () => calls++);
        lc.Start(S(1));
        Assert.Equal(1, calls);
        Assert.Equal(S(1), Assert.Single(clock.GetDelayedCalls()).Time);
    }

    [Fact]
    public void LC2_DelayedStart_FirstCallOneIntervalAfterStart()
    {
        var clock = new Clock();
        int calls = 0;
        var lc = new LoopingCall(clock, () => calls++);
        var d = lc.Start(S(0.1), now: false);
        LoopingCall? result = null;
        d.AddCallback(r => { result = r; });
        Assert.Equal(0, calls);

        clock.Pump(S(0.05), S(0.1), S(0.1));
        Assert.Equal(2, calls);
        lc.Stop();
        Assert.Same(lc, result);
        Assert.Empty(clock.GetDelayedCalls());
    }

    [Fact]
    public void LC2_NegativeIntervalIsRejected()
    {
        var lc = new LoopingCall(new Clock(), () => { });
        Assert.Throws<ArgumentOutOfRangeException>(() => lc.Start(S(-1)));
        Assert.False(lc.Running);
        Assert.Throws<ArgumentOutOfRangeException>(() => lc.Interval = S(-1));
    }

    [Fact]
    public void LC2_StartWhileRunningIsRejected()
    {
        var clock = new Clock();
        var lc = new LoopingCall(clock, () => { });
        lc.Start(S(1));
        Assert.Throws<InvalidOperationException>(() => lc.Start(S(1)));
        Assert.Single(clock.GetDelayedCalls());
    }

    [Fact]
    public void LC3_WaitDeferred_NextCallWaitsForTheReturnedDeferred()
    {
        // testWaitDeferred: the function's Deferred takes 1s; calls must never overlap.
        var clock = new Clock();
        int calls = 0;
        LoopingCall lc = null!;
        lc = new LoopingCall(clock, () =>
        {
            calls++;
            var d = new Deferred<Unit>();
            d.AddCallback(_ => lc.Stop());
            clock.CallLater(S(1), () => d.Callback());
            return d;
        });
        lc.Start(S(0.2));
        clock.Pump(S(0.2), S(0.8));
        Assert.Equal(1, calls);
        Assert.False(lc.Running);
        Assert.Empty(clock.GetDelayedCalls());
    }

    [Fact]
    public void LC3_NextTimeIsComputedFromWhenTheDeferredFires()
    {
        var clock = new Clock();
        var times = new List<TimeSpan>();
        Deferred<Unit>? pending = null;
        var lc = new LoopingCall(clock, () =>
        {
            times.Add(clock.Now);
            if (times.Count == 1) return pending = new Deferred<Unit>();
            return null;
        });
        lc.Start(S(1));
        clock.Advance(S(2.5));                 // intervals at 1 and 2 pass while waiting
        Assert.Equal([S(0)], times);
        Assert.Empty(clock.GetDelayedCalls());

        pending!.Callback();                   // fires at 2.5: next boundary strictly after is 3
        Assert.Equal(S(3), Assert.Single(clock.GetDelayedCalls()).Time);
        clock.Advance(S(0.5));
        Assert.Equal([S(0), S(3)], times);
    }

    [Fact]
    public void LC3_TheReturnedDeferredsResultIsConsumed()
    {
        var clock = new Clock();
        var inner = new Deferred<int>();
        var lc = new LoopingCall(clock, () => inner);
        lc.Start(S(1));
        inner.Callback(42);
        var seen = -1;
        inner.AddCallback(v => { seen = v; });
        Assert.Equal(0, seen);                 // Twisted: the loop's callback returned None
    }

    [Fact]
    public void LC3_AnAsyncLambdaIsWaitedFor()
    {
        var clock = new Clock();
        var log = new List<string>();
        var lc = new LoopingCall(clock, async () =>
        {
            log.Add($"start {clock.Now.TotalSeconds}");
            await clock.Sleep(S(1.5));
            log.Add($"end {clock.Now.TotalSeconds}");
        });
        lc.Start(S(1));
        clock.Pump(S(1), S(0.5), S(0.5));
        Assert.Equal(["start 0", "end 1.5", "start 2"], log);
    }

    [Fact]
    public void LC4_CallbackTimeSkips_TimeSpentInTheFunctionSkipsIntervals()
    {
        var clock = new Clock();
        var times = new List<TimeSpan>();
        var callDuration = S(2);
        var lc = new LoopingCall(clock, () =>
        {
            times.Add(clock.Now);
            clock.Advance(callDuration);
        });

        lc.Start(S(0.5));
        Assert.Equal([S(0)], times);
        Assert.Equal(S(2), clock.Now);

        clock.Advance(S(0));                   // 2 is the present, not the future: skipped
        Assert.Equal([S(0)], times);

        callDuration = S(1);
        clock.Advance(S(0.5));
        Assert.Equal([S(0), S(2.5)], times);
        Assert.Equal(S(3.5), clock.Now);

        clock.Advance(S(0));
        Assert.Equal([S(0), S(2.5)], times);

        callDuration = S(0);
        clock.Advance(S(0.5));
        Assert.Equal([S(0), S(2.5), S(4)], times);
        Assert.Equal(S(4), clock.Now);
    }

    [Fact]
    public void LC4_ReactorTimeSkips_MissedIntervalsAreNotReplayed()
    {
        var clock = new Clock();
        var times = new List<TimeSpan>();
        var lc = new LoopingCall(clock, () => times.Add(clock.Now));
        lc.Start(S(0.5));
        Assert.Equal([S(0)], times);

        clock.Advance(S(2));
        Assert.Equal([S(0), S(2)], times);
        clock.Advance(S(1));
        Assert.Equal([S(0), S(2), S(3)], times);
        clock.Advance(S(0));
        Assert.Equal([S(0), S(2), S(3)], times);
    }

    [Fact]
    public void LC4_CallsStayAlignedToStartPlusWholeIntervals()
    {
        var clock = new Clock();
        clock.Advance(S(0.25));
        var times = new List<TimeSpan>();
        var lc = new LoopingCall(clock, () => times.Add(clock.Now));
        lc.Start(S(1));                        // start = 0.25: boundaries at 1.25, 2.25, ...
        clock.Advance(S(1.5));                 // the 1.25 call runs late, at 1.75 ...
        Assert.Equal(S(2.25), Assert.Single(clock.GetDelayedCalls()).Time);   // ... but the next is not moved to 2.75
        clock.Advance(S(0.5));
        Assert.Equal([S(0.25), S(1.75), S(2.25)], times);
    }

    [Fact]
    public void LC4_OnABoundaryTheNextCallIsAWholeIntervalAway()
    {
        // In whole ticks 0.1s boundaries are exact: ten advances of 0.1s make exactly ten calls, one per boundary.
        var clock = new Clock();
        var times = new List<TimeSpan>();
        var lc = new LoopingCall(clock, () => times.Add(clock.Now));
        lc.Start(S(0.1), now: false);
        for (int i = 0; i < 10; i++)
        {
            clock.Advance(S(0.1));
            Assert.Equal(clock.Now + S(0.1), Assert.Single(clock.GetDelayedCalls()).Time);
        }
        Assert.Equal(Enumerable.Range(1, 10).Select(k => TimeSpan.FromTicks(k * S(0.1).Ticks)), times);
    }

    [Fact]
    public void LC4_EveryIteration_IntervalZeroCallsAgainOnEveryTurn()
    {
        var clock = new Clock();
        int calls = 0;
        LoopingCall lc = null!;
        lc = new LoopingCall(clock, () =>
        {
            calls++;
            if (calls > 5) lc.Stop();
        });
        var d = lc.Start(TimeSpan.Zero);
        Assert.Equal(1, calls);
        Assert.Equal(TimeSpan.Zero, Assert.Single(clock.GetDelayedCalls()).Time);

        clock.Advance(TimeSpan.Zero);          // Clock runs callLater(0) made during Advance in the same Advance
        Assert.Equal(6, calls);
        Assert.Same(lc, d.Result.Value);
        Assert.Empty(clock.GetDelayedCalls());
    }

    [Fact]
    public void LC5_Failure_AThrowingFunctionStopsTheLoopAndFailsTheDeferred()
    {
        var clock = new Clock();
        var ex = new TestException("bar");
        var lc = new LoopingCall(clock, () => throw ex);
        var d = lc.Start(S(0.1));
        Assert.False(lc.Running);
        Assert.Same(ex, d.Result.Failure!.Value);
        d.AddErrback(_ => { });
        Assert.Empty(clock.GetDelayedCalls());
    }

    [Fact]
    public void LC5_FailurePropagation_AFailedDeferredStopsTheLoopWithThatFailure()
    {
        var clock = new Clock();
        var failure = new Failure(new TestException());
        int calls = 0;
        var lc = new LoopingCall(clock, () =>
        {
            calls++;
            var d = new Deferred<Unit>();
            clock.CallLater(S(0.3), () => d.Errback(failure));
            return d;
        });
        var result = lc.Start(S(1));
        Assert.False(result.Called);
        clock.Advance(S(0.3));
        Assert.Same(failure, result.Result.Failure);
        result.AddErrback(_ => { });
        Assert.False(lc.Running);
        Assert.Empty(clock.GetDelayedCalls());
        clock.Advance(S(5));
        Assert.Equal(1, calls);
    }

    [Fact]
    public void LC5_FailAndStop_AFailureWinsEvenAfterTheFunctionCalledStop()
    {
        var clock = new Clock();
        LoopingCall lc = null!;
        lc = new LoopingCall(clock, () =>
        {
            lc.Stop();
            throw new TestException("bar");
        });
        var d = lc.Start(S(0.1));
        Assert.IsType<TestException>(d.Result.Failure!.Value);
        d.AddErrback(_ => { });
        Assert.False(lc.Running);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(10.0)]
    public void LC6_StopAtOnce_StoppingBeforeTheFirstCallPreventsIt(double delay)
    {
        var clock = new Clock();
        int calls = 0;
        var lc = new LoopingCall(clock, () => calls++);
        var d = lc.Start(S(delay), now: false);
        lc.Stop();
        Assert.Same(lc, d.Result.Value);
        Assert.Empty(clock.GetDelayedCalls());
        clock.Advance(S(20));
        Assert.Equal(0, calls);
    }

    [Fact]
    public void LC6_StopAtOnceLater_StopFromAnotherTimedCallPreventsFurtherCalls()
    {
        var clock = new Clock();
        int calls = 0;
        var lc = new LoopingCall(clock, () => calls++);
        lc.Start(S(1), now: false);
        clock.CallLater(TimeSpan.Zero, lc.Stop);
        clock.Advance(S(5));
        Assert.Equal(0, calls);
        Assert.False(lc.Running);
    }

    [Fact]
    public void LC6_StopWhileTheFunctionsDeferredIsPendingFiresWhenItCompletes()
    {
        var clock = new Clock();
        var pending = new Deferred<Unit>();
        var lc = new LoopingCall(clock, () => pending);
        var d = lc.Start(S(1));
        lc.Stop();
        Assert.False(d.Called);
        Assert.False(lc.Running);

        pending.Callback();
        Assert.Same(lc, d.Result.Value);
        Assert.Empty(clock.GetDelayedCalls());
    }

    [Fact]
    public void LC6_StopInsideTheFunctionFiresWhenItReturns()
    {
        var clock = new Clock();
        LoopingCall lc = null!;
        Deferred<LoopingCall>? d = null;
        bool firedWhileRunning = true;
        lc = new LoopingCall(clock, () =>
        {
            lc.Stop();
            firedWhileRunning = d!.Called;
        });
        d = lc.Start(S(1), now: false);
        clock.Advance(S(1));
        Assert.False(firedWhileRunning);
        Assert.Same(lc, d.Result.Value);
        Assert.Empty(clock.GetDelayedCalls());
    }

    [Fact]
    public void LC6_StopWhenNotRunningIsRejected()
    {
        var clock = new Clock();
        var lc = new LoopingCall(clock, () => { });
        Assert.Throws<InvalidOperationException>(lc.Stop);
        lc.Start(S(1));
        lc.Stop();
        Assert.Throws<InvalidOperationException>(lc.Stop);
    }

    [Fact]
    public void LC7_Reset_RestartsTheIntervalFromNow()
    {
        var clock = new Clock();
        int calls = 0;
        var lc = new LoopingCall(clock, () => calls++);
        lc.Start(S(2), now: false);
        clock.Advance(S(1));
        lc.Reset();
        clock.Advance(S(1));
        Assert.Equal(0, calls);
        clock.Advance(S(1));
        Assert.Equal(1, calls);
        clock.Advance(S(2));                   // boundaries are now anchored at 1: 3, 5, ...
        Assert.Equal(2, calls);
    }

    [Fact]
    public void LC7_ResetWhenNotRunningIsRejected()
    {
        var lc = new LoopingCall(new Clock(), () => { });
        Assert.Throws<InvalidOperationException>(lc.Reset);
    }

    [Fact]
    public void LC8_ReactorTimeCountSkips_CountIncludesSkippedIntervals()
    {
        var clock = new Clock();
        var seen = new List<(TimeSpan, int)>();
        var lc = LoopingCall.WithCount(clock, n => seen.Add((clock.Now, n)));
        var interval = S(0.5);
        var delay = S(0.01);
        lc.Start(interval);
        Assert.Equal([(S(0), 1)], seen);

        clock.Advance(interval + delay);
        Assert.Equal([(S(0), 1), (interval + delay, 1)], seen);

        clock.Advance(3 * interval + delay);
        Assert.Equal([(S(0), 1), (interval + delay, 1), (4 * interval + 2 * delay, 3)], seen);

        clock.Advance(S(0));
        Assert.Equal(3, seen.Count);
    }

    [Fact]
    public void LC8_CountLengthyIntervalCounts_OnlyWholeMissedIntervalsCount()
    {
        var clock = new Clock();
        var seen = new List<(TimeSpan, int)>();
        var lc = LoopingCall.WithCount(clock, n => seen.Add((clock.Now, n)));
        var interval = S(0.5);
        var delay = S(0.01);
        lc.Start(interval);
        Assert.Equal((S(0), 1), seen[^1]);

        clock.Advance(interval + delay);
        Assert.Equal((interval + delay, 1), seen[^1]);

        clock.Advance(interval * 1.75);
        Assert.Equal((interval * 2.75 + delay, 1), seen[^1]);

        clock.Advance(interval * 0.25);
        Assert.Equal((interval * 3 + delay, 1), seen[^1]);
        Assert.Equal(4, seen.Count);
    }

    [Fact]
    public void LC8_WithCountFloatingPointBoundary_CountsSumToTheElapsedIntervalsAndAreNeverZero()
    {
        var clock = new Clock();
        var counts = new List<int>();
        var lc = LoopingCall.WithCount(clock, counts.Add);
        // An interval that is not a whole number of ticks' worth of 1/3: drift would show up over many steps.
        var interval = TimeSpan.FromTicks(3_333_333);
        lc.Start(interval, now: false);
        for (int i = 0; i < 1000; i++) clock.Advance(interval);
        Assert.Equal(1000, counts.Sum());
        Assert.DoesNotContain(0, counts);
        Assert.All(counts, c => Assert.Equal(1, c));

        // Uneven advances still add up exactly.
        var counts2 = new List<int>();
        var clock2 = new Clock();
        var lc2 = LoopingCall.WithCount(clock2, counts2.Add);
        lc2.Start(S(0.1), now: false);
        for (int i = 0; i < 37; i++) clock2.Advance(S(0.07));
        var elapsed = (int)(clock2.Now.Ticks / S(0.1).Ticks);
        Assert.Equal(elapsed, counts2.Sum());
        Assert.DoesNotContain(0, counts2);
    }

    [Fact]
    public void LC8_WithCountIntervalZero_CountIsAlwaysOne()
    {
        var clock = new Clock();
        var counts = new List<int>();
        LoopingCall lc = null!;
        lc = LoopingCall.WithCount(clock, n =>
        {
            counts.Add(n);
            if (counts.Count > 4) lc.Stop();
        });
        var d = lc.Start(TimeSpan.Zero, now: false);
        clock.Advance(TimeSpan.Zero);
        Assert.Same(lc, d.Result.Value);
        Assert.Equal([1, 1, 1, 1, 1], counts);
    }

    [Fact]
    public void LC8_WithCountIntervalZeroDelay_ADelayDoesNotChangeTheCount()
    {
        var clock = new Clock();
        var pending = new Deferred<Unit>();
        var counts = new List<int>();
        LoopingCall lc = null!;
        lc = LoopingCall.WithCount(clock, n =>
        {
            counts.Add(n);
            if (counts.Count == 2) return pending;
            if (counts.Count > 4) lc.Stop();
            return null;
        });
        lc.Start(TimeSpan.Zero, now: false);

        clock.Advance(TimeSpan.Zero);
        Assert.Equal([1, 1], counts);
        clock.Advance(S(2));
        Assert.Equal([1, 1], counts);

        pending.Callback();
        clock.Advance(TimeSpan.Zero);
        Assert.Equal([1, 1, 1, 1, 1], counts);
    }

    [Fact]
    public void LC8_WithCountIntervalZeroDelayThenNonZeroInterval_CountsFromTheLastCall()
    {
        var clock = new Clock();
        var pending = new Deferred<Unit>();
        var counts = new List<int>();
        var lc = LoopingCall.WithCount(clock, n =>
        {
            counts.Add(n);
            return counts.Count == 2 ? pending : null;
        });
        lc.Start(TimeSpan.Zero, now: false);

        clock.Advance(S(10));
        Assert.Equal([1, 1], counts);

        lc.Interval = S(2);
        pending.Callback();

        clock.Advance(S(7));
        Assert.Equal([1, 1, 3], counts);
        clock.Advance(S(2));
        Assert.Equal([1, 1, 3, 1], counts);
        clock.Advance(S(4));
        Assert.Equal([1, 1, 3, 1, 2], counts);
    }

    [Fact]
    public void LC8_DeferredWithCount_IntervalsSkippedWhileWaitingAreCounted()
    {
        var clock = new Clock();
        var pending = new Deferred<Unit>();
        var counts = new List<int>();
        var lc = LoopingCall.WithCount(clock, n =>
        {
            counts.Add(n);
            return counts.Count == 1 ? pending : null;
        });
        lc.Start(S(0.2), now: false);
        Assert.Empty(counts);

        clock.Pump(S(0.2), S(0.4));
        Assert.Single(counts);

        pending.Callback();
        clock.Pump(S(0.2));
        Assert.Equal([1, 3], counts);
    }

    [Fact]
    public void LC9_ToStringNamesTheFunctionAndInterval()
    {
        var clock = new Clock();
        var lc = new LoopingCall(clock, Tick);
        Assert.Equal("LoopingCall<stopped>(LoopingCallTests.Tick)", lc.ToString());
        lc.Start(S(1.5));
        Assert.Equal("LoopingCall<1.5s>(LoopingCallTests.Tick)", lc.ToString());
    }

    private static void Tick() { }

    [Fact]
    public void Twine_CancellingTheStartDeferredStopsTheLoop()
    {
        var clock = new Clock();
        int calls = 0;
        var lc = new LoopingCall(clock, () => calls++);
        var d = lc.Start(S(1));
        d.Cancel();
        Assert.False(lc.Running);
        Assert.IsType<CancelledException>(d.Result.Failure!.Value);
        d.AddErrback(_ => { });
        Assert.Empty(clock.GetDelayedCalls());
        clock.Advance(S(5));
        Assert.Equal(1, calls);
    }

    [Fact]
    public void Twine_RestartWhileThePreviousCallIsInProgressIsRejected()
    {
        var clock = new Clock();
        var pending = new Deferred<Unit>();
        int calls = 0;
        var lc = new LoopingCall(clock, () => { calls++; return calls == 1 ? pending : null; });
        var first = lc.Start(S(1));
        lc.Stop();
        Assert.Throws<InvalidOperationException>(() => lc.Start(S(1)));

        pending.Callback();
        Assert.Same(lc, first.Result.Value);
        var second = lc.Start(S(1));           // a stopped loop can be started again
        Assert.Equal(2, calls);
        clock.Advance(S(1));
        Assert.Equal(3, calls);
        lc.Stop();
        Assert.Same(lc, second.Result.Value);
    }
}
