using Twine.Defer;

namespace Twine.Tests.Defer;

/// <summary><c>await promise</c>: the continuation always runs later, on the promise's scheduler.</summary>
public class PromiseAwaiterTests
{
    private readonly ManualCallSoon _soon = new();
    private static readonly InvalidOperationException Boom = new("boom");

    [Fact]
    public void AwaitingASettledPromiseStillSuspendsUntilTheSchedulerRuns()
    {
        var log = new List<string>();
        async Deferred<int> Body()
        {
            log.Add("before");
            int v = await Promise.Resolve(41, _soon);
            log.Add("after");
            return v + 1;
        }
        var d = Body();
        Assert.Equal(["before"], log);
        Assert.False(d.Called);
        Assert.Equal(1, _soon.RunUntilIdle());
        Assert.Equal(["before", "after"], log);
        Assert.Equal(42, d.Result.Value);
    }

    [Fact]
    public void AwaitingARejectedPromiseThrowsTheOriginalException()
    {
        Exception? caught = null;
        async Deferred Body()
        {
            try
            {
                await Promise.Reject<int>(Boom, _soon);
            }
            catch (Exception e)
            {
                caught = e;
            }
        }
        var d = Body();
        _soon.RunUntilIdle();
        Assert.Same(Boom, caught);
        Assert.True(d.Called);
    }

    [Fact]
    public void AwaitingAPendingPromiseResumesWhenItSettles()
    {
        Action<string> resolve = null!;
        var p = new Promise<string>(_soon, (res, _) => resolve = res);
        string? seen = null;
        async Deferred Body() => seen = await p;
        var d = Body();
        _soon.RunUntilIdle();
        Assert.Null(seen);
        resolve("x");
        Assert.Null(seen);
        _soon.RunUntilIdle();
        Assert.Equal("x", seen);
        Assert.True(d.Called);
    }

    [Fact]
    public void APromiseCanBeAwaitedManyTimes()
    {
        var p = Promise.Resolve(3, _soon);
        int sum = 0;
        async Deferred Body()
        {
            int twice = await p + await p;
            sum += twice;
        }
        var all = Promise.All(Body().AsPromise(_soon), Body().AsPromise(_soon));
        _soon.RunUntilIdle();
        Assert.Equal(PromiseState.Fulfilled, all.State);
        Assert.Equal(12, sum);
    }

    [Fact]
    public async Task AwaitInAnAsyncTaskMethodResumesOnTheScheduler()
    {
        var p = Promise.Resolve(5, _soon);
        int resumedOn = -1;
        async Task<int> Body()
        {
            int v = await p;
            resumedOn = Environment.CurrentManagedThreadId;
            return v;
        }
        var task = Body();
        Assert.False(task.IsCompleted);
        _soon.RunUntilIdle();
        Assert.True(task.IsCompleted);
        Assert.Equal(Environment.CurrentManagedThreadId, resumedOn);
        Assert.Equal(5, await task);
    }

    [Fact]
    public void OnCompletedFlowsTheExecutionContext()
    {
        var local = new AsyncLocal<string>();
        var p = Promise.Resolve(1, _soon);
        string? seen = null;
        local.Value = "captured";
        p.GetAwaiter().OnCompleted(() => seen = local.Value);
        local.Value = "changed";
        _soon.RunUntilIdle();
        Assert.Equal("captured", seen);
    }

    [Fact]
    public void GetResultOfAPendingPromiseThrows()
    {
        var p = new Promise<int>(_soon, (_, _) => { });
        Assert.False(p.GetAwaiter().IsCompleted);
        Assert.Throws<InvalidOperationException>(() => p.GetAwaiter().GetResult());
    }
}
