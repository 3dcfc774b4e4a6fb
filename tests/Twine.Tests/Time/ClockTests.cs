using Twine.Time;

namespace Twine.Tests.Time;

public sealed class ClockTests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void CL1_NowStartsAtZeroAndChangesOnlyThroughAdvance()
    {
        var clock = new Clock();
        Assert.Equal(TimeSpan.Zero, clock.Now);
        clock.CallLater(S(5), () => { });
        Assert.Equal(TimeSpan.Zero, clock.Now);
        clock.Advance(S(1.5));
        Assert.Equal(S(1.5), clock.Now);
    }

    [Fact]
    public void CL1_CallLaterReturnsAnActiveCallAtNowPlusDelay()
    {
        var clock = new Clock();
        clock.Advance(S(2));
        var call = clock.CallLater(S(1), () => { });
        Assert.Equal(S(3), call.Time);
        Assert.True(call.IsActive);
        Assert.NotSame(call, clock.CallLater(S(1), () => { }));
    }

    [Fact]
    public void CL1_ClockIsAnIReactorTime()
    {
        IReactorTime time = new Clock();
        Assert.Equal(TimeSpan.Zero, time.Now);
    }

    [Fact]
    public void CL1_CallLaterRejectsNegativeDelay()
    {
        var clock = new Clock();
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.CallLater(S(-0.001), () => { }));
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.CallLater(S(-1), _ => { }, 1));
        Assert.Empty(clock.GetDelayedCalls());
    }

    [Fact]
    public void CL2_AdvanceRunsDueCalls()
    {
        var clock = new Clock();
        var events = 0;
        var call = clock.CallLater(S(2), () => events++);
        clock.Advance(S(1));
        Assert.Equal(0, events);
        clock.Advance(S(1));
        Assert.Equal(1, events);
        Assert.False(call.IsActive);
        Assert.True(call.Called);
    }

    [Fact]
    public void CL2_CallLaterZeroInsideAdvanceRunsInSameAdvance()
    {
        var clock = new Clock();
        var log = new List<string>();
        clock.CallLater(S(1), () =>
        {
            log.Add("outer");
            clock.CallLater(TimeSpan.Zero, () => log.Add("inner"));
        });
        clock.Advance(S(1));
        Assert.Equal(["outer", "inner"], log);
        Assert.Empty(clock.GetDelayedCalls());
    }

    [Fact]
    public void CL2_CallsScheduledInsideAdvanceRunInTimeOrderWithOtherDueCalls()
    {
        var clock = new Clock();
        var log = new List<string>();
        clock.CallLater(S(1), () =>
        {
            log.Add("a");
            // Now is already 5 here (Advance moves time first), so this is due at 5 ...
            clock.CallLater(TimeSpan.Zero, () => log.Add("c"));
        });
        clock.CallLater(S(3), () => log.Add("b"));
        clock.CallLater(S(5), () => log.Add("d"));
        clock.CallLater(S(6), () => log.Add("too late"));
        clock.Advance(S(5));
        // ... after b at 3, and after d, which was also due at 5 but scheduled first.
        Assert.Equal(["a", "b", "d", "c"], log);
    }

    [Fact]
    public void CL2_ResetInsideCallKeepsCallsOrdered()
    {
        // test_callLaterResetInsideCallKeepsCallsOrdered
        var clock = new Clock();
        var result = new List<(string, double)>();
        var callB = clock.CallLater(S(2), () => result.Add(("b", clock.Now.TotalSeconds)));
        clock.CallLater(S(1), () => callB.Reset(S(3)));
        clock.CallLater(S(3), () => result.Add(("c", clock.Now.TotalSeconds)));
        clock.Pump(Enumerable.Repeat(S(0.5), 10));
        Assert.Equal([("c", 3.0), ("b", 4.0)], result);
    }

    [Fact]
    public void CL3_EqualTimesRunFirstInFirstOut()
    {
        var clock = new Clock();
        var log = new List<int>();
        for (int i = 0; i < 10; i++)
        {
            int index = i;
            clock.CallLater(S(1), () => log.Add(index));
        }
        clock.Advance(S(1));
        Assert.Equal(Enumerable.Range(0, 10), log);
    }

    [Fact]
    public void CL3_CallLaterKeepsCallsOrdered()
    {
        // test_callLaterKeepsCallsOrdered
        var clock = new Clock();
        var result = new List<(string, double)>();
        var callA = clock.CallLater(S(1), () => result.Add(("a", clock.Now.TotalSeconds)));
        callA.Reset(S(3));
        clock.CallLater(S(2), () => result.Add(("b", clock.Now.TotalSeconds)));
        clock.Pump(S(1), S(1), S(1));
        Assert.Equal([("b", 2.0), ("a", 3.0)], result);
    }

    [Fact]
    public void CL3_CallLaterResetKeepsCallsOrdered()
    {
        // test_callLaterResetKeepsCallsOrdered
        var clock = new Clock();
        var result = new List<(string, double)>();
        var callA = clock.CallLater(S(1), () => result.Add(("a", clock.Now.TotalSeconds)));
        clock.CallLater(S(2), () => result.Add(("b", clock.Now.TotalSeconds)));
        callA.Reset(S(3));
        clock.Pump(S(1), S(1), S(1));
        Assert.Equal([("b", 2.0), ("a", 3.0)], result);
    }

    [Fact]
    public void CL3_DelayedCallsOrderByTheirAdjustedTime()
    {
        var clock = new Clock();
        var log = new List<string>();
        var a = clock.CallLater(S(1), () => log.Add("a"));
        clock.CallLater(S(2), () => log.Add("b"));
        a.Delay(S(2));   // a is now due at 3, after b
        clock.Advance(S(10));
        Assert.Equal(["b", "a"], log);
    }

    [Fact]
    public void CL4_CancelRemovesTheCall()
    {
        var clock = new Clock();
        var ran = false;
        var call = clock.CallLater(S(1), () => ran = true);
        call.Cancel();
        Assert.False(call.IsActive);
        Assert.Empty(clock.GetDelayedCalls());
        clock.Advance(S(2));
        Assert.False(ran);
    }

    [Fact]
    public void CL4_CancelInsideOwnCallThrowsAlreadyCalled()
    {
        // testAdvanceCancel
        var clock = new Clock();
        Exception? seen = null;
        IDelayedCall? call = null;
        call = clock.CallLater(S(1), () => seen = Record.Exception(call!.Cancel));
        clock.Advance(S(1));
        Assert.IsType<AlreadyCalledCallException>(seen);
    }

    [Fact]
    public void CL5_DelayedCallFiresLater()
    {
        // testCallLaterDelayed
        var clock = new Clock();
        var events = 0;
        var call = clock.CallLater(S(1), () => events++);
        call.Delay(S(1));
        Assert.Equal(S(2), call.Time);
        clock.Advance(S(1.5));
        Assert.Equal(0, events);
        clock.Advance(S(1));
        Assert.Equal(1, events);
    }

    [Fact]
    public void CL5_ResetLater()
    {
        // testCallLaterResetLater
        var clock = new Clock();
        var events = 0;
        var call = clock.CallLater(S(2), () => events++);
        clock.Advance(S(1));
        call.Reset(S(3));
        Assert.Equal(S(4), call.Time);
        clock.Advance(S(2));
        Assert.Equal(0, events);
        clock.Advance(S(1));
        Assert.Equal(1, events);
    }

    [Fact]
    public void CL5_ResetSooner()
    {
        // testCallLaterResetSooner
        var clock = new Clock();
        var events = 0;
        var call = clock.CallLater(S(4), () => events++);
        call.Reset(S(3));
        Assert.Equal(S(3), call.Time);
        clock.Advance(S(3));
        Assert.Equal(1, events);
    }

    [Fact]
    public void CL6_GetDelayedCallsIsEmptyOnANewClock()
    {
        Assert.Empty(new Clock().GetDelayedCalls());
    }

    [Fact]
    public void CL6_GetDelayedCallsListsPendingCalls()
    {
        var clock = new Clock();
        var call = clock.CallLater(S(1), () => { });
        var call2 = clock.CallLater(S(2), () => { });
        var gone = clock.CallLater(S(3), () => { });
        gone.Cancel();
        Assert.Equal(new[] { call, call2 }, clock.GetDelayedCalls());
        clock.Advance(S(1));
        Assert.Equal(new[] { call2 }, clock.GetDelayedCalls());
    }

    [Fact]
    public void CL6_PumpAdvancesByEachAmount()
    {
        var clock = new Clock();
        var times = new List<TimeSpan>();
        for (int i = 1; i <= 3; i++) clock.CallLater(S(i), () => times.Add(clock.Now));
        clock.Pump([S(1), S(1), S(1)]);
        Assert.Equal([S(1), S(2), S(3)], times);
        Assert.Equal(S(3), clock.Now);
    }

    [Fact]
    public void CL7_ExceptionPropagatesOutOfAdvanceAndTheRestWait()
    {
        var clock = new Clock();
        var log = new List<string>();
        clock.CallLater(S(1), () => log.Add("a"));
        clock.CallLater(S(1), () => throw new InvalidOperationException("boom"));
        clock.CallLater(S(1), () => log.Add("c"));
        var ex = Assert.Throws<InvalidOperationException>(() => clock.Advance(S(1)));
        Assert.Equal("boom", ex.Message);
        Assert.Equal(["a"], log);
        Assert.Single(clock.GetDelayedCalls());
        clock.Advance(TimeSpan.Zero);
        Assert.Equal(["a", "c"], log);
    }

    [Fact]
    public void AdvanceRejectsNegativeAmounts()
    {
        var clock = new Clock();
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.Advance(S(-1)));
        Assert.Equal(TimeSpan.Zero, clock.Now);
    }

    [Fact]
    public void AdvanceFromInsideACallIsAllowed()
    {
        // LoopingCall's tests advance the clock from inside a call.
        var clock = new Clock();
        var times = new List<TimeSpan>();
        clock.CallLater(S(1), () => { times.Add(clock.Now); clock.Advance(S(2)); });
        clock.CallLater(S(2), () => times.Add(clock.Now));
        clock.Advance(S(1));
        Assert.Equal([S(1), S(3)], times);
        Assert.Equal(S(3), clock.Now);
    }

    [Fact]
    public void HugeDelayStaysPendingOnClock()
    {
        var clock = new Clock();
        var ran = false;
        var call = clock.CallLater(TimeSpan.MaxValue, () => ran = true);
        clock.Advance(TimeSpan.FromDays(365 * 1000));
        Assert.False(ran);
        Assert.True(call.IsActive);
    }

    [Fact]
    public void StatePassingCallLaterRunsWithState()
    {
        var clock = new Clock();
        var log = new List<string>();
        clock.CallLater(S(1), static l => l.Add("state"), log);
        clock.Advance(S(1));
        Assert.Equal(["state"], log);
    }

    [Fact]
    public void TenThousandRandomTimersFireInTimeOrder()
    {
        var clock = new Clock();
        var random = new Random(42);
        var fired = new List<(TimeSpan Now, int Index)>();
        var expected = new List<(long Ticks, int Index)>();
        for (int i = 0; i < 10_000; i++)
        {
            int index = i;
            var due = TimeSpan.FromMilliseconds(random.Next(0, 1000));
            clock.CallLater(due, () => fired.Add((clock.Now, index)));
            expected.Add((due.Ticks, i));
        }
        var order = expected.OrderBy(e => e.Ticks).ThenBy(e => e.Index).ToList();
        // Step 1 ms at a time, so Now at each firing equals the call's time.
        for (int ms = 0; ms < 1000; ms++) clock.Advance(ms == 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(1));
        Assert.Equal(order.Select(o => o.Index), fired.Select(f => f.Index));
        Assert.Equal(order.Select(o => o.Ticks), fired.Select(f => f.Now.Ticks));
    }
}
