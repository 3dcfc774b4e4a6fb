using Twine.Defer;

namespace Twine.Tests.Defer;

/// <summary>
/// A callback that returns a Deferred chains it (docs/behaviours.md §2, CH1–CH9; stack depth CH6 is in StackDepthTests).
/// </summary>
public sealed class ChainingTests
{
    private sealed class CustomException(string message = "custom") : Exception(message);

    // ---- CH1, CH2: asynchronous implicit chaining ------------------------------------------------------------

    [Fact]
    public void CH1_CallbackReturningPendingDeferredPausesAndRecordsTheChain()
    {
        var inner = new Deferred<string>();
        var outer = new Deferred<int>();
        var after = outer.AddCallback(_ => inner);
        outer.Callback(1);
        Assert.Equal(1, outer.Paused);
        Assert.True(outer.IsWaiting);
        Assert.Same(inner, outer.ChainedTo);
        Assert.Throws<InvalidOperationException>(() => after.Result);
    }

    [Fact]
    public void CH1_ErrbackReturningPendingDeferredAlsoChains()
    {
        var inner = new Deferred<int>();
        var outer = new Deferred<int>();
        outer.AddErrback(_ => inner);
        outer.Errback(new CustomException());
        Assert.True(outer.IsWaiting);
        Assert.False(outer.IsFailed);
        inner.Callback(9);
        Assert.Equal(9, outer.Result.Value);
    }

    [Fact]
    public void CH2_InnerResultMovesToOuterAndLaterInnerCallbacksSeeDefault()
    {
        var inner = new Deferred<string>();
        var outer = new Deferred<int>();
        var results = new List<string?>();
        var innerLater = new List<string?>();
        outer.AddCallback(_ => inner).AddCallback(s => { results.Add(s); });
        outer.Callback(1);
        inner.AddCallback(s => { innerLater.Add(s); });
        inner.Callback("orange");
        Assert.Equal(["orange"], results);
        Assert.Equal([null], innerLater);
        Assert.Equal(0, outer.Paused);
        Assert.Null(outer.ChainedTo);
    }

    [Fact]
    public void CH2_InnerFailureMovesToOuterAndInnerIsLeftWithDefault()
    {
        var inner = new Deferred<int>();
        var outer = new Deferred<int>();
        var e = new CustomException();
        Failure? outerSaw = null;
        var innerAfter = new List<int>();
        outer.AddCallback(_ => inner).AddErrback(f => { outerSaw = f; return -1; });
        outer.Callback(0);
        inner.Errback(e);
        inner.AddCallback(x => { innerAfter.Add(x); });
        Assert.Same(e, outerSaw!.Value);
        Assert.Equal([0], innerAfter);
        Assert.False(inner.IsFailed);
    }

    // ---- CH3: synchronous implicit chaining ------------------------------------------------------------------

    [Fact]
    public void CH3_FiredInnerResultIsTakenSynchronouslyAndInnerBecomesDefault()
    {
        var inner = Deferred.Succeed("done");
        var outer = new Deferred<int>();
        string? seen = null;
        outer.AddCallback(_ => inner).AddCallback(s => { seen = s; });
        outer.Callback(1);
        Assert.Equal("done", seen);
        Assert.False(outer.IsWaiting);
        Assert.Null(inner.Result.Value);
    }

    [Fact]
    public void CH3_FiredInnerFailureIsTakenAndInnerNoLongerFails()
    {
        var e = new CustomException();
        var inner = Deferred.Fail<int>(e);
        var outer = Deferred.Succeed(0);
        var chained = outer.AddCallback(_ => inner);
        Assert.Same(e, chained.Result.Failure!.Value);
        Assert.False(inner.IsFailed);
        Assert.Equal(0, inner.Result.Value);
        chained.AddErrback(_ => { });
    }

    // ---- CH4: paused inner ------------------------------------------------------------------------------------

    [Fact]
    public void CH4_PausedInnerWithResultIsNotTakenUntilUnpaused()
    {
        var inner = Deferred.Succeed(5);
        inner.Pause();
        var outer = new Deferred<int>();
        int seen = 0;
        outer.AddCallback(_ => inner).AddCallback(x => { seen = x; });
        outer.Callback(0);
        Assert.True(outer.IsWaiting);
        Assert.Equal(0, seen);
        inner.Unpause();
        Assert.Equal(5, seen);
    }

    [Fact]
    public void CH4_PausedInnerFiredLaterIsTakenOnUnpause()
    {
        // testReturnDeferred (D8/CH4)
        var inner = new Deferred<int>();
        inner.Pause();
        var outer = new Deferred<int>();
        int seen = 0;
        outer.AddCallback(_ => inner).AddCallback(x => { seen = x; });
        outer.Callback(1);
        inner.Callback(2);
        Assert.Equal(0, seen);
        inner.Unpause();
        Assert.Equal(2, seen);
    }

    [Fact]
    public void CH4_PausingOuterAfterChainingDoesNotStopInner()
    {
        var first = new Deferred<int>();
        var second = new Deferred<int>();
        var innerLog = new List<int>();
        first.AddCallback(_ => second);
        first.Callback(0);
        first.Pause();
        second.AddCallback(x => { innerLog.Add(x); });
        second.Callback(3);
        Assert.Equal([0], innerLog); // the continuation ran first and took the 3
        Assert.Equal(1, first.Paused);
        int seen = -1;
        first.AddCallback(x => { seen = x; });
        Assert.Equal(-1, seen);
        first.Unpause();
        Assert.Equal(3, seen);
    }

    // ---- CH5: order across nested Deferreds -------------------------------------------------------------------

    [Fact]
    public void CH5_InnerCallbacksAddedBeforeReturnRunBeforeOuterContinues()
    {
        var log = new List<string>();
        var inner = new Deferred<int>();
        inner.AddCallback(x => { log.Add("inner " + x); return x * 2; });
        var outer = new Deferred<int>();
        outer.AddCallback(_ => { log.Add("outer returns inner"); return inner; })
             .AddCallback(x => { log.Add("outer " + x); });
        outer.Callback(0);
        inner.Callback(4);
        Assert.Equal(["outer returns inner", "inner 4", "outer 8"], log);
    }

    [Fact]
    public void CH5_ChainingIsTransitive()
    {
        var a = new Deferred<int>();
        var b = new Deferred<int>();
        var c = new Deferred<int>();
        var log = new List<string>();
        a.AddCallback(_ => b).AddCallback(x => { log.Add("a " + x); });
        b.AddCallback(_ => c).AddCallback(x => { log.Add("b " + x); return x + 1; });
        a.Callback(0);
        b.Callback(0);
        Assert.Empty(log);
        c.Callback(10);
        Assert.Equal(["b 10", "a 11"], log);
    }

    [Fact]
    public void CH5_ContinuationIsNotFirstAndOrderIsPreserved()
    {
        // test_continueCallbackNotFirst / test_callbackOrderPreserved
        var log = new List<string>();
        var inner = new Deferred<string>();
        var outer = new Deferred<string>();
        inner.AddCallback(s => { log.Add("inner1 " + s); return s + "!"; });
        outer.AddCallback(s => { log.Add("outer1 " + s); return inner; })
             .AddCallback(s => { log.Add("outer2 " + s); return s; });
        outer.Callback("o");
        inner.AddCallback(s => { log.Add("inner2 " + (s ?? "null")); return "x"; });
        inner.Callback("i");
        Assert.Equal(["outer1 o", "inner1 i", "outer2 i!", "inner2 null"], log);
    }

    [Fact]
    public void CH5_DeferredResultOfDeferredResultOfFiredDeferred()
    {
        // test_resultOfDeferredResultOfDeferredOfFiredDeferredCalled
        var first = Deferred.Succeed(1);
        var second = new Deferred<int>();
        var third = new Deferred<int>();
        second.AddCallback(_ => first);
        third.AddCallback(_ => second);
        int seen = 0;
        third.AddCallback(x => { seen = x; });
        second.Callback(0);
        third.Callback(0);
        Assert.Equal(1, seen);
    }

    [Fact]
    public void CH5_NestedAsynchronousChainsWithExtraCallbacks()
    {
        var log = new List<string>();
        var top = new Deferred<string>();
        var middle = new Deferred<string>();
        var bottom = new Deferred<string>();
        top.AddCallback(s => { log.Add("top " + s); return middle; })
           .AddCallback(s => { log.Add("top after " + s); return s; });
        middle.AddCallback(s => { log.Add("middle " + s); return bottom; })
              .AddCallback(s => { log.Add("middle after " + s); return s + "+m"; });
        bottom.AddCallback(s => { log.Add("bottom " + s); return s + "+b"; });
        top.Callback("t");
        middle.Callback("m");
        bottom.Callback("b");
        Assert.Equal(["top t", "middle m", "bottom b", "middle after b+b", "top after b+b+m"], log);
    }

    // ---- CH7: the chain record is cleared -------------------------------------------------------------------

    [Fact]
    public void CH7_ChainedToIsClearedWhenResolved()
    {
        var inner = new Deferred<int>();
        var outer = new Deferred<int>();
        outer.AddCallback(_ => inner);
        outer.Callback(0);
        Assert.Same(inner, outer.ChainedTo);
        inner.Callback(1);
        Assert.Null(outer.ChainedTo);
        Assert.False(outer.IsWaiting);
    }

    // ---- CH8: ChainDeferred ---------------------------------------------------------------------------------

    [Fact]
    public void CH8_ChainDeferredFiresOtherAndLaterCallbacksSeeDefault()
    {
        var a = new Deferred<string>();
        var b = new Deferred<string>();
        a.ChainDeferred(b);
        Assert.Same(a, b.ChainedTo);
        Assert.Contains("waiting on Deferred", b.ToString());
        Assert.False(b.IsWaiting); // recorded for display, but b is not paused on a: it can still be fired or cancelled
        string? bSaw = null, aLater = "unset";
        b.AddCallback(s => { bSaw = s; });
        a.Callback("x");
        a.AddCallback(s => { aLater = s; });
        Assert.Equal("x", bSaw);
        Assert.Null(aLater);
        Assert.Null(b.ChainedTo); // cleared once b ran
    }

    [Fact]
    public void CH8_CancellingAPausedChainDeferredTargetIsNotForwardedToItsSource()
    {
        int xCancels = 0;
        var x = new Deferred<int>(_ => xCancels++);
        var a = new Deferred<int>();
        var b = new Deferred<int>();
        a.ChainDeferred(b);
        a.AddCallback(_ => x); // after firing b, a waits on x
        b.Pause();
        a.Callback(1);
        Assert.True(a.IsWaiting);
        b.Cancel(); // b has fired (it is only paused): nothing to cancel, and nothing to forward to a or x
        Assert.Equal(0, xCancels);
        b.Unpause();
        Assert.Equal(1, b.Result.Value);
    }

    [Fact]
    public void CH8_ChainDeferredPassesFailuresAndRecoversTheSource()
    {
        var a = new Deferred<int>();
        var b = new Deferred<int>();
        a.ChainDeferred(b);
        var e = new CustomException();
        a.Errback(e);
        Assert.Same(e, b.Result.Failure!.Value);
        Assert.False(a.IsFailed);
        b.AddErrback(_ => { });
    }

    [Fact]
    public void CH8_ChainDeferredToAFiredDeferredFailsWithAlreadyCalled()
    {
        var a = new Deferred<int>();
        var b = Deferred.Succeed(1);
        a.ChainDeferred(b);
        a.Callback(2);
        Assert.IsType<AlreadyCalledException>(a.Result.Failure!.Value);
        Assert.Equal(1, b.Result.Value);
        a.AddErrback(_ => { });
    }

    // ---- CH9: a callback returning its own Deferred ---------------------------------------------------------

    [Fact]
    public void CH9_CallbackReturningItsOwnDeferredFails()
    {
        var d = new Deferred<int>();
        d.AddCallback(_ => d);
        d.Callback(1);
        var f = d.Result.Failure!;
        Assert.IsType<InvalidOperationException>(f.Value);
        Assert.Contains("attached to", f.GetErrorMessage());
        d.AddErrback(_ => { });
    }

    [Fact]
    public void CH9_CallbackReturningALaterViewOfItsOwnChainFails()
    {
        var d = new Deferred<int>();
        Deferred<string>? view = null;
        view = d.AddCallback(x => x.ToString()).AddCallback(s => view!);
        d.Callback(1);
        Assert.IsType<InvalidOperationException>(view.Result.Failure!.Value);
        view.AddErrback(_ => { });
    }

    [Fact]
    public void ReturningANullDeferredFails()
    {
        var d = new Deferred<int>();
        var next = d.AddCallback(_ => (Deferred<int>)null!);
        d.Callback(0);
        Assert.IsType<InvalidOperationException>(next.Result.Failure!.Value);
        next.AddErrback(_ => { });
    }

    [Fact]
    public void ReturningAStaleReferenceFailsInsteadOfMisTyping()
    {
        var inner = new Deferred<int>();
        inner.AddCallback(x => x.ToString()); // inner's chain now ends in string
        var outer = new Deferred<int>();
        var next = outer.AddCallback(_ => inner);
        outer.Callback(0);
        Assert.IsType<StaleDeferredException>(next.Result.Failure!.Value);
        next.AddErrback(_ => { });
    }

    [Fact]
    public void InnerFiringFromInsideItsOwnCallbackStillContinuesOuter()
    {
        // The inner chain is running when the outer starts waiting on it: the continuation goes to its end.
        var inner = new Deferred<int>();
        var outer = new Deferred<int>();
        var log = new List<string>();
        outer.AddCallback(_ => inner).AddCallback(x => { log.Add("outer " + x); });
        inner.AddCallback(x => { outer.Callback(0); log.Add("inner cb"); return x + 1; });
        inner.Callback(1);
        Assert.Equal(["inner cb", "outer 2"], log);
    }

    [Fact]
    public void OuterReturningAnInnerThatIsStillOnTheStackDoesNotReenter()
    {
        // A waits on I; I fires; A resumes (with I's later callbacks still pending) and A's next callback returns I
        // again. I's remaining callbacks run, then A continues: each exactly once, never nested.
        var i = new Deferred<int>();
        var a = new Deferred<int>();
        var log = new List<string>();
        a.AddCallback(_ => i)
         .AddCallback(x => { log.Add("a1 " + x); return i; })
         .AddCallback(x => { log.Add("a2 " + x); return x; });
        a.Callback(0);
        i.AddCallback(x => { log.Add("i later " + x); return 7; });
        i.Callback(5);
        Assert.Equal(["a1 5", "i later 0", "a2 7"], log);
    }
}
