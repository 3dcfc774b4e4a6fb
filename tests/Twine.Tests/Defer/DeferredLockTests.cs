using static Twine.Tests.Defer.DeferredAssert;
using Twine.Defer;

namespace Twine.Tests.Defer;

public class DeferredLockTests
{
    [Fact]
    public void P1_AcquireFiresAtOnceWithTheLockWhenFree()
    {
        var lk = new DeferredLock();
        var d = lk.Acquire();
        Assert.True(lk.Locked);
        Assert.Same(lk, d.Result.Value);
    }

    [Fact]
    public void P1_WaitersQueueInOrderAndReleaseHandsTheLockOverSynchronously()
    {
        var lk = new DeferredLock();
        lk.Acquire();
        var order = new List<int>();
        var second = lk.Acquire();
        var third = lk.Acquire();
        second.AddCallback(_ => order.Add(2));
        third.AddCallback(_ => order.Add(3));
        Assert.False(second.Called);
        Assert.Equal(2, lk.WaitingCount);

        lk.Release();
        Assert.Equal([2], order); // fired inside Release
        Assert.True(lk.Locked);   // handed over, never free
        Assert.Equal(1, lk.WaitingCount);

        lk.Release();
        Assert.Equal([2, 3], order);
        lk.Release();
        Assert.False(lk.Locked);
    }

    [Fact]
    public void P1_ReleasingAnUnlockedLockThrows()
    {
        var lk = new DeferredLock();
        Assert.Throws<InvalidOperationException>(lk.Release);
        lk.Acquire();
        lk.Release();
        Assert.Throws<InvalidOperationException>(lk.Release);
    }

    [Fact]
    public void P1_AWaiterMayReleaseFromItsCallback()
    {
        var lk = new DeferredLock();
        lk.Acquire();
        var second = lk.Acquire().AddCallback(l => l.Release());
        var third = lk.Acquire();
        lk.Release();
        Assert.True(second.Called);
        Assert.True(third.Called); // the second released inside its callback, so the third got the lock
        Assert.True(lk.Locked);
    }

    [Fact]
    public void P2_RunCallsAndReleasesAndReturnsTheValue()
    {
        var lk = new DeferredLock();
        bool lockedInside = false;
        var d = lk.Run(() => { lockedInside = lk.Locked; return 42; });
        Assert.True(lockedInside);
        Assert.Equal(42, d.Result.Value);
        Assert.False(lk.Locked);
    }

    [Fact]
    public void P2_RunWaitsForTheLock()
    {
        var lk = new DeferredLock();
        lk.Acquire();
        int calls = 0;
        var d = lk.Run(() => ++calls);
        Assert.Equal(0, calls);
        lk.Release();
        Assert.Equal(1, calls);
        Assert.Equal(1, d.Result.Value);
        Assert.False(lk.Locked);
    }

    [Fact]
    public void P2_RunReleasesWhenTheFunctionThrows()
    {
        var lk = new DeferredLock();
        var boom = new InvalidOperationException("boom");
        var d = lk.Run(new Func<int>(() => throw boom));
        Assert.Same(boom, FailureOf(d).Value);
        Assert.False(lk.Locked);

        var a = lk.Run(new Action(() => throw boom));
        Assert.Same(boom, FailureOf(a).Value);
        Assert.False(lk.Locked);
    }

    [Fact]
    public void P2_RunHoldsTheLockUntilTheReturnedDeferredFires()
    {
        var lk = new DeferredLock();
        var inner = new Deferred<string>();
        var d = lk.Run(() => inner);
        Assert.True(lk.Locked);
        Assert.True(d.IsWaiting); // acquired, now waiting on inner

        var next = lk.Acquire();
        Assert.False(next.Called);
        inner.Callback("done");
        Assert.Equal("done", d.Result.Value);
        Assert.True(next.Called); // the lock went straight to the next waiter
    }

    [Fact]
    public void P2_RunReleasesWhenTheReturnedDeferredFails()
    {
        var lk = new DeferredLock();
        var inner = new Deferred<int>();
        var d = lk.Run(() => inner);
        var boom = new TimeoutException("late");
        inner.Errback(boom);
        Assert.Same(boom, FailureOf(d).Value);
        Assert.False(lk.Locked);
    }

    [Fact]
    public void P2_RunWithAnAsyncDeferredMethodHoldsUntilItFinishes()
    {
        var lk = new DeferredLock();
        var gate = new Deferred<int>();
        var log = new List<string>();
        async Deferred Work()
        {
            log.Add("start");
            await gate;
            log.Add("end");
        }

        var d = lk.Run(Work);
        Assert.Equal(["start"], log);
        Assert.True(lk.Locked);
        gate.Callback(0);
        Assert.Equal(["start", "end"], log);
        Assert.True(d.Called);
        Assert.False(d.IsFailed);
        Assert.False(lk.Locked);
    }

    [Fact]
    public void P2_RunWithAnAsyncLambdaRunsItAsAnAsyncDeferredLambda()
    {
        var lk = new DeferredLock();
        var gate = new Deferred<int>();
        var log = new List<string>();

        // The Deferred overloads take priority, so this is an async Deferred<int> lambda: it runs synchronously.
        var d = lk.Run(async () => { log.Add("in"); return await gate * 2; });
        Assert.Equal(["in"], log);
        Assert.True(lk.Locked);
        gate.Callback(21);
        Assert.Equal(42, d.Result.Value);
        Assert.False(lk.Locked);

        var none = lk.Run(async () => { await Deferred.Succeed(0); log.Add("none"); });
        Assert.True(none.Called);
        Assert.Equal(["in", "none"], log);
    }

    [Fact]
    public void P2_RunWithATaskReturningLambdaHoldsUntilTheTaskCompletes()
    {
        var context = new ManualSynchronizationContext();
        using var _ = context.Install();
        var lk = new DeferredLock();
        var source = new TaskCompletionSource<string>();

        var d = lk.Run(() => source.Task); // Run<string>, not Run<Task<string>>
        Assert.True(lk.Locked);
        source.SetResult("from a task");
        Assert.True(lk.Locked); // the completion waits for the owner's context
        context.Pump();
        Assert.Equal("from a task", d.Result.Value);
        Assert.False(lk.Locked);

        var plain = new TaskCompletionSource();
        var unit = lk.Run(async Task () => await plain.Task);
        Assert.True(lk.Locked);
        plain.SetResult();
        while (unit.IsWaiting)
        {
            if (context.Pending == 0) context.WaitForPost();
            context.Pump();
        }
        Assert.True(unit.Result.Succeeded);
        Assert.False(lk.Locked);
    }

    [Fact]
    public void P3_CancellingAPendingAcquireRemovesIt()
    {
        var lk = new DeferredLock();
        lk.Acquire();
        var waiter = lk.Acquire();
        var after = lk.Acquire();
        waiter.Cancel();

        Assert.IsType<CancelledException>(FailureOf(waiter).Value);
        Assert.Equal(1, lk.WaitingCount);
        lk.Release(); // goes to the next waiter, no AlreadyCalled
        Assert.True(after.Called);
        Assert.True(lk.Locked);
    }

    [Fact]
    public void P3_CancellingAnAcquiredLockDoesNothing()
    {
        var lk = new DeferredLock();
        var d = lk.Acquire();
        d.Cancel();
        Assert.Same(lk, d.Result.Value);
        Assert.True(lk.Locked);
    }

    [Fact]
    public void P3_CancellingRunWhileWaitingForTheLockNeverCallsTheFunction()
    {
        var lk = new DeferredLock();
        lk.Acquire();
        int calls = 0;
        var d = lk.Run(() => ++calls);
        d.Cancel();
        Assert.IsType<CancelledException>(FailureOf(d).Value);
        lk.Release();
        Assert.Equal(0, calls);
        Assert.False(lk.Locked);
    }

    [Fact]
    public void P5_AwaitUsingReleasesAtTheEndOfTheBlock()
    {
        var lk = new DeferredLock();
        var inside = new Deferred<int>();
        bool lockedInside = false;
        async Deferred Critical()
        {
            await using (await lk.LockAsync())
            {
                lockedInside = lk.Locked;
                await inside;
            }
        }

        var d = Critical();
        Assert.True(lockedInside);
        Assert.True(lk.Locked);
        inside.Callback(0);
        Assert.True(d.Called);
        Assert.False(lk.Locked);
    }

    [Fact]
    public void P5_AwaitUsingWaitsForTheLockInTurn()
    {
        var lk = new DeferredLock();
        lk.Acquire();
        var log = new List<string>();
        async Deferred Critical(string name)
        {
            await using var held = await lk.LockAsync();
            log.Add(name);
        }

        _ = Critical("a");
        _ = Critical("b");
        Assert.Empty(log);
        lk.Release();
        Assert.Equal(["a", "b"], log);
        Assert.False(lk.Locked);
    }

    [Fact]
    public void P5_ExceptionsPropagateAndReleaseTheLock()
    {
        var lk = new DeferredLock();
        var boom = new InvalidOperationException("inside the lock");
        async Deferred Critical()
        {
            await using (await lk.LockAsync())
            {
                throw boom;
            }
        }

        var d = (Deferred<Unit>)Critical();
        Assert.Same(boom, FailureOf(d).Value);
        Assert.False(lk.Locked);
    }

    [Fact]
    public void P5_DisposingTheReleaserTwiceReleasesOnce()
    {
        var lk = new DeferredLock();
        var releaser = lk.LockAsync().Result.Value;
        var waiter = lk.Acquire();
        releaser.Dispose();
        Assert.True(releaser.Released);
        Assert.True(waiter.Called);
        releaser.Dispose(); // must not release the waiter's hold
        Assert.True(lk.Locked);
    }

    [Fact]
    public void P3_CancellingAPendingLockAsyncRemovesIt()
    {
        var lk = new DeferredLock();
        lk.Acquire();
        var pending = lk.LockAsync();
        pending.Cancel();
        Assert.IsType<CancelledException>(FailureOf(pending).Value);
        Assert.Equal(0, lk.WaitingCount);
        lk.Release();
        Assert.False(lk.Locked);
    }
}
