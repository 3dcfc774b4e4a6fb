using Twine.Defer;

namespace Twine.Tests.Defer;

/// <summary>
/// A callback, errback or both-function that returns a Deferred chains it whatever overload C# bound it to (CH1–CH3,
/// CH9, L2): through the typed overloads, and through the value overloads when the declared result type can hold a
/// Deferred (<c>object</c>, or an explicit <c>Deferred&lt;X&gt;</c> type argument). Twisted: test_defer's
/// implicit-chain tests and test_errorClearedByChaining.
/// </summary>
public sealed class ImplicitChainTests
{
    private sealed class CustomException(string message = "custom") : Exception(message);

    [Fact]
    public void CH1_AddBothReturningAPendingDeferredWaitsForIt()
    {
        // test_asynchronousImplicitChain, through addBoth.
        var inner = new Deferred<string>();
        var outer = new Deferred<int>();
        Deferred<string> after = outer.AddBoth(o => inner);
        outer.Callback(1);
        Assert.True(outer.IsWaiting);
        Assert.Same(inner, outer.ChainedTo);
        var innerLater = new List<string?>();
        inner.AddCallback(s => { innerLater.Add(s); });
        inner.Callback("orange");
        Assert.Equal("orange", after.Result.Value);
        Assert.Equal([null], innerLater); // CH2: the inner's result moved out
        Assert.False(outer.IsWaiting);
    }

    [Fact]
    public void CH1_AddBothOnAFailureReturningAPendingDeferredRecovers()
    {
        var inner = new Deferred<int>();
        var outer = new Deferred<int>();
        var seen = new List<bool>();
        var after = outer.AddBoth(o => { seen.Add(o.Succeeded); return inner; });
        outer.Errback(new CustomException());
        Assert.Equal([false], seen);
        Assert.True(outer.IsWaiting);
        Assert.False(outer.IsFailed);
        inner.Callback(5);
        Assert.Equal(5, after.Result.Value);
    }

    [Fact]
    public void CH1_UntypedAddBothReturningADeferredChainsOnBothOutcomes()
    {
        Deferred failed = Deferred.Fail<int>(new CustomException());
        var inner = new Deferred<string>();
        Deferred<string> after = failed.AddBoth(() => inner);
        Assert.True(failed.IsWaiting);
        inner.Callback("x");
        Assert.Equal("x", after.Result.Value);
    }

    [Fact]
    public void L2_ErrbackOnAnObjectChainReturningAPendingDeferredClearsTheErrorAndWaits()
    {
        // test_errorClearedByChaining: `bad.addErrback(lambda _: good)`. On a Deferred<object> C# binds the
        // Func<Failure, object> overload, so the Deferred arrives as a plain value: it must chain all the same.
        var bad = Deferred.Fail<object>(new CustomException("oh no"));
        var good = new Deferred<object>();
        bad.AddErrback(_ => good);
        Assert.False(bad.IsFailed);
        Assert.True(bad.IsWaiting);
        Assert.Same(good, bad.ChainedTo);
        Assert.Equal(1, bad.Paused);
        good.Callback("fine");
        Assert.Equal("fine", bad.Result.Value);
        Assert.Equal(0, bad.Paused);
        Assert.Null(bad.ChainedTo);
    }

    [Fact]
    public void CH3_ValueBoundCallbackReturningAFiredDeferredTakesItsResultAtOnce()
    {
        // test_synchronousImplicitChain: an inner Deferred with a result is taken synchronously, and left holding None.
        var inner = Deferred.Succeed(42);
        var outer = new Deferred<object>();
        outer.AddCallback(_ => (object)inner); // Func<object, object>: the same-type value path
        outer.Callback("start");
        Assert.False(outer.IsWaiting);
        Assert.Equal(42, outer.Result.Value);
        Assert.Equal(0, inner.Result.Value);
    }

    [Fact]
    public void CH3_ValueBoundCallbackTakesAFiredInnerFailureWhichIsNoLongerTheInners()
    {
        // test_synchronousImplicitErrorChain.
        var e = new CustomException();
        var inner = Deferred.Fail<string>(e);
        var outer = Deferred.Succeed<object>("start");
        var after = outer.AddCallback<object>(_ => inner);
        Assert.Same(e, after.Result.Failure!.Value);
        Assert.False(inner.IsFailed);
    }

    [Fact]
    public void CH2_ValueBoundCallbackWaitsAndTakesTheInnersLaterFailure()
    {
        // test_asynchronousImplicitErrorChain.
        var e = new CustomException();
        var inner = new Deferred<int>();
        var outer = new Deferred<object>();
        var caught = new List<Exception>();
        outer.AddCallback(_ => (object)inner).AddErrback(f => { caught.Add(f.Value); return "recovered"; });
        outer.Callback("start");
        Assert.Empty(caught);
        inner.Errback(e);
        Assert.Equal([e], caught);
        Assert.Equal("recovered", outer.Result.Value);
        Assert.False(inner.IsFailed);
    }

    [Fact]
    public void CH1_ExplicitDeferredTypeArgumentWaitsAndDeliversTheResultInAFiredDeferred()
    {
        // AddCallback<Deferred<string>> binds the value overload (its result type is the Deferred itself). The chain
        // still waits, as Twisted's would; its declared type cannot hold a string, so it holds a fired Deferred.
        var inner = new Deferred<string>();
        var outer = new Deferred<int>();
        Deferred<Deferred<string>> after = outer.AddCallback<Deferred<string>>(_ => inner);
        outer.Callback(1);
        Assert.True(outer.IsWaiting);
        inner.Callback("late");
        var wrapped = after.Result.Value;
        Assert.NotSame(inner, wrapped);
        Assert.True(wrapped.Called);
        Assert.Equal("late", wrapped.Result.Value);
        Assert.Null(inner.Result.Value); // CH2: consumed
    }

    [Fact]
    public void CH1_ExplicitDeferredTypeArgumentTakesTheInnersFailure()
    {
        var e = new CustomException();
        var inner = new Deferred<string>();
        var after = Deferred.Succeed(1).AddBoth<Deferred<string>>(_ => inner);
        inner.Errback(e);
        Assert.Same(e, after.Result.Failure!.Value);
    }

    [Fact]
    public void CH9_ValueBoundCallbackReturningItsOwnDeferredFails()
    {
        var d = new Deferred<object>();
        d.AddCallback(_ => (object)d);
        d.Callback("x");
        Assert.IsType<InvalidOperationException>(d.Result.Failure!.Value);
        Assert.False(d.IsWaiting);
    }

    [Fact]
    public void ValueBoundCallbackReturningAStaleReferenceFails()
    {
        var inner = new Deferred<int>();
        inner.AddCallback(x => x.ToString()); // the chain moved on to string: `inner` is stale
        var outer = Deferred.Succeed<object>("start");
        var after = outer.AddCallback(_ => (object)inner);
        Assert.IsType<StaleDeferredException>(after.Result.Failure!.Value);
    }

    [Fact]
    public void CancellingAChainWaitingThroughAValueOverloadCancelsTheInner()
    {
        // C5: cancel is forwarded to the Deferred being waited on, however the chaining came about.
        bool innerCancelled = false;
        var inner = new Deferred<object>(_ => innerCancelled = true);
        var outer = Deferred.Fail<object>(new CustomException());
        outer.AddErrback(_ => inner);
        outer.Cancel();
        Assert.True(innerCancelled);
        Assert.IsType<CancelledException>(outer.Result.Failure!.Value);
    }

    [Fact]
    public void CH1_MixedPairCallbackReturningADeferredWaitsAndErrbackRecoversWithAValue()
    {
        // Twisted: d.addCallbacks(fetch, fallback), where only fetch returns a Deferred.
        var inner = new Deferred<string>();
        var ok = new Deferred<int>();
        Deferred<string> okAfter = ok.AddCallbacks(_ => inner, f => "fallback");
        ok.Callback(1);
        Assert.True(ok.IsWaiting);
        inner.Callback("fetched");
        Assert.Equal("fetched", okAfter.Result.Value);

        var bad = new Deferred<int>();
        Deferred<string> badAfter = bad.AddCallbacks(_ => new Deferred<string>(), f => "fallback " + f.Type.Name);
        bad.Errback(new CustomException());
        Assert.Equal("fallback CustomException", badAfter.Result.Value);
    }

    [Fact]
    public void CH1_MixedPairErrbackReturningADeferredWaitsAndCallbackMapsAValue()
    {
        var retry = new Deferred<string>();
        var bad = new Deferred<int>();
        Deferred<string> after = bad.AddCallbacks(x => x.ToString(), f => retry);
        bad.Errback(new CustomException());
        Assert.True(bad.IsWaiting);
        retry.Callback("retried");
        Assert.Equal("retried", after.Result.Value);

        var ok = new Deferred<int>();
        Deferred<string> okAfter = ok.AddCallbacks(x => x.ToString(), f => retry);
        ok.Callback(7);
        Assert.Equal("7", okAfter.Result.Value);
    }

    [Fact]
    public void D3_MixedPairValueHalfThatThrowsOrReturnsAFailureFailsTheChain()
    {
        var e = new CustomException();
        var d = new Deferred<object>();
        var after = d.AddCallbacks((Func<object, object>)(x => new Failure(e)), (Func<Failure, Deferred<object>>)(f => new Deferred<object>()));
        d.Callback("x");
        Assert.Same(e, after.Result.Failure!.Value);

        var thrown = new CustomException();
        var d2 = new Deferred<int>();
        var after2 = d2.AddCallbacks(_ => new Deferred<string>(), (Func<Failure, string>)(f => throw thrown));
        d2.Errback(new CustomException());
        Assert.Same(thrown, after2.Result.Failure!.Value);
    }
}
