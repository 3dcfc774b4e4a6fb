using static Twine.Tests.Defer.DeferredAssert;
using Twine.Defer;

namespace Twine.Tests.Defer;

public class DeferredSemaphoreTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void P4_FewerThanOneTokenIsRejected(int tokens)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DeferredSemaphore(tokens));
    }

    [Fact]
    public void P4_AcquireTakesTokensThenQueues()
    {
        var sem = new DeferredSemaphore(2);
        var a = sem.Acquire();
        var b = sem.Acquire();
        Assert.Same(sem, a.Result.Value);
        Assert.True(b.Called);
        Assert.Equal(0, sem.Tokens);
        Assert.Equal(2, sem.Limit);

        var c = sem.Acquire();
        Assert.False(c.Called);
        Assert.Equal(1, sem.WaitingCount);
    }

    [Fact]
    public void P4_ReleaseHandsTheTokenToTheFirstWaiter()
    {
        var sem = new DeferredSemaphore(1);
        sem.Acquire();
        var order = new List<string>();
        sem.Acquire().AddCallback(_ => order.Add("first"));
        sem.Acquire().AddCallback(_ => order.Add("second"));

        sem.Release();
        Assert.Equal(["first"], order);
        Assert.Equal(0, sem.Tokens); // the token went straight to the waiter
        sem.Release();
        Assert.Equal(["first", "second"], order);
        sem.Release();
        Assert.Equal(1, sem.Tokens);
    }

    [Fact]
    public void P4_ReleasingTooManyTimesThrows()
    {
        var sem = new DeferredSemaphore(2);
        Assert.Throws<InvalidOperationException>(sem.Release);
        sem.Acquire();
        sem.Release();
        Assert.Throws<InvalidOperationException>(sem.Release);
        Assert.Equal(2, sem.Tokens);
    }

    [Fact]
    public void P2_RunLimitsHowManyRunAtOnce()
    {
        var sem = new DeferredSemaphore(2);
        var jobs = Enumerable.Range(0, 5).Select(_ => new Deferred<int>()).ToArray();
        int started = 0;
        var runs = jobs.Select(job => sem.Run(() => { started++; return job; })).ToArray();

        Assert.Equal(2, started);
        Assert.Equal(3, sem.WaitingCount);
        jobs[1].Callback(1);
        Assert.Equal(3, started);
        jobs[0].Errback(new InvalidOperationException("a failure releases too"));
        Assert.Equal(4, started);
        FailureOf(runs[0]);
        foreach (var job in jobs.Skip(2)) job.Callback(0);
        Assert.Equal(5, started);
        Assert.Equal(2, sem.Tokens);
        Assert.All(runs, r => Assert.True(r.Called));
    }

    [Fact]
    public void P2_RunWithValueReleasesAtOnce()
    {
        var sem = new DeferredSemaphore(1);
        var d = sem.Run(() => "x");
        Assert.Equal("x", d.Result.Value);
        Assert.Equal(1, sem.Tokens);
    }

    [Fact]
    public void P3_CancellingAPendingAcquireRemovesIt()
    {
        var sem = new DeferredSemaphore(1);
        sem.Acquire();
        var cancelled = sem.Acquire();
        var next = sem.Acquire();
        cancelled.Cancel();
        Assert.IsType<CancelledException>(FailureOf(cancelled).Value);
        Assert.Equal(1, sem.WaitingCount);

        sem.Release();
        Assert.True(next.Called);
        Assert.Equal(0, sem.Tokens);
    }

    [Fact]
    public void P3_CancellingAnAcquiredTokenDoesNothing()
    {
        var sem = new DeferredSemaphore(1);
        var d = sem.Acquire();
        d.Cancel();
        Assert.Same(sem, d.Result.Value);
        Assert.Equal(0, sem.Tokens);
    }

    [Fact]
    public void P5_AwaitUsingTakesAndGivesBackAToken()
    {
        var sem = new DeferredSemaphore(1);
        var gate = new Deferred<int>();
        int tokensInside = -1;
        async Deferred Work()
        {
            await using var token = await sem.AcquireAsync();
            tokensInside = sem.Tokens;
            await gate;
        }

        var d = Work();
        Assert.Equal(0, tokensInside);
        Assert.Equal(0, sem.Tokens);
        gate.Callback(0);
        Assert.True(d.Called);
        Assert.Equal(1, sem.Tokens);
    }

    [Fact]
    public void P5_ExceptionsPropagateAndGiveBackTheToken()
    {
        var sem = new DeferredSemaphore(1);
        var boom = new ArgumentException("inside");
        async Deferred Work()
        {
            await using var token = await sem.AcquireAsync();
            throw boom;
        }

        var d = (Deferred<Unit>)Work();
        Assert.Same(boom, FailureOf(d).Value);
        Assert.Equal(1, sem.Tokens);
    }

    [Fact]
    public void P5_UsingWithoutAwaitAlsoReleases()
    {
        var sem = new DeferredSemaphore(1);
        using (sem.AcquireAsync().Result.Value)
        {
            Assert.Equal(0, sem.Tokens);
        }
        Assert.Equal(1, sem.Tokens);
    }
}
