using Twine.Logging;
using Twine.Time;

namespace Twine.Tests.Time;

/// <summary>An <see cref="IReactorTime"/> whose only job is a settable <see cref="Now"/> for a bare <see cref="TimerQueue"/>.</summary>
internal sealed class ManualNow : IReactorTime
{
    public TimeSpan Now { get; set; }
    public IDelayedCall CallLater(TimeSpan delay, Action action) => throw new NotSupportedException();
    public IDelayedCall CallLater<TState>(TimeSpan delay, Action<TState> action, TState state) => throw new NotSupportedException();
    public IReadOnlyList<IDelayedCall> GetDelayedCalls() => throw new NotSupportedException();
}

public sealed class TimerQueueTests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void RT1_NegativeDelayIsRejected()
    {
        var queue = new TimerQueue(new ManualNow());
        Assert.Throws<ArgumentOutOfRangeException>(() => queue.Schedule(S(-1), () => { }));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void RT1_CallScheduledDuringAPassRunsOnTheNextPass()
    {
        var queue = new TimerQueue(new ManualNow());
        var log = new List<string>();
        queue.Schedule(S(0), () =>
        {
            log.Add("outer");
            queue.Schedule(S(0), () => log.Add("inner"));
        });
        Assert.Equal(1, queue.RunDue(S(0)));
        Assert.Equal(["outer"], log);
        // Merged after the pass: the reactor must not block.
        Assert.Equal(TimeSpan.Zero, queue.Timeout(S(0)));
        Assert.Equal(1, queue.RunDue(S(0)));
        Assert.Equal(["outer", "inner"], log);
    }

    [Fact]
    public void RT2_CancelledCallsAreSkipped()
    {
        var queue = new TimerQueue(new ManualNow());
        var log = new List<int>();
        var calls = Enumerable.Range(0, 5).Select(i => queue.Schedule(S(1), () => log.Add(i))).ToList();
        calls[1].Cancel();
        calls[3].Cancel();
        Assert.Equal(3, queue.Count);
        Assert.Equal(3, queue.RunDue(S(1)));
        Assert.Equal([0, 2, 4], log);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void RT2_CallCancelledByAnEarlierCallInTheSamePassDoesNotRun()
    {
        var queue = new TimerQueue(new ManualNow());
        var log = new List<string>();
        IDelayedCall? second = null;
        queue.Schedule(S(1), () => { log.Add("first"); second!.Cancel(); });
        second = queue.Schedule(S(1), () => log.Add("second"));
        queue.RunDue(S(1));
        Assert.Equal(["first"], log);
    }

    [Fact]
    public void RT2_DelayedCallIsRepushedNotRun()
    {
        var queue = new TimerQueue(new ManualNow());
        var log = new List<string>();
        var call = queue.Schedule(S(1), () => log.Add("late"));
        call.Delay(S(4));
        Assert.Equal(0, queue.RunDue(S(1)));
        Assert.Equal(S(5).Ticks, call.BaseTicks);
        Assert.Equal(0, call.DelayedTicks);
        Assert.Equal(1, queue.RunDue(S(5)));
        Assert.Equal(["late"], log);
    }

    [Fact]
    public void RT2_HeapIsCompactedWhenCancellationsExceedFiftyAndHalf()
    {
        var queue = new TimerQueue(new ManualNow());
        var calls = Enumerable.Range(0, 100).Select(i => queue.Schedule(S(i + 1), () => { })).ToList();
        // 50 cancellations: at the threshold but not over it, so nothing is compacted yet.
        foreach (var c in calls.Take(50)) c.Cancel();
        Assert.Equal(100, HeapEntries(calls));
        // The 51st is over 50 and over half of 100: the cancelled entries leave the heap.
        calls[50].Cancel();
        Assert.Equal(49, HeapEntries(calls));
        Assert.Equal(49, queue.Count);
        Assert.All(calls.Take(51), c => Assert.Equal(DelayedCall.NotQueued, c.HeapIndex));
        // The heap is still ordered.
        queue.Schedule(S(1000), () => { });
        Assert.Equal(S(52), queue.NextDue());
        Assert.Equal(49, queue.RunDue(S(100)));
    }

    [Fact]
    public void RT2_CompactingAHeapWhoseEveryCallIsCancelledLeavesItEmpty()
    {
        // One timer at a time, each cancelled before the next (a server's per-request timeout): when compaction runs,
        // nothing is left to keep.
        var queue = new TimerQueue(new ManualNow());
        for (int i = 0; i < 200; i++) queue.Schedule(S(1), () => { }).Cancel();
        Assert.Equal(0, queue.Count);
        bool ran = false;
        queue.Schedule(S(1), () => ran = true);
        Assert.Equal(1, queue.RunDue(S(1)));
        Assert.True(ran);
    }

    [Fact]
    public void RT2_NoCompactionWhileCancellationsAreUnderHalfTheHeap()
    {
        var queue = new TimerQueue(new ManualNow());
        var calls = Enumerable.Range(0, 200).Select(i => queue.Schedule(S(i + 1), () => { })).ToList();
        foreach (var c in calls.Take(60)) c.Cancel();
        Assert.Equal(200, HeapEntries(calls));
        Assert.Equal(140, queue.Count);
    }

    private static int HeapEntries(IEnumerable<DelayedCall> calls) => calls.Count(c => c.HeapIndex >= 0);

    [Fact]
    public void RT3_EqualTimesRunFirstInFirstOut()
    {
        var queue = new TimerQueue(new ManualNow());
        var log = new List<int>();
        for (int i = 0; i < 20; i++)
        {
            int index = i;
            queue.Schedule(S(1), () => log.Add(index));
        }
        queue.RunDue(S(1));
        Assert.Equal(Enumerable.Range(0, 20), log);
    }

    [Fact]
    public void RT4_ExceptionGoesToTheHookAndThePassContinues()
    {
        var errors = new List<(DelayedCall Call, Exception Error)>();
        var queue = new TimerQueue(new ManualNow(), (call, ex) => errors.Add((call, ex)));
        var log = new List<string>();
        queue.Schedule(S(1), () => log.Add("a"));
        var bad = queue.Schedule(S(1), () => throw new InvalidOperationException("boom"));
        queue.Schedule(S(1), () => log.Add("c"));
        Assert.Equal(3, queue.RunDue(S(1)));
        Assert.Equal(["a", "c"], log);
        var (call, error) = Assert.Single(errors);
        Assert.Same(bad, call);
        Assert.Equal("boom", error.Message);
        Assert.True(bad.Called);
    }

    [Fact]
    public void RT4_ExceptionIsLoggedByDefault()
    {
        string marker = "rt4-" + Guid.NewGuid();
        var seen = new List<LogEvent>();
        void Observe(LogEvent e)
        {
            if (e.Message.Contains(nameof(Throws)) && e.Failure?.Value.Message == marker) lock (seen) seen.Add(e);
        }
        Log.Observed += Observe;
        try
        {
            var queue = new TimerQueue(new ManualNow());
            var ran = false;
            queue.Schedule(S(0), Throws, marker);
            queue.Schedule(S(0), () => ran = true);
            queue.RunDue(S(0));
            Assert.True(ran);
        }
        finally
        {
            Log.Observed -= Observe;
        }
        var e = Assert.Single(seen);
        Assert.Equal(LogLevel.Error, e.Level);
    }

    private static void Throws(string message) => throw new InvalidOperationException(message);

    [Fact]
    public void RT5_TimeoutIsNullWhenEmptyAndClamped()
    {
        var now = new ManualNow { Now = S(10) };
        var queue = new TimerQueue(now);
        Assert.Null(queue.Timeout(now.Now));
        Assert.Null(queue.NextDue());
        var call = queue.Schedule(S(3), () => { });
        Assert.Equal(S(3), queue.Timeout(now.Now));
        Assert.Equal(TimeSpan.Zero, queue.Timeout(S(20)));
        call.Cancel();
        Assert.Null(queue.Timeout(now.Now));
    }

    [Fact]
    public void RT5_HugeDelayDoesNotBreakTheLoopAndStaysPending()
    {
        var now = new ManualNow { Now = S(1000) };
        var queue = new TimerQueue(now);
        var ran = false;
        var distant = queue.Schedule(TimeSpan.MaxValue, () => ran = true);
        Assert.Equal(TimeSpan.MaxValue, distant.Time);   // saturated, not wrapped into the past
        Assert.Equal(TimerQueue.MaxTimeout, queue.Timeout(now.Now));
        Assert.Equal(0, queue.RunDue(now.Now));
        distant.Delay(TimeSpan.MaxValue);
        Assert.Equal(TimeSpan.MaxValue, distant.Time);
        Assert.Equal(TimerQueue.MaxTimeout, queue.Timeout(now.Now));
        Assert.False(ran);
        Assert.True(distant.IsActive);
        Assert.Single(queue.GetDelayedCalls());
        Assert.True(TimerQueue.MaxTimeout.TotalMilliseconds <= int.MaxValue);
    }

    [Fact]
    public void RT5_TimeoutFoldsALazyDelayInsteadOfWakingEarly()
    {
        var queue = new TimerQueue(new ManualNow());
        var call = queue.Schedule(S(1), () => { });
        call.Reset(S(10));
        Assert.Equal(S(10), queue.Timeout(TimeSpan.Zero));
    }

    [Fact]
    public void RT6_GetDelayedCallsListsPendingCallsIncludingStaged()
    {
        var queue = new TimerQueue(new ManualNow());
        Assert.Empty(queue.GetDelayedCalls());
        var a = queue.Schedule(S(2), () => { });
        var b = queue.Schedule(S(1), () => { });
        var cancelled = queue.Schedule(S(3), () => { });
        cancelled.Cancel();
        IReadOnlyList<IDelayedCall>? insidePass = null;
        DelayedCall? staged = null;
        queue.Schedule(S(0), () =>
        {
            staged = queue.Schedule(S(5), () => { });
            insidePass = queue.GetDelayedCalls();
        });
        queue.RunDue(S(0));
        Assert.Equal(new IDelayedCall[] { b, a, staged! }, insidePass);
        Assert.Equal(new IDelayedCall[] { b, a, staged! }, queue.GetDelayedCalls());
    }

    [Fact]
    public void NextDueSeesStagedCallsMidPass()
    {
        var queue = new TimerQueue(new ManualNow());
        TimeSpan? seen = null;
        queue.Schedule(S(0), () =>
        {
            queue.Schedule(S(4), () => { });
            seen = queue.NextDue();
        });
        queue.RunDue(S(0));
        Assert.Equal(S(4), seen);
    }

    [Fact]
    public void RunDueRunsAtMostMaxAndLeavesTheRestDue()
    {
        var queue = new TimerQueue(new ManualNow());
        var log = new List<int>();
        for (int i = 0; i < 10; i++)
        {
            int index = i;
            queue.Schedule(S(1), () => log.Add(index));
        }
        Assert.Equal(4, queue.RunDue(S(1), max: 4));
        Assert.Equal([0, 1, 2, 3], log);
        Assert.Equal(TimeSpan.Zero, queue.Timeout(S(1)));
        Assert.Equal(6, queue.RunDue(S(1)));
    }

    [Fact]
    public void CancellingAStagedCallDropsItAtMerge()
    {
        var queue = new TimerQueue(new ManualNow());
        DelayedCall? staged = null;
        queue.Schedule(S(0), () =>
        {
            staged = queue.Schedule(S(0), () => Assert.Fail("cancelled call ran"));
            staged.Cancel();
        });
        queue.RunDue(S(0));
        Assert.Equal(DelayedCall.NotQueued, staged!.HeapIndex);
        Assert.Equal(0, queue.Count);
        Assert.Null(queue.Timeout(S(0)));
    }

    [Fact]
    public void ResetEarlierOfAStagedCallTakesEffectAtMerge()
    {
        var queue = new TimerQueue(new ManualNow());
        var log = new List<string>();
        queue.Schedule(S(0), () =>
        {
            var c = queue.Schedule(S(10), () => log.Add("staged"));
            c.Reset(S(1));
        });
        queue.RunDue(S(0));
        Assert.Equal(S(1), queue.NextDue());
        queue.RunDue(S(1));
        Assert.Equal(["staged"], log);
    }

    [Fact]
    public void TenThousandRandomTimersFireInTimeOrder()
    {
        var queue = new TimerQueue(new ManualNow());
        var random = new Random(1234);
        var fired = new List<(long Time, int Index)>();
        var expected = new List<(long Time, int Index)>();
        var calls = new List<DelayedCall>();
        for (int i = 0; i < 10_000; i++)
        {
            // Few distinct times, so plenty of ties exercise FIFO.
            long ticks = random.Next(0, 500) * TimeSpan.TicksPerMillisecond;
            int index = i;
            calls.Add(queue.Schedule(new TimeSpan(ticks), () => fired.Add((ticks, index))));
            expected.Add((ticks, i));
        }
        // Cancel some, delay some (lazily), pull some earlier (eagerly).
        for (int i = 0; i < 10_000; i += 7) calls[i].Cancel();
        for (int i = 3; i < 10_000; i += 11)
        {
            if (!calls[i].IsActive) continue;
            long moved = random.Next(-200, 200) * TimeSpan.TicksPerMillisecond;
            if (calls[i].Time.Ticks + moved < 0) moved = -calls[i].Time.Ticks;
            calls[i].Delay(new TimeSpan(moved));
        }
        var want = expected
            .Where(e => calls[e.Index].IsActive)
            .Select(e => (calls[e.Index].Time.Ticks, e.Index))
            .OrderBy(e => e.Ticks).ThenBy(e => e.Index)
            .ToList();

        for (long t = 0; t <= 700; t += 13) queue.RunDue(TimeSpan.FromMilliseconds(t));
        queue.RunDue(TimeSpan.FromMilliseconds(700));

        Assert.Equal(want.Count, fired.Count);
        Assert.Equal(want.Select(w => w.Index), fired.Select(f => f.Index));
        Assert.Equal(0, queue.Count);
        Assert.Null(queue.NextDue());
    }

    [Fact]
    public void ManyTimersRunWithoutAllocatingPerCall()
    {
        // A million is the benchmark's job (bench/); a unit test in Debug only needs enough to show the shape.
        const int n = 100_000;
        var queue = new TimerQueue(new ManualNow());
        var state = new Counter();
        for (int i = 0; i < n; i++)
            queue.Schedule(new TimeSpan((i * 7919L) % n * TimeSpan.TicksPerMillisecond), static c => c.Hit(), state);
        Assert.Equal(n, queue.Count);
        Assert.Equal(TimeSpan.Zero, queue.NextDue());

        // Every call was allocated when it was scheduled; running one allocates nothing. (Stop short of the point
        // where the drained heap array shrinks, which is the only allocation running may make.)
        long before = GC.GetAllocatedBytesForCurrentThread();
        int ran = queue.RunDue(TimeSpan.FromMilliseconds(60_000 - 1));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(60_000, ran);
        // One allocation per call would be over a megabyte; the margin absorbs runtime noise on this thread (JIT
        // tier-up, OSR) that a loaded machine has been seen to add.
        Assert.True(allocated < 64 * 1024, $"allocated {allocated} bytes running {ran} calls");

        Assert.Equal(40_000, queue.RunDue(TimeSpan.MaxValue));
        Assert.Equal(n, state.Hits);
        Assert.Equal(0, queue.Count);
        Assert.Null(queue.NextDue());
    }

    private sealed class Counter
    {
        public int Hits;
        public void Hit() => Hits++;
    }
}
