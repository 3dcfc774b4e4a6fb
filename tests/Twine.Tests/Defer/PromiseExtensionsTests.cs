using Twine.Defer;

namespace Twine.Tests.Defer;

/// <summary>Bridges: <c>Deferred.AsPromise()</c> (consumes, IC4/F1), <c>Task.AsPromise()</c>, <c>Promise.ToDeferred()</c>.</summary>
public class PromiseExtensionsTests
{
    private readonly ManualCallSoon _soon = new();
    private static readonly InvalidOperationException Boom = new("boom");

    [Fact]
    public void AsPromiseOfAFiredDeferredFulfilsAtOnceButRunsHandlersLater()
    {
        var p = Deferred.Succeed(3).AsPromise(_soon);
        Assert.Equal(PromiseState.Fulfilled, p.State);
        int seen = 0;
        p.Then(v => { seen = v; });
        Assert.Equal(0, seen);
        _soon.RunUntilIdle();
        Assert.Equal(3, seen);
    }

    [Fact]
    public void AsPromiseOfAPendingDeferredSettlesWhenItFires()
    {
        var d = new Deferred<string>();
        var p = d.AsPromise(_soon);
        Assert.Equal(PromiseState.Pending, p.State);
        d.Callback("x");
        Assert.Equal(PromiseState.Fulfilled, p.State);
    }

    [Fact]
    public void AsPromiseOfAFailedDeferredRejectsWithTheSameFailure()
    {
        var failure = new Failure(Boom);
        var d = new Deferred<int>();
        var p = d.AsPromise(_soon);
        d.Errback(failure);
        Failure? seen = null;
        p.Catch(f => { seen = f; });
        _soon.RunUntilIdle();
        Assert.Same(failure, seen);
    }

    [Fact]
    public void AsPromiseConsumesTheResultLikeAwait_IC4_F1()
    {
        var d = new Deferred<string>();
        d.AsPromise(_soon);
        d.Callback("value");
        string? later = "unset";
        d.AddCallback(v => { later = v; });
        Assert.Null(later);

        var failed = new Deferred<int>();
        failed.AsPromise(_soon).Catch(_ => 0);
        failed.Errback(Boom);
        Assert.False(failed.IsFailed); // the failure is the promise's now, not an unhandled one of the Deferred
    }

    [Fact]
    public void AsPromiseOnAStaleReferenceThrows()
    {
        var d = new Deferred<int>();
        d.AddCallback(v => v.ToString());
        Assert.Throws<StaleDeferredException>(() => d.AsPromise(_soon));
    }

    [Fact]
    public void AsPromiseUsesTheDefaultScheduler()
    {
        using var _ = Promise.UseScheduler(_soon);
        Assert.Same(_soon, new Deferred<int>().AsPromise().Scheduler);
    }

    [Fact]
    public void AsPromiseOfAnAsyncDeferredMethodGivesAUnitPromise()
    {
        var gate = new Deferred<int>();
        async Deferred Work() => await gate;
        var p = Work().AsPromise(_soon);
        Assert.Equal(PromiseState.Pending, p.State);
        gate.Callback(1);
        Assert.Equal(PromiseState.Fulfilled, p.State);
    }

    [Fact]
    public void AsPromiseOfAnUntypedReferenceToATypedDeferredReportsOnlyTheOutcome()
    {
        Deferred ok = Deferred.Succeed("text");
        Deferred bad = Deferred.Fail<string>(Boom);
        var pOk = ok.AsPromise(_soon);
        var pBad = bad.AsPromise(_soon);
        Failure? seen = null;
        pBad.Catch(f => { seen = f; });
        _soon.RunUntilIdle();
        Assert.Equal(PromiseState.Fulfilled, pOk.State);
        Assert.Same(Boom, seen?.Value);
        Assert.False(bad.IsFailed);
    }

    [Fact]
    public void TaskAsPromiseAdoptsTheOutcome()
    {
        var ok = Task.FromResult(2).AsPromise(_soon);
        var bad = Task.FromException(Boom).AsPromise(_soon);
        Assert.Equal(PromiseState.Fulfilled, ok.State);
        Assert.Equal(PromiseState.Rejected, bad.State);
        Failure? seen = null;
        bad.Catch(f => { seen = f; });
        _soon.RunUntilIdle();
        Assert.Same(Boom, seen?.Value);
    }

    [Fact]
    public void FaultedTaskWithSeveralExceptionsRejectsWithTheAggregate()
    {
        var tcs = new TaskCompletionSource<int>();
        tcs.SetException([new FormatException(), new TimeoutException()]);
        var p = Promise.FromTask(tcs.Task, _soon);
        Failure? seen = null;
        p.Catch(f => { seen = f; });
        _soon.RunUntilIdle();
        Assert.Equal(2, Assert.IsType<AggregateException>(seen?.Value).InnerExceptions.Count);
    }

    [Fact]
    public void ToDeferredFiresLaterOnTheScheduler()
    {
        var d = Promise.Resolve(5, _soon).ToDeferred();
        Assert.False(d.Called);
        _soon.RunUntilIdle();
        Assert.Equal(5, d.Result.Value);
    }

    [Fact]
    public void ToDeferredOfARejectedPromiseFailsWithTheSameFailure()
    {
        var failure = new Failure(Boom);
        var d = Promise.Reject<int>(failure, _soon).ToDeferred();
        Failure? seen = null;
        d.AddErrback(f => { seen = f; });
        _soon.RunUntilIdle();
        Assert.Same(failure, seen);
    }
}
