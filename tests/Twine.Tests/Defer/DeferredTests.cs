using Twine.Defer;
using Twine.Logging;

namespace Twine.Tests.Defer;

/// <summary>
/// Tests that switch <see cref="Deferred.Debug"/> or count allocations. Debug mode is process-wide, so these run on
/// their own, after the parallel tests, and never overlap a test that expects it off.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DeferredGlobalStateCollection
{
    public const string Name = "Deferred global state";
}

/// <summary>The callback chain (docs/behaviours.md §1, D1–D10) and the utilities (§4, U1–U5).</summary>
[Collection(DeferredGlobalStateCollection.Name)]
public sealed class DeferredTests
{
    private sealed class CustomException(string message = "custom") : Exception(message);

    // ---- D1: fired once -------------------------------------------------------------------------------------

    [Fact]
    public void D1_CallbackThenCallbackThrowsAlreadyCalled()
    {
        var d = new Deferred<int>();
        d.Callback(1);
        Assert.Throws<AlreadyCalledException>(() => d.Callback(2));
        Assert.Equal(1, d.Result.Value);
    }

    [Fact]
    public void D1_CallbackThenErrbackThrowsAlreadyCalled()
    {
        var d = new Deferred<int>();
        d.Callback(1);
        Assert.Throws<AlreadyCalledException>(() => d.Errback(new CustomException()));
        Assert.True(d.Result.Succeeded);
    }

    [Fact]
    public void D1_ErrbackThenCallbackThrowsAlreadyCalled()
    {
        var d = new Deferred<int>();
        d.Errback(new CustomException());
        Assert.Throws<AlreadyCalledException>(() => d.Callback(1));
        d.AddErrback(f => { f.Trap<CustomException>(); });
    }

    [Fact]
    public void D1_ErrbackThenErrbackThrowsAlreadyCalled()
    {
        var d = new Deferred<int>();
        var first = new CustomException();
        d.Errback(first);
        Assert.Throws<AlreadyCalledException>(() => d.Errback(new CustomException()));
        Assert.Same(first, d.Result.Failure!.Value);
        d.AddErrback(_ => { });
    }

    // ---- D2: pairs, fluent adds -----------------------------------------------------------------------------

    [Fact]
    public void D2_CallbackReceivesResultAndFluentAddsReturnSameDeferred()
    {
        var d = new Deferred<int>();
        var seen = new List<int>();
        var same = d.AddCallback(x => { seen.Add(x); return x + 1; })
                    .AddErrback(f => -1)
                    .AddCallbacks(x => { seen.Add(x); return x * 10; }, (Func<Failure, int>?)null);
        Assert.Same(d, same);
        d.Callback(1);
        Assert.Equal([1, 2], seen);
        Assert.Equal(20, d.Result.Value);
    }

    [Fact]
    public void D2_AddBothRunsForBothOutcomes()
    {
        var ok = new Deferred<int>();
        var bad = new Deferred<int>();
        var outcomes = new List<string>();
        ok.AddBoth(o => { outcomes.Add(o.ToString()); });
        bad.AddBoth(o => { outcomes.Add(o.Succeeded ? "ok" : o.Failure!.GetErrorMessage()); });
        ok.Callback(5);
        bad.Errback(new CustomException("bad"));
        Assert.Equal(["Success(5)", "bad"], outcomes);
        Assert.False(bad.IsFailed); // the action returned normally: the chain recovered
    }

    [Fact]
    public void D2_AddCallbacksWithNullErrbackPassesFailureThrough()
    {
        var d = new Deferred<int>();
        bool called = false;
        d.AddCallbacks(x => { called = true; return x; }, (Func<Failure, int>?)null);
        var e = new CustomException();
        d.Errback(e);
        Assert.False(called);
        Assert.Same(e, d.Result.Failure!.Value);
        d.AddErrback(_ => { });
    }

    // ---- D3: dispatch, switching paths ----------------------------------------------------------------------

    [Fact]
    public void D3_RaisingCallbackSwitchesToErrorPathAndErrbackSwitchesBack()
    {
        var d = new Deferred<int>();
        var log = new List<string>();
        var boom = new CustomException("boom");
        d.AddCallback(x => { log.Add("cb1"); throw boom; })
         .AddCallback(x => { log.Add("skipped"); return x; })
         .AddErrback(f => { log.Add("eb " + f.GetErrorMessage()); Assert.Same(boom, f.Value); return 7; })
         .AddErrback(f => { log.Add("skipped eb"); return 0; })
         .AddCallback(x => { log.Add("cb " + x); return x; });
        d.Callback(1);
        Assert.Equal(["cb1", "eb boom", "cb 7"], log);
        Assert.Equal(7, d.Result.Value);
    }

    [Fact]
    public void D3_CallbackReturningFailureSwitchesToErrorPath()
    {
        var d = new Deferred<object>();
        var failure = new Failure(new CustomException());
        Failure? seen = null;
        d.AddCallback(_ => (object)failure)
         .AddCallback(x => { Assert.Fail("callback after a returned Failure"); return x; })
         .AddErrback(f => { seen = f; return "recovered"; });
        d.Callback("start");
        Assert.Same(failure, seen);
        Assert.Equal("recovered", d.Result.Value);
    }

    [Fact]
    public void D3_ErrbackReturningTheFailurePassesItOn()
    {
        // Twisted's `def eb(f): log(f); return f` idiom, on a chain whose type can hold a Failure.
        var d = new Deferred<object?>();
        var log = new List<string>();
        d.AddErrback(f => { log.Add("first"); return f; })
         .AddErrback(f => { log.Add("second"); return f; });
        var e = new CustomException();
        d.Errback(e);
        Assert.Equal(["first", "second"], log);
        Assert.Same(e, d.Result.Failure!.Value);
        d.AddErrback(_ => { });
    }

    [Fact]
    public void D3_ErrbackActionReturningNormallyRecoversWithDefault()
    {
        var d = new Deferred<int>();
        d.AddErrback(_ => { });
        d.Errback(new CustomException());
        Assert.False(d.IsFailed);
        Assert.Equal(0, d.Result.Value);
    }

    // ---- D4, D5: immediate run, run once ----------------------------------------------------------------------

    [Fact]
    public void D4_CallbackAddedToFiredDeferredRunsImmediately()
    {
        var d = Deferred.Succeed("orange");
        string? seen = null;
        d.AddCallback(s => { seen = s; });
        Assert.Equal("orange", seen);
    }

    [Fact]
    public void D4_ErrbackAddedToFailedDeferredRunsImmediately()
    {
        var e = new CustomException();
        var d = Deferred.Fail<int>(e);
        Exception? seen = null;
        d.AddErrback(f => { seen = f.Value; });
        Assert.Same(e, seen);
    }

    [Fact]
    public void D5_EachCallbackRunsOnceAndOnlyTheLatestResultIsKept()
    {
        var d = new Deferred<int>();
        int calls = 0;
        d.AddCallback(x => { calls++; return x * 2; });
        d.Callback(3);
        d.AddCallback(x => x + 1);
        d.AddCallback(x => x + 1);
        Assert.Equal(1, calls);
        Assert.Equal(8, d.Result.Value);
    }

    // ---- D6: no re-entrance ---------------------------------------------------------------------------------

    [Fact]
    public void D6_CallbackAddedFromRunningCallbackRunsAfterItReturns()
    {
        var d = new Deferred<int>();
        var log = new List<string>();
        d.AddCallback(x =>
        {
            d.AddCallback(y => { log.Add("added " + y); return y; });
            log.Add("first done");
            return x + 1;
        });
        d.AddCallback(x => { log.Add("second " + x); return x; });
        d.Callback(1);
        Assert.Equal(["first done", "second 2", "added 2"], log);
    }

    [Fact]
    public void D6_ReentrantAddWithFailureRunsInSameLoop()
    {
        var d = new Deferred<int>();
        var boom = new CustomException();
        Failure? seen = null;
        d.AddCallback(x =>
        {
            d.AddCallback(_ => throw boom);
            d.AddErrback(f => { seen = f; return -1; });
            return x;
        });
        d.Callback(1);
        Assert.Same(boom, seen!.Value);
        Assert.Equal(-1, d.Result.Value);
    }

    // ---- D7: argument rules ---------------------------------------------------------------------------------

    [Fact]
    public void D7_CallbackWithDeferredThrowsArgumentException()
    {
        var d = new Deferred<object>();
        Assert.Throws<ArgumentException>(() => d.Callback(new Deferred<int>()));
        Assert.False(d.Called);
    }

    [Fact]
    public void D7_CallbackWithFailureBehavesLikeErrback()
    {
        var d = new Deferred<object>();
        var failure = new Failure(new CustomException());
        Failure? seen = null;
        d.AddErrback(f => { seen = f; return "handled"; });
        d.Callback(failure);
        Assert.Same(failure, seen);
    }

    [Fact]
    public void D7_ErrbackWithExceptionWrapsItInAFailure()
    {
        var d = new Deferred<int>();
        var e = new CustomException();
        d.Errback(e);
        var f = d.Result.Failure!;
        Assert.Same(e, f.Value);
        Assert.Equal(typeof(CustomException), f.Type);
        d.AddErrback(_ => { });
    }

    [Fact]
    public void D7_ErrbackWithNullThrows()
    {
        var d = new Deferred<int>();
        Assert.Throws<ArgumentNullException>(() => d.Errback((Exception)null!));
        Assert.Throws<ArgumentNullException>(() => d.Errback((Failure)null!));
        Assert.False(d.Called);
    }

    // ---- D8: pause / unpause --------------------------------------------------------------------------------

    [Fact]
    public void D8_PausedDeferredStoresResultButRunsNothingUntilUnpaused()
    {
        var d = new Deferred<int>();
        var seen = new List<int>();
        d.Pause();
        d.Pause();
        d.AddCallback(x => { seen.Add(x); });
        d.Callback(1);
        Assert.True(d.Called);
        Assert.Equal(2, d.Paused);
        Assert.Empty(seen);
        d.Unpause();
        Assert.Empty(seen);
        d.Unpause();
        Assert.Equal([1], seen);
        Assert.Equal(0, d.Paused);
    }

    [Fact]
    public void D8_PausedFailureIsDeliveredOnUnpause()
    {
        var d = new Deferred<int>();
        Failure? seen = null;
        d.Pause();
        d.AddErrback(f => { seen = f; });
        d.Errback(new CustomException());
        Assert.Null(seen);
        d.Unpause();
        Assert.IsType<CustomException>(seen!.Value);
    }

    [Fact]
    public void D8_UnpauseBeforeCallbackDoesNothingUntilFired()
    {
        var d = new Deferred<int>();
        int seen = 0;
        d.Pause();
        d.AddCallback(x => { seen = x; });
        d.Unpause();
        Assert.Equal(0, seen);
        d.Callback(5);
        Assert.Equal(5, seen);
    }

    [Fact]
    public void D8_CallbackPausingItsOwnDeferredStopsTheRest()
    {
        var d = new Deferred<int>();
        var log = new List<int>();
        d.AddCallback(x => { d.Pause(); return x + 1; });
        d.AddCallback(x => { log.Add(x); return x; });
        d.Callback(1);
        Assert.Empty(log);
        d.Unpause();
        Assert.Equal([2], log);
    }

    [Fact]
    public void D8_UnpauseWithoutPauseThrows()
    {
        Assert.Throws<InvalidOperationException>(() => new Deferred<int>().Unpause());
    }

    // ---- D9: public state and text --------------------------------------------------------------------------

    [Fact]
    public void D9_StateAndToStringForms()
    {
        var d = new Deferred<string>();
        Assert.False(d.Called);
        Assert.Equal(0, d.Paused);
        Assert.Throws<InvalidOperationException>(() => d.Result);
        Assert.Matches(@"^<Deferred<String> #[0-9a-f]+>$", d.ToString());

        d.Callback("orange");
        Assert.True(d.Called);
        Assert.EndsWith("current result: orange>", d.ToString());

        var outer = new Deferred<int>();
        var inner = new Deferred<int>();
        outer.AddCallback(_ => inner);
        outer.Callback(0);
        Assert.Contains("waiting on Deferred #", outer.ToString());
        inner.Callback(1);
        Assert.EndsWith("current result: 1>", outer.ToString());
    }

    // ---- D10: debug mode ------------------------------------------------------------------------------------

    [Fact]
    public void D10_AlreadyCalledInDebugModeNamesCreatorAndFirstInvoker()
    {
        bool was = Deferred.Debug;
        Deferred.Debug = true;
        try
        {
            var d = new Deferred<int>();
            d.Callback(1);
            var e = Assert.Throws<AlreadyCalledException>(() => d.Callback(2));
            Assert.Contains(" C:", e.Message);
            Assert.Contains(" I:", e.Message);
            Assert.Contains(nameof(D10_AlreadyCalledInDebugModeNamesCreatorAndFirstInvoker), e.DebugInfo);
        }
        finally
        {
            Deferred.Debug = was;
        }
    }

    [Fact]
    public void D10_DebugOnThisThreadIsScopedToTheThreadAndTheScope()
    {
        Assert.False(Deferred.Debug);
        bool otherThreadSaw = true;
        using (Deferred.DebugOnThisThread())
        {
            Assert.True(Deferred.Debug);
            var other = new Thread(() => otherThreadSaw = Deferred.Debug);
            other.Start();
            other.Join();
            var d = new Deferred<int>();
            d.Callback(1);
            var e = Assert.Throws<AlreadyCalledException>(() => d.Callback(2));
            Assert.Contains(" C:", e.Message);
            Assert.Contains(" I:", e.Message);
        }
        Assert.False(otherThreadSaw);
        Assert.False(Deferred.Debug);
        var plain = new Deferred<int>();
        plain.Callback(1);
        Assert.Null(Assert.Throws<AlreadyCalledException>(() => plain.Callback(2)).DebugInfo);
    }

    [Fact]
    public void D10_DebugSwitchedOnAfterCreationRecordsOnlyTheInvoker()
    {
        bool was = Deferred.Debug;
        Deferred.Debug = false;
        var d = new Deferred<int>();
        Deferred.Debug = true;
        try
        {
            d.Callback(1);
            var e = Assert.Throws<AlreadyCalledException>(() => d.Callback(2));
            Assert.DoesNotContain(" C:", e.Message);
            Assert.StartsWith(" I: First Invoker was:", e.DebugInfo);
        }
        finally
        {
            Deferred.Debug = was;
        }
    }

    [Fact]
    public void D10_WithoutDebugModeAlreadyCalledCarriesNoStacks()
    {
        bool was = Deferred.Debug;
        Deferred.Debug = false;
        try
        {
            Assert.False(Deferred.Debug);
            var d = new Deferred<int>();
            d.Errback(new CustomException());
            d.AddErrback(_ => { });
            var e = Assert.Throws<AlreadyCalledException>(() => d.Callback(2));
            Assert.Null(e.DebugInfo);
            Assert.DoesNotContain(" C:", e.Message);
            Assert.DoesNotContain(" I:", e.Message);
        }
        finally
        {
            Deferred.Debug = was;
        }
    }

    // ---- U1–U5: utilities -----------------------------------------------------------------------------------

    [Fact]
    public void U1_SucceedAndFailReturnFiredDeferreds()
    {
        Assert.Equal(3, Deferred.Succeed(3).Result.Value);
        Assert.True(Deferred.Succeed().Called);
        var e = new CustomException();
        var failed = Deferred.Fail<int>(e);
        Assert.Same(e, failed.Result.Failure!.Value);
        var f = new Failure(new CustomException());
        var failed2 = Deferred.Fail<string>(f);
        Assert.Same(f, failed2.Result.Failure);
        var untyped = Deferred.Fail(e);
        Assert.True(untyped.IsFailed);
        foreach (var d in new Deferred[] { failed, failed2, untyped }) d.AddErrback(_ => { });
    }

    [Fact]
    public void U2_MaybeDeferredWrapsValuesExceptionsAndFailuresAndKeepsDeferreds()
    {
        Assert.Equal(10, Deferred.MaybeDeferred(() => 5 * 2).Result.Value);

        var e = new CustomException();
        var thrown = Deferred.MaybeDeferred<int>(() => throw e);
        Assert.Same(e, thrown.Result.Failure!.Value);
        thrown.AddErrback(_ => { });

        var f = new Failure(new CustomException());
        var returnedFailure = Deferred.MaybeDeferred(() => f);
        Assert.Same(f, returnedFailure.Result.Failure);
        returnedFailure.AddErrback(_ => { });

        var pending = new Deferred<int>();
        Assert.Same(pending, Deferred.MaybeDeferred(() => pending));

        int ran = 0;
        Assert.True(Deferred.MaybeDeferred(() => { ran++; }).Called);
        Assert.Equal(1, ran);
    }

    [Fact]
    public void U3_ExecuteCallsNowAndWrapsTheOutcome()
    {
        Assert.Equal("x", Deferred.Execute(() => "x").Result.Value);
        var e = new CustomException();
        var failed = Deferred.Execute<int>(() => throw e);
        Assert.Same(e, failed.Result.Failure!.Value);
        failed.AddErrback(_ => { });
    }

    [Fact]
    public void U4_LogErrorLogsTheFailureAndReturnsItUnchanged()
    {
        var f = new Failure(new CustomException("logged"));
        var events = new List<LogEvent>();
        void Observe(LogEvent e) { if (ReferenceEquals(e.Failure, f)) lock (events) events.Add(e); }
        Log.Observed += Observe;
        try
        {
            Assert.Same(f, Deferred.LogError(f));
        }
        finally
        {
            Log.Observed -= Observe;
        }
        var logged = Assert.Single(events);
        Assert.Equal(LogLevel.Error, logged.Level);
    }

    [Fact]
    public void U5_FirstErrorCarriesSubFailureAndIndexAndComparesByBoth()
    {
        var first = new Failure(new DivideByZeroException());
        var second = new Failure(new CustomException("bar"));
        var one = new FirstErrorException(first, 13);
        var anotherOne = new FirstErrorException(first, 13);
        var another = new FirstErrorException(second, 9);
        Assert.Same(first, one.SubFailure);
        Assert.Equal(13, one.Index);
        Assert.True(one.Equals(anotherOne));
        Assert.Equal(one.GetHashCode(), anotherOne.GetHashCode());
        Assert.False(one.Equals(another));
        Assert.False(one.Equals(new FirstErrorException(first, 12)));
        Assert.False(one.Equals((object)10));
        Assert.False(one.Equals(new InvalidOperationException()));
        Assert.Contains("#9", another.ToString());
        Assert.Contains("bar", another.ToString());
    }
}
