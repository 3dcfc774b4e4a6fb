using Twine.Defer;

namespace Twine.Tests.Defer;

public class ManualCallSoonTests
{
    private readonly ManualCallSoon _soon = new();

    [Fact]
    public void NothingRunsUntilAsked()
    {
        bool ran = false;
        _soon.CallSoon(_ => ran = true, null);
        Assert.False(ran);
        Assert.Equal(1, _soon.Pending);
    }

    [Fact]
    public void CallsRunInFifoOrderWithTheirState()
    {
        var log = new List<object?>();
        _soon.CallSoon(log.Add, "a");
        _soon.CallSoon(log.Add, 2);
        _soon.CallSoon(log.Add, null);
        Assert.Equal(3, _soon.RunUntilIdle());
        Assert.Equal(["a", 2, null], log);
        Assert.Equal(0, _soon.Pending);
    }

    [Fact]
    public void RunPendingRunsOnlyWhatWasQueuedBeforeIt()
    {
        var log = new List<string>();
        _soon.CallSoon(_ => { log.Add("first"); _soon.CallSoon(_ => log.Add("queued by first"), null); }, null);
        _soon.CallSoon(_ => log.Add("second"), null);
        Assert.Equal(2, _soon.RunPending());
        Assert.Equal(["first", "second"], log);
        Assert.Equal(1, _soon.Pending);
        Assert.Equal(1, _soon.RunPending());
        Assert.Equal(0, _soon.RunPending());
    }

    [Fact]
    public void RunUntilIdleRunsCallsQueuedAlongTheWay()
    {
        int depth = 0;
        void Step(object? _)
        {
            if (++depth < 5) _soon.CallSoon(Step, null);
        }
        _soon.CallSoon(Step, null);
        Assert.Equal(5, _soon.RunUntilIdle());
    }

    [Fact]
    public void RunUntilIdleFailsInsteadOfLoopingForever()
    {
        void Forever(object? _) => _soon.CallSoon(Forever, null);
        _soon.CallSoon(Forever, null);
        var e = Assert.Throws<InvalidOperationException>(() => _soon.RunUntilIdle(limit: 100));
        Assert.Contains("100", e.Message);
    }

    [Fact]
    public void RunningFromInsideACallThrows()
    {
        Exception? inner = null;
        _soon.CallSoon(_ => inner = Record.Exception(() => _soon.RunUntilIdle()), null);
        _soon.RunUntilIdle();
        Assert.IsType<InvalidOperationException>(inner);
    }

    [Fact]
    public void ACallThatThrowsPropagatesAndLeavesTheRestQueued()
    {
        bool later = false;
        _soon.CallSoon(_ => throw new FormatException(), null);
        _soon.CallSoon(_ => later = true, null);
        Assert.Throws<FormatException>(() => _soon.RunUntilIdle());
        Assert.False(later);
        Assert.Equal(1, _soon.RunUntilIdle());
        Assert.True(later);
    }

    [Fact]
    public void CallSoonAcceptsCallsFromOtherThreads()
    {
        var threads = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
        {
            for (int i = 0; i < 1000; i++) _soon.CallSoon(static _ => { }, null);
        })).ToList();
        threads.ForEach(t => t.Start());
        Assert.All(threads, t => Assert.True(t.Join(TimeSpan.FromSeconds(30))));
        Assert.Equal(4000, _soon.RunUntilIdle());
    }
}
