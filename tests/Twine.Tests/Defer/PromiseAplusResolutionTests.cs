using Twine.Defer;

namespace Twine.Tests.Defer;

/// <summary>
/// Promises/A+ 2.3, the resolution procedure, in its C# form. JavaScript adopts any "thenable"; C# is typed, so the
/// things a handler can return to be adopted are chosen by overload: a <see cref="Promise{T}"/> (2.3.2), a
/// <see cref="Deferred{T}"/> or a <see cref="Task{TResult}"/> (the 2.3.3 thenables). Anything else, including a
/// promise returned as a plain <c>object</c>, is a value (2.3.4).
/// </summary>
public class PromiseAplusResolutionTests : PromiseAplusFixture
{
    // ---- 2.3.1 promise and x are the same object --------------------------------------------------------------

    [Fact]
    public void A2_3_1_OnFulfilledReturningItsOwnPromiseRejectsWithInvalidOperation()
    {
        Promise<int>? p2 = null;
        p2 = Promise.Resolve(1, _soon).Then(_ => p2!);
        Failure? seen = null;
        p2.Catch(f => { seen = f; });
        _soon.RunUntilIdle();
        var e = Assert.IsType<InvalidOperationException>(seen?.Value);
        Assert.Contains("cannot be resolved with itself", e.Message);
    }

    [Fact]
    public void A2_3_1_OnRejectedReturningItsOwnPromiseRejectsWithInvalidOperation()
    {
        Promise<int>? p2 = null;
        p2 = Promise.Reject<int>(Dummy, _soon).Catch(_ => p2!);
        Failure? seen = null;
        p2.Catch(f => { seen = f; });
        _soon.RunUntilIdle();
        Assert.IsType<InvalidOperationException>(seen?.Value);
    }

    [Fact]
    public void A2_3_1_HandlerReturningItsOwnPromiseAsAPlainValueRejects()
    {
        Promise<object>? p2 = null;
        Func<int, object> handler = _ => p2!;
        p2 = Promise.Resolve(1, _soon).Then(handler);
        Failure? seen = null;
        p2.Catch(f => { seen = f; });
        _soon.RunUntilIdle();
        Assert.Contains("cannot be resolved with itself", seen?.GetErrorMessage());
    }

    [Fact]
    public void A2_3_1_ExecutorResolvingThePromiseWithItselfRejects()
    {
        Action<object> resolve = null!;
        var p = new Promise<object>(_soon, (res, _) => resolve = res);
        resolve(p);
        Assert.Equal(PromiseState.Rejected, p.State);
        Failure? seen = null;
        p.Catch(f => { seen = f; });
        _soon.RunUntilIdle();
        Assert.IsType<InvalidOperationException>(seen?.Value);
    }

    // ---- 2.3.2 x is a promise: adopt its state ------------------------------------------------------------------

    [Fact]
    public void A2_3_2_1_PendingPromiseKeepsPromise2PendingUntilItSettles()
    {
        var x = Pending<object>(out var resolve, out _);
        var p2 = Promise.Resolve(1, _soon).Then(_ => x);
        _soon.RunUntilIdle();
        Assert.Equal(PromiseState.Pending, p2.State);
        resolve(Sentinel);
        _soon.RunUntilIdle();
        Assert.Equal(PromiseState.Fulfilled, p2.State);
    }

    [Theory, MemberData(nameof(Modes))]
    public void A2_3_2_2_FulfilledPromiseFulfilsPromise2WithTheSameValue(Mode mode)
    {
        var (x, settle) = Fulfilled(Sentinel, mode);
        var p2 = Promise.Resolve(1, _soon).Then(_ => x);
        object? seen = null;
        p2.Then(v => { seen = v; });
        settle();
        _soon.RunUntilIdle();
        Assert.Same(Sentinel, seen);
    }

    [Theory, MemberData(nameof(Modes))]
    public void A2_3_2_3_RejectedPromiseRejectsPromise2WithTheSameReason(Mode mode)
    {
        var (x, settle) = Rejected<object>(Dummy, mode);
        Failure? direct = null, adopted = null;
        x.Catch(f => { direct = f; });
        var p2 = Promise.Reject<object>(new FormatException(), _soon).Catch(_ => x);
        p2.Catch(f => { adopted = f; });
        settle();
        _soon.RunUntilIdle();
        Assert.NotNull(direct);
        Assert.Same(direct, adopted);
    }

    [Fact]
    public void A2_3_2_HandlerReturningNullPromiseRejects()
    {
        var p2 = Promise.Resolve(1, _soon).Then(_ => (Promise<int>)null!);
        Failure? seen = null;
        p2.Catch(f => { seen = f; });
        _soon.RunUntilIdle();
        Assert.IsType<InvalidOperationException>(seen?.Value);
    }

    [Fact]
    public void A2_3_2_AdoptionChainsOfAHundredThousandDoNotGrowTheStack()
    {
        // Each step returns the promise of the next: with synchronous adoption the final settlement would unwind
        // through 100 000 nested frames.
        Promise<int> Loop(int n) => n == 0 ? Promise.Resolve(-1, _soon) : Promise.Resolve(n - 1, _soon).Then(Loop);
        var result = Loop(100_000);
        int seen = 0;
        result.Then(v => { seen = v; });
        _soon.RunUntilIdle(limit: 10_000_000);
        Assert.Equal(-1, seen);
    }

    // ---- 2.3.3 thenables: Deferred<T> --------------------------------------------------------------------------

    [Fact]
    public void A2_3_3_FiredDeferredFulfilsPromise2()
    {
        var p2 = Promise.Resolve(1, _soon).Then(v => Deferred.Succeed(v + 1));
        int seen = 0;
        p2.Then(v => { seen = v; });
        _soon.RunUntilIdle();
        Assert.Equal(2, seen);
    }

    [Fact]
    public void A2_3_3_PendingDeferredKeepsPromise2PendingUntilItFires()
    {
        var d = new Deferred<string>();
        var p2 = Promise.Resolve(1, _soon).Then(_ => d);
        _soon.RunUntilIdle();
        Assert.Equal(PromiseState.Pending, p2.State);
        string? seen = null;
        p2.Then(v => { seen = v; });
        d.Callback("fired");
        Assert.Null(seen); // still asynchronous
        _soon.RunUntilIdle();
        Assert.Equal("fired", seen);
    }

    [Fact]
    public void A2_3_3_FailedDeferredRejectsPromise2WithItsFailure()
    {
        var failure = new Failure(Dummy);
        var p2 = Promise.Resolve(1, _soon).Then(_ => Deferred.Fail<int>(failure));
        Failure? seen = null;
        p2.Catch(f => { seen = f; });
        _soon.RunUntilIdle();
        Assert.Same(failure, seen);
    }

    [Fact]
    public void A2_3_3_AdoptedDeferredIsConsumedLikeAnAwait_IC4()
    {
        var d = new Deferred<string>();
        Promise.Resolve(1, _soon).Then(_ => d);
        _soon.RunUntilIdle();
        d.Callback("value");
        string? later = "unset";
        d.AddCallback(v => { later = v; });
        Assert.Null(later);
    }

    [Fact]
    public void A2_3_3_AdoptedFailedDeferredNoLongerHoldsItsFailure_IC4()
    {
        var d = new Deferred<int>();
        Promise.Resolve(1, _soon).Then(_ => d).Catch(_ => 0);
        _soon.RunUntilIdle();
        d.Errback(Dummy);
        Assert.False(d.IsFailed);
    }

    [Fact]
    public void A2_3_3_PausedDeferredIsAdoptedOnlyOnceUnpaused()
    {
        var d = Deferred.Succeed(5);
        d.Pause();
        var p2 = Promise.Resolve(1, _soon).Then(_ => d);
        _soon.RunUntilIdle();
        Assert.Equal(PromiseState.Pending, p2.State);
        d.Unpause();
        Assert.Equal(PromiseState.Fulfilled, p2.State);
    }

    [Fact]
    public void A2_3_3_2_StaleDeferredRejectsPromise2()
    {
        // The analogue of "retrieving x.then throws": the Deferred reference cannot take callbacks any more.
        var d = new Deferred<int>();
        d.AddCallback(v => v.ToString());
        var p2 = Promise.Resolve(1, _soon).Then(_ => d);
        Failure? seen = null;
        p2.Catch(f => { seen = f; });
        _soon.RunUntilIdle();
        Assert.IsType<StaleDeferredException>(seen?.Value);
    }

    [Fact]
    public void A2_3_3_HandlerReturningNullDeferredRejects()
    {
        var p2 = Promise.Resolve(1, _soon).Then(_ => (Deferred<int>)null!);
        Failure? seen = null;
        p2.Catch(f => { seen = f; });
        _soon.RunUntilIdle();
        Assert.IsType<InvalidOperationException>(seen?.Value);
    }

    // ---- 2.3.3 thenables: Task<T> ------------------------------------------------------------------------------

    [Fact]
    public void A2_3_3_CompletedTaskFulfilsPromise2()
    {
        var p2 = Promise.Resolve(20, _soon).Then(v => Task.FromResult(v + 1));
        int seen = 0;
        p2.Then(v => { seen = v; });
        _soon.RunUntilIdle();
        Assert.Equal(21, seen);
    }

    [Fact]
    public void A2_3_3_AsyncLambdaIsAdopted()
    {
        var tcs = new TaskCompletionSource<int>();
        var p2 = Promise.Resolve(1, _soon).Then(async v => v + await tcs.Task);
        _soon.RunUntilIdle();
        Assert.Equal(PromiseState.Pending, p2.State);
        tcs.SetResult(41);
        _soon.RunUntilIdle();
        int seen = 0;
        p2.Then(v => { seen = v; });
        _soon.RunUntilIdle();
        Assert.Equal(42, seen);
    }

    [Fact]
    public void A2_3_3_FaultedTaskRejectsPromise2WithItsException()
    {
        var p2 = Promise.Resolve(1, _soon).Then(_ => Task.FromException<int>(Dummy));
        Failure? seen = null;
        p2.Catch(f => { seen = f; });
        _soon.RunUntilIdle();
        Assert.Same(Dummy, seen?.Value);
    }

    [Fact]
    public void A2_3_3_CancelledTaskRejectsPromise2WithTaskCanceled()
    {
        var p2 = Promise.Resolve(1, _soon).Then(_ => Task.FromCanceled<int>(new CancellationToken(true)));
        Failure? seen = null;
        p2.Catch(f => { seen = f; });
        _soon.RunUntilIdle();
        Assert.IsType<TaskCanceledException>(seen?.Value);
    }

    [Fact]
    public async Task A2_3_3_TaskCompletedOnAnotherThreadSettlesOnTheScheduler()
    {
        var tcs = new TaskCompletionSource<int>();
        var p2 = Promise.Resolve(1, _soon).Then(_ => tcs.Task);
        _soon.RunUntilIdle();
        // The task's continuation runs on the completing thread and can only queue the outcome.
        await Task.Run(() => tcs.SetResult(7)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(PromiseState.Pending, p2.State);
        int handlerThread = -1, seen = 0;
        _ = p2.Then(v => { seen = v; handlerThread = Environment.CurrentManagedThreadId; });
        _soon.RunUntilIdle();
        Assert.Equal(7, seen);
        Assert.Equal(Environment.CurrentManagedThreadId, handlerThread);
    }

    [Fact]
    public void A2_3_3_NonGenericTaskFromAsyncLambdaIsAdopted()
    {
        var tcs = new TaskCompletionSource();
        bool after = false;
        var p2 = Promise.Resolve(1, _soon).Then(async _ => { await tcs.Task; after = true; });
        _soon.RunUntilIdle();
        Assert.Equal(PromiseState.Pending, p2.State);
        tcs.SetResult();
        _soon.RunUntilIdle();
        Assert.True(after);
        Assert.Equal(PromiseState.Fulfilled, p2.State);
    }

    // ---- 2.3.4 x is not a thenable: fulfil with x ---------------------------------------------------------------

    [Fact]
    public void A2_3_4_PromiseReturnedAsAPlainObjectIsAValueNotAdopted()
    {
        // A deliberate difference from JavaScript: adoption is chosen by static type, never by inspecting values.
        var inner = Promise.Resolve(5, _soon);
        Func<int, object> handler = _ => inner;
        object? seen = null;
        Promise.Resolve(1, _soon).Then(handler).Then(v => { seen = v; });
        _soon.RunUntilIdle();
        Assert.Same(inner, seen);
    }

    [Fact]
    public void A2_3_4_ValueTypesAndNullFulfil()
    {
        int? seenInt = null;
        string? seenNull = "unset";
        Promise.Resolve(1, _soon).Then(v => v * 2).Then(v => { seenInt = v; });
        Promise.Resolve(1, _soon).Then(_ => (string?)null).Then(v => { seenNull = v; });
        _soon.RunUntilIdle();
        Assert.Equal(2, seenInt);
        Assert.Null(seenNull);
    }
}
