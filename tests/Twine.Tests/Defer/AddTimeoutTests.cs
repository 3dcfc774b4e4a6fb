using Twine.Defer;
using Twine.Time;

namespace Twine.Tests.Defer;

/// <summary><c>AddTimeout</c> on manual time (docs/behaviours.md §7, T1–T6).</summary>
public sealed class AddTimeoutTests
{
    private static readonly TimeSpan Ten = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Fifteen = TimeSpan.FromSeconds(15);

    private sealed class CustomException : Exception;

    private static List<Failure> Failures<T>(Deferred<T> d)
    {
        var seen = new List<Failure>();
        d.AddErrback(f => { seen.Add(f); });
        return seen;
    }

    /// <summary>A translator that records its calls and overrides the outcome.</summary>
    private sealed class Translator
    {
        public readonly List<(Outcome<string> Outcome, TimeSpan Timeout)> Calls = [];

        public string Translate(Outcome<string> outcome, TimeSpan timeout)
        {
            Calls.Add((outcome, timeout));
            return "OVERRIDDEN";
        }
    }

    // ---- T1 ------------------------------------------------------------------------------------------------

    [Fact]
    public void T1_AddTimeoutSchedulesACancelAndReturnsTheSameDeferred()
    {
        var clock = new Clock();
        var d = new Deferred<int>();
        Assert.Same(d, d.AddTimeout(Ten, clock));
        var call = Assert.Single(clock.GetDelayedCalls());
        Assert.Equal(Ten, call.Time);
        d.Callback(1);
        Assert.Empty(clock.GetDelayedCalls());
    }

    [Fact]
    public void T1_AddTimeoutThroughAStaleReferenceThrows()
    {
        var d = new Deferred<int>();
        d.AddCallback(x => x.ToString());
        Assert.Throws<StaleDeferredException>(() => d.AddTimeout(Ten, new Clock()));
    }

    // ---- T2: only earlier callbacks see the cancellation ----------------------------------------------------

    [Fact]
    public void T2_ErrbackAddedBeforeSeesCancelledAndTheResultIsATimeout()
    {
        var clock = new Clock();
        var d = new Deferred<string>();
        Failure? before = null;
        d.AddErrback(f => { before = f; f.RaiseException(); });
        d.AddTimeout(Ten, clock);
        var after = Failures(d);
        clock.Advance(Fifteen);
        Assert.IsType<CancelledException>(before!.Value);
        var timeout = Assert.IsType<DeferredTimeoutException>(Assert.Single(after).Value);
        Assert.Equal(Ten, timeout.Timeout);
    }

    [Fact]
    public void T2_ErrbackAddedBeforeThatRecoversSuppressesTheTimeout()
    {
        var clock = new Clock();
        var d = new Deferred<string>();
        d.AddErrback(f => { f.Trap<CancelledException>(); return "recovered"; });
        d.AddTimeout(Ten, clock);
        clock.Advance(Fifteen);
        Assert.Equal("recovered", d.Result.Value);
    }

    [Fact]
    public void T2_ErrbackAddedBeforeWithCustomTranslatorSeesCancelledAndTranslatorOverrides()
    {
        var clock = new Clock();
        var d = new Deferred<string>();
        var translator = new Translator();
        Failure? before = null;
        d.AddErrback(f => { before = f; f.RaiseException(); });
        d.AddTimeout(Ten, clock, translator.Translate);
        clock.Advance(Fifteen);
        Assert.IsType<CancelledException>(before!.Value);
        var (outcome, timeout) = Assert.Single(translator.Calls);
        Assert.IsType<CancelledException>(outcome.Failure!.Value);
        Assert.Equal(Ten, timeout);
        Assert.Equal("OVERRIDDEN", d.Result.Value);
    }

    [Fact]
    public void T2_CallbackAddedBeforeTimeoutSeesTheCancellersValue()
    {
        var clock = new Clock();
        var d = new Deferred<string>(x => x.Callback("I was cancelled"));
        string? before = null;
        d.AddCallback(s => { before = s; return s; });
        d.AddTimeout(Ten, clock);
        clock.Advance(Fifteen);
        Assert.Equal("I was cancelled", before);
        Assert.Equal("I was cancelled", d.Result.Value);
    }

    // ---- T3: fired before the timeout -----------------------------------------------------------------------

    [Fact]
    public void T3_SuccessBeforeTimeoutDisarmsTheTimer()
    {
        var clock = new Clock();
        var d = new Deferred<string>();
        d.AddTimeout(Ten, clock);
        var call = Assert.Single(clock.GetDelayedCalls());
        clock.Advance(TimeSpan.FromSeconds(5));
        d.Callback("value");
        Assert.False(call.IsActive);
        Assert.Empty(clock.GetDelayedCalls());
        clock.Advance(Fifteen);
        Assert.Equal("value", d.Result.Value);
    }

    [Fact]
    public void T3_SuccessBeforeTimeoutNeverCallsTheTranslator()
    {
        var clock = new Clock();
        var d = new Deferred<string>();
        var translator = new Translator();
        d.AddTimeout(Ten, clock, translator.Translate);
        d.Callback("value");
        clock.Advance(Fifteen);
        Assert.Empty(translator.Calls);
        Assert.Equal("value", d.Result.Value);
    }

    [Fact]
    public void T3_FailureBeforeTimeoutIsKeptAndTheTimerDisarmed()
    {
        var clock = new Clock();
        var d = new Deferred<string>();
        var translator = new Translator();
        d.AddTimeout(Ten, clock, translator.Translate);
        var e = new CustomException();
        d.Errback(e);
        Assert.Empty(clock.GetDelayedCalls());
        clock.Advance(Fifteen);
        Assert.Empty(translator.Calls);
        Assert.Same(e, Assert.Single(Failures(d)).Value);
    }

    [Fact]
    public void T3_InnerDeferredChainedAfterFiringIsNeverCancelledByTheTimer()
    {
        var clock = new Clock();
        int innerCancels = 0;
        var inner = new Deferred<string>(_ => innerCancels++);
        var d = new Deferred<string>();
        d.AddTimeout(Ten, clock);
        d.Callback("x");
        var chained = d.AddCallback(_ => inner);
        clock.Advance(Fifteen);
        Assert.Equal(0, innerCancels);
        Assert.True(chained.IsWaiting);
    }

    // ---- T4: expiry ---------------------------------------------------------------------------------------

    [Fact]
    public void T4_ExpiryFailsWithTimeout()
    {
        var clock = new Clock();
        var d = new Deferred<string>();
        d.AddTimeout(Ten, clock);
        var failures = Failures(d);
        clock.Advance(TimeSpan.FromSeconds(9.999));
        Assert.False(d.Called);
        clock.Advance(TimeSpan.FromSeconds(0.001));
        var e = Assert.IsType<DeferredTimeoutException>(Assert.Single(failures).Value);
        Assert.IsAssignableFrom<TimeoutException>(e);
    }

    [Fact]
    public void T4_CustomTranslatorResultBecomesTheResult()
    {
        var clock = new Clock();
        var d = new Deferred<string>();
        var translator = new Translator();
        d.AddTimeout(Ten, clock, translator.Translate);
        clock.Advance(Fifteen);
        Assert.Equal("OVERRIDDEN", d.Result.Value);
        Assert.IsType<CancelledException>(Assert.Single(translator.Calls).Outcome.Failure!.Value);
    }

    [Fact]
    public void T4_CustomTranslatorThatThrowsMakesThatTheFailure()
    {
        var clock = new Clock();
        var d = new Deferred<string>();
        var e = new CustomException();
        d.AddTimeout(Ten, clock, (_, _) => throw e);
        var failures = Failures(d);
        clock.Advance(Fifteen);
        Assert.Same(e, Assert.Single(failures).Value);
    }

    // ---- T5: the canceller's own result survives ----------------------------------------------------------

    [Fact]
    public void T5_CancellerSuccessSurvivesTheDefaultTranslation()
    {
        var clock = new Clock();
        var d = new Deferred<string>(x => x.Callback("I was cancelled"));
        d.AddTimeout(Ten, clock);
        clock.Advance(Fifteen);
        Assert.Equal("I was cancelled", d.Result.Value);
    }

    [Fact]
    public void T5_CancellerFailureOtherThanCancelledSurvivesTheDefaultTranslation()
    {
        var clock = new Clock();
        var e = new CustomException();
        var d = new Deferred<string>(x => x.Errback(e));
        d.AddTimeout(Ten, clock);
        var failures = Failures(d);
        clock.Advance(Fifteen);
        Assert.Same(e, Assert.Single(failures).Value);
    }

    [Fact]
    public void T5_CustomTranslatorIsStillCalledWithTheCancellersValue()
    {
        var clock = new Clock();
        var d = new Deferred<string>(x => x.Callback("I was cancelled"));
        var translator = new Translator();
        d.AddTimeout(Ten, clock, translator.Translate);
        clock.Advance(Fifteen);
        Assert.Equal("I was cancelled", Assert.Single(translator.Calls).Outcome.Value);
        Assert.Equal("OVERRIDDEN", d.Result.Value);
    }

    // ---- T6: manual cancel before the timeout -------------------------------------------------------------

    [Fact]
    public void T6_ManualCancelKeepsCancelledAndDisarmsTheTimer()
    {
        var clock = new Clock();
        var d = new Deferred<string>();
        d.AddTimeout(Ten, clock);
        var failures = Failures(d);
        d.Cancel();
        Assert.IsType<CancelledException>(Assert.Single(failures).Value);
        Assert.Empty(clock.GetDelayedCalls());
        clock.Advance(Fifteen);
        Assert.Single(failures);
    }

    [Fact]
    public void T6_ManualCancelDoesNotCallTheCustomTranslator()
    {
        var clock = new Clock();
        var d = new Deferred<string>();
        var translator = new Translator();
        d.AddTimeout(Ten, clock, translator.Translate);
        var failures = Failures(d);
        d.Cancel();
        clock.Advance(Fifteen);
        Assert.Empty(translator.Calls);
        Assert.IsType<CancelledException>(Assert.Single(failures).Value);
    }

    [Fact]
    public void TimeoutWhileWaitingOnAnInnerDeferredCancelsTheInner()
    {
        // The timer is only disarmed when the chain reaches it: an earlier callback's inner Deferred is cancelled.
        var clock = new Clock();
        int innerCancels = 0;
        var inner = new Deferred<string>(_ => innerCancels++);
        var d = new Deferred<string>();
        var waiting = d.AddCallback(_ => inner);
        waiting.AddTimeout(Ten, clock);
        var failures = Failures(waiting);
        d.Callback("go");
        clock.Advance(Fifteen);
        Assert.Equal(1, innerCancels);
        Assert.IsType<DeferredTimeoutException>(Assert.Single(failures).Value);
    }
}
