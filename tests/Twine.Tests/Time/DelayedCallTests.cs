using Twine.Time;

namespace Twine.Tests.Time;

public sealed class DelayedCallTests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void DC1_TimeIsBasePlusDelayedAndActiveUntilCalled()
    {
        var now = new ManualNow { Now = S(10) };
        var queue = new TimerQueue(now);
        var call = queue.Schedule(S(5), () => { });
        Assert.Equal(S(15), call.Time);
        Assert.True(call.IsActive);
        Assert.False(call.Called);
        Assert.False(call.Cancelled);

        call.Delay(S(2));
        Assert.Equal(S(17), call.Time);
        Assert.Equal(S(15).Ticks, call.BaseTicks);
        Assert.Equal(S(2).Ticks, call.DelayedTicks);

        queue.RunDue(S(17));
        Assert.True(call.Called);
        Assert.False(call.IsActive);
    }

    [Fact]
    public void DC1_CancelledCallIsInactive()
    {
        var queue = new TimerQueue(new ManualNow());
        var call = queue.Schedule(S(1), () => { });
        call.Cancel();
        Assert.True(call.Cancelled);
        Assert.False(call.IsActive);
        Assert.False(call.Called);
    }

    [Fact]
    public void DC2_CancelTwiceThrowsAlreadyCancelled()
    {
        var queue = new TimerQueue(new ManualNow());
        var call = queue.Schedule(S(1), () => { });
        call.Cancel();
        Assert.Throws<AlreadyCancelledException>(call.Cancel);
        Assert.Throws<AlreadyCancelledException>(() => call.Reset(S(1)));
        Assert.Throws<AlreadyCancelledException>(() => call.Delay(S(1)));
    }

    [Fact]
    public void DC2_CancelAfterCallThrowsAlreadyCalled()
    {
        var queue = new TimerQueue(new ManualNow());
        var call = queue.Schedule(S(0), () => { });
        queue.RunDue(S(0));
        Assert.Throws<AlreadyCalledCallException>(call.Cancel);
        Assert.Throws<AlreadyCalledCallException>(() => call.Reset(S(1)));
        Assert.Throws<AlreadyCalledCallException>(() => call.Delay(S(1)));
    }

    [Fact]
    public void DC2_CalledIsSetBeforeTheCallRunsSoSelfCancelThrowsAlreadyCalled()
    {
        var queue = new TimerQueue(new ManualNow());
        IDelayedCall? call = null;
        Exception? seen = null;
        bool calledSeen = false;
        call = queue.Schedule(S(0), () =>
        {
            calledSeen = call!.Called;
            seen = Record.Exception(call.Cancel);
        });
        queue.RunDue(S(0));
        Assert.True(calledSeen);
        Assert.IsType<AlreadyCalledCallException>(seen);
    }

    [Fact]
    public void DC2_CancelDropsTheCallbackAndState()
    {
        var queue = new TimerQueue(new ManualNow());
        var weak = ScheduleWithCapturedState(queue, out var call);
        call.Cancel();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.False(weak.IsAlive);
        GC.KeepAlive(call);
    }

    private static WeakReference ScheduleWithCapturedState(TimerQueue queue, out DelayedCall call)
    {
        var payload = new object();
        call = queue.Schedule(S(1), static p => GC.KeepAlive(p), payload);
        return new WeakReference(payload);
    }

    [Fact]
    public void DC3_ResetIsMeasuredFromTheOwnersNow()
    {
        // testDelayedCallSecondsOverride: seconds() == 10, reset(3) gives getTime() == 13.
        var now = new ManualNow();
        var queue = new TimerQueue(now);
        var call = queue.Schedule(S(5), () => { });
        now.Now = S(10);
        call.Reset(S(3));
        Assert.Equal(S(13), call.Time);
    }

    [Fact]
    public void DC3_ResetLaterIsLazy()
    {
        var queue = new TimerQueue(new ManualNow());
        var call = queue.Schedule(S(2), () => { });
        call.Reset(S(7));
        Assert.Equal(S(2).Ticks, call.BaseTicks);
        Assert.Equal(S(5).Ticks, call.DelayedTicks);
        Assert.Equal(S(7), call.Time);
        Assert.Equal(0, queue.RunDue(S(6)));
        Assert.Equal(1, queue.RunDue(S(7)));
    }

    [Fact]
    public void DC3_ResetEarlierMovesBaseTimeAndRepositions()
    {
        var queue = new TimerQueue(new ManualNow());
        var log = new List<string>();
        queue.Schedule(S(3), () => log.Add("a"));
        var b = queue.Schedule(S(10), () => log.Add("b"));
        b.Delay(S(5));
        b.Reset(S(1));
        Assert.Equal(S(1).Ticks, b.BaseTicks);
        Assert.Equal(0, b.DelayedTicks);
        queue.RunDue(S(1));
        Assert.Equal(["b"], log);
    }

    [Fact]
    public void DC4_DelayAddsToTheOffset()
    {
        var queue = new TimerQueue(new ManualNow());
        var call = queue.Schedule(S(1), () => { });
        call.Delay(S(1));
        call.Delay(S(2));
        Assert.Equal(S(4), call.Time);
        Assert.Equal(S(1).Ticks, call.BaseTicks);
    }

    [Fact]
    public void DC4_NegativeDelayFoldsIntoBaseTime()
    {
        var queue = new TimerQueue(new ManualNow());
        var log = new List<string>();
        queue.Schedule(S(4), () => log.Add("other"));
        var call = queue.Schedule(S(5), () => log.Add("moved"));
        call.Delay(S(1));
        call.Delay(S(-3));
        Assert.Equal(S(3), call.Time);
        Assert.Equal(S(3).Ticks, call.BaseTicks);
        Assert.Equal(0, call.DelayedTicks);
        queue.RunDue(S(3));
        Assert.Equal(["moved"], log);
    }

    [Fact]
    public void DC5_ComparisonUsesBaseTimeOnly()
    {
        var queue = new TimerQueue(new ManualNow());
        var a = queue.Schedule(S(1), () => { });
        var b = queue.Schedule(S(2), () => { });
        a.Delay(S(10));   // a.Time == 11 but its base time is still 1
        Assert.True(a < b);
        Assert.True(a <= b);
        Assert.False(a > b);
        Assert.False(a >= b);
        var c = queue.Schedule(S(1), () => { });
        Assert.True(a <= c && a >= c && !(a < c) && !(a > c));
        // Equality is identity.
        Assert.False(a.Equals(c));
        Assert.True(a.Equals(a));
    }

    [Fact]
    public void DC6_ToStringNamesTheCallback()
    {
        var queue = new TimerQueue(new ManualNow());
        var call = queue.Schedule(S(10.5), Nothing);
        Assert.Equal("<DelayedCall [10.5s] called=0 cancelled=0 DelayedCallTests.Nothing>", call.ToString());
    }

    private static void Nothing() { }

    [Fact]
    public void DC7_CallLaterUsesTheReactorsNow()
    {
        var now = new ManualNow { Now = S(100) };
        var queue = new TimerQueue(now);
        Assert.Equal(S(101), queue.Schedule(S(1), () => { }).Time);
    }

    [Fact]
    public void StatePassingCallReceivesItsState()
    {
        var queue = new TimerQueue(new ManualNow());
        var seen = new List<int>();
        queue.Schedule(S(1), static s => s.seen.Add(s.value), (seen, value: 7));
        queue.Schedule(S(1), static list => list.Add(42), seen);
        queue.RunDue(S(1));
        Assert.Equal([7, 42], seen);
    }
}
