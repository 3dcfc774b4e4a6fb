using static Twine.Tests.Defer.DeferredAssert;
using Twine.Defer;
using Twine.Logging;

namespace Twine.Tests.Defer;

public class DeferredListTests
{
    /// <summary>The failure a fired Deferred holds; handled afterwards so it is not reported at collection.</summary>
    [Fact]
    public void DL1_IsADeferredAndCopiesTheInputList()
    {
        var d1 = new Deferred<int>();
        var inputs = new List<Deferred<int>> { d1 };
        var list = new DeferredList<int>(inputs);
        Assert.IsAssignableFrom<Deferred<IReadOnlyList<Outcome<int>>>>(list);

        inputs.Add(new Deferred<int>()); // not seen by the list: it copied the inputs
        IReadOnlyList<Outcome<int>>? results = null;
        list.AddCallback(r => { results = r; });
        d1.Callback(1);

        Assert.NotNull(results);
        Assert.Single(results);
        Assert.Equal(1, list.Count);
    }

    [Fact]
    public void DL2_FiresOnceAllHaveFiredWithOutcomesInInputOrder()
    {
        var d1 = new Deferred<string>();
        var d2 = new Deferred<string>();
        var d3 = new Deferred<string>();
        var list = new DeferredList<string>([d1, d2, d3]);
        IReadOnlyList<Outcome<string>>? results = null;
        list.AddCallback(r => { results = r; });

        d3.Callback("three");
        var boom = new InvalidOperationException("two");
        d2.Errback(boom);
        Assert.Null(results);
        d1.Callback("one");

        Assert.NotNull(results);
        Assert.Equal(3, results.Count);
        Assert.True(results[0].Succeeded);
        Assert.Equal("one", results[0].Value);
        Assert.False(results[1].Succeeded);
        Assert.Same(boom, results[1].Failure!.Value);
        Assert.Equal("three", results[2].Value);
        FailureOf(d2);
    }

    [Fact]
    public void DL2_AlreadyFiredInputsFireTheListDuringConstruction()
    {
        var failed = Deferred.Fail<int>(new ArgumentException("bad"));
        var list = new DeferredList<int>([Deferred.Succeed(1), failed, Deferred.Succeed(3)]);

        Assert.True(list.Called);
        var results = list.Result.Value;
        Assert.Equal(1, results[0].Value);
        Assert.IsType<ArgumentException>(results[1].Failure!.Value);
        Assert.Equal(3, results[2].Value);
        FailureOf(failed);
    }

    [Fact]
    public void DL3_EmptyListFiresAtOnceWithEmptyList()
    {
        var list = new DeferredList<int>([]);
        Assert.True(list.Called);
        Assert.Empty(list.Result.Value);
    }

    [Fact]
    public void DL3_EmptyListWithFireOnOneCallbackNeverFires()
    {
        var first = Deferred.FirstSuccess(Array.Empty<Deferred<int>>());
        Assert.False(first.Called);
    }

    [Fact]
    public void DL4_FireOnOneCallbackFiresWithFirstSuccessAndIndex()
    {
        var d1 = new Deferred<string>();
        var d2 = new Deferred<string>();
        var d3 = new Deferred<string>();
        var first = Deferred.FirstSuccess([d1, d2, d3]);
        int fired = 0;
        (string Value, int Index) winner = default;
        first.AddCallback(r => { fired++; winner = r; });

        d1.Errback(new InvalidOperationException("not this one"));
        Assert.Equal(0, fired);
        d3.Callback("three");
        Assert.Equal(1, fired);
        Assert.Equal(("three", 2), winner);

        d2.Callback("two"); // recorded, but nothing fires again
        Assert.Equal(1, fired);
        FailureOf(d1);
    }

    [Fact]
    public void DL4_FireOnOneCallbackWithAlreadyFiredInput()
    {
        var first = Deferred.FirstSuccess([new Deferred<int>(), Deferred.Succeed(42)]);
        Assert.Equal((42, 1), first.Result.Value);
    }

    [Fact]
    public void DL4_FireOnOneCallbackFailsWithAllFailuresWhenNothingSucceeds()
    {
        var d1 = new Deferred<int>();
        var d2 = new Deferred<int>();
        var first = Deferred.FirstSuccess([d1, d2], consumeErrors: true);
        var e1 = new InvalidOperationException("one");
        var e2 = new TimeoutException("two");
        d2.Errback(e2);
        Assert.False(first.Called);
        d1.Errback(e1);

        var all = Assert.IsType<AllFailedException>(FailureOf(first).Value);
        Assert.Equal(2, all.Failures.Count);
        Assert.Same(e1, all.Failures[0].Value);
        Assert.Same(e2, all.Failures[1].Value);
        Assert.Equal([e1, e2], all.InnerExceptions);
    }

    [Fact]
    public void DL4_DL5_FireOnOneCallbackAndErrbackTogetherFirstOutcomeWins()
    {
        var d1 = new Deferred<int>();
        var d2 = new Deferred<int>();
        var first = Deferred.FirstSuccess([d1, d2], fireOnOneErrback: true, consumeErrors: true);
        var boom = new InvalidOperationException("boom");
        d2.Errback(boom);
        var error = Assert.IsType<FirstErrorException>(FailureOf(first).Value);
        Assert.Equal(1, error.Index);
        Assert.Same(boom, error.SubFailure.Value);
        d1.Callback(1); // no AlreadyCalled
    }

    [Fact]
    public void DL5_FireOnOneErrbackFailsWithFirstErrorAndIndex()
    {
        var d1 = new Deferred<int>();
        var d2 = new Deferred<int>();
        var list = new DeferredList<int>([d1, d2], fireOnOneErrback: true);
        d1.Callback(1);
        var boom = new ArgumentException("boom");
        d2.Errback(boom);

        var error = Assert.IsType<FirstErrorException>(FailureOf(list).Value);
        Assert.Equal(1, error.Index);
        Assert.Same(boom, error.SubFailure.Value);
        FailureOf(d2);
    }

    [Fact]
    public void DL5_FireOnOneErrbackWithAlreadyFailedInputFailsDuringConstruction()
    {
        var failed = Deferred.Fail<int>(new ArgumentException("early"));
        var pending = new Deferred<int>();
        var list = new DeferredList<int>([pending, failed], fireOnOneErrback: true);

        Assert.True(list.Called);
        var error = Assert.IsType<FirstErrorException>(FailureOf(list).Value);
        Assert.Equal(1, error.Index);
        pending.Callback(0); // later results do not fire the list again
        FailureOf(failed);
    }

    [Fact]
    public void DL6_InputsKeepTheirResultsForLaterCallbacks()
    {
        var d1 = new Deferred<int>();
        var d2 = new Deferred<int>();
        _ = new DeferredList<int>([d1, d2]);
        var boom = new InvalidOperationException("kept");
        d1.Callback(7);
        d2.Errback(boom);

        int seen = 0;
        d1.AddCallback(v => { seen = v; });
        Assert.Equal(7, seen);
        Assert.Same(boom, FailureOf(d2).Value); // the failure is still the input's: not consumed
    }

    [Fact]
    public void DL6_ConsumeErrorsLeavesFailedInputHoldingDefault()
    {
        var d1 = new Deferred<string>();
        var d2 = new Deferred<string>();
        var list = new DeferredList<string>([d1, d2], consumeErrors: true);
        d1.Errback(new InvalidOperationException("consumed"));
        d2.Callback("ok");

        Assert.False(d1.IsFailed);
        Assert.True(d1.Result.Succeeded);
        Assert.Null(d1.Result.Value);
        Assert.Equal("ok", d2.Result.Value); // successes pass through even with consumeErrors
        Assert.IsType<InvalidOperationException>(list.Result.Value[0].Failure!.Value);
    }

    [Fact]
    public void DL7_CancelCancelsEveryInputAndFiresByTheNormalRules()
    {
        var d1 = new Deferred<int>();
        var d2 = new Deferred<int>();
        var list = new DeferredList<int>([d1, d2], consumeErrors: true);
        list.Cancel();

        Assert.True(list.Called);
        var results = list.Result.Value;
        Assert.IsType<CancelledException>(results[0].Failure!.Value);
        Assert.IsType<CancelledException>(results[1].Failure!.Value);
    }

    [Fact]
    public void DL7_CancelCancelsTheOriginalInputs()
    {
        var cancelled = new List<Deferred<int>>();
        var d1 = new Deferred<int>(d => cancelled.Add(d));
        var d2 = new Deferred<int>(d => cancelled.Add(d));
        var list = new DeferredList<int>([d1, d2], consumeErrors: true);
        list.Cancel();
        Assert.Equal([d1, d2], cancelled);
    }

    [Fact]
    public void DL7_CancellerThatCallsBackGivesASuccessEntry()
    {
        var d1 = new Deferred<string>(d => d.Callback("hello"));
        var d2 = new Deferred<string>();
        var list = new DeferredList<string>([d1, d2], consumeErrors: true);
        list.Cancel();

        var results = list.Result.Value;
        Assert.Equal("hello", results[0].Value);
        Assert.IsType<CancelledException>(results[1].Failure!.Value);
    }

    [Fact]
    public void DL7_CancelFirstSuccessWhoseCancellerCallsBack()
    {
        var d1 = new Deferred<string>();
        var d2 = new Deferred<string>(d => d.Callback("from canceller"));
        var first = Deferred.FirstSuccess([d1, d2], consumeErrors: true);
        first.Cancel();
        Assert.Equal(("from canceller", 1), first.Result.Value);
    }

    [Fact]
    public void DL7_CancelFirstSuccessWhenEveryInputIsCancelled()
    {
        var first = Deferred.FirstSuccess([new Deferred<int>(), new Deferred<int>()], consumeErrors: true);
        first.Cancel();
        var all = Assert.IsType<AllFailedException>(FailureOf(first).Value);
        Assert.All(all.Failures, f => Assert.IsType<CancelledException>(f.Value));
    }

    [Fact]
    public void DL7_CancelWithFireOnOneErrbackAndAllCancellersCallingBack()
    {
        var d1 = new Deferred<int>(d => d.Callback(1));
        var d2 = new Deferred<int>(d => d.Callback(2));
        var list = new DeferredList<int>([d1, d2], fireOnOneErrback: true);
        list.Cancel();
        Assert.Equal([1, 2], list.Result.Value.Select(o => o.Value));
    }

    [Fact]
    public void DL7_CancellerExceptionIsLoggedNotPropagated()
    {
        var marker = new InvalidOperationException("canceller exploded " + Guid.NewGuid());
        var logged = new List<LogEvent>();
        void Observe(LogEvent e)
        {
            if (ReferenceEquals(e.Failure?.Value, marker)) lock (logged) logged.Add(e);
        }
        Log.Observed += Observe;
        try
        {
            var d1 = new Deferred<int>(_ => throw marker);
            var d2 = new Deferred<int>();
            var list = new DeferredList<int>([d1, d2], consumeErrors: true);
            list.Cancel(); // does not throw

            Assert.True(d2.Called); // the other input was still cancelled
            Assert.False(d1.Called); // its canceller threw before the Deferred could fail
            Assert.False(list.Called);
            var e = Assert.Single(logged);
            Assert.Equal(LogLevel.Error, e.Level);
        }
        finally
        {
            Log.Observed -= Observe;
        }
    }

    [Fact]
    public void DL7_CancelAfterFireOnOneErrbackDoesNothing()
    {
        int cancels = 0;
        var pending = new Deferred<int>(_ => cancels++);
        var list = new DeferredList<int>([pending, Deferred.Fail<int>(new ArgumentException())], fireOnOneErrback: true, consumeErrors: true);
        Assert.True(list.Called);
        list.Cancel();
        Assert.Equal(0, cancels);
        Assert.False(pending.Called);
        FailureOf(list);
    }

    [Fact]
    public void DL7_CancelAfterFireOnOneCallbackDoesNothing()
    {
        int cancels = 0;
        var pending = new Deferred<int>(_ => cancels++);
        var first = Deferred.FirstSuccess([pending, Deferred.Succeed(5)]);
        first.Cancel();
        Assert.Equal(0, cancels);
        Assert.Equal((5, 1), first.Result.Value);
    }

    [Fact]
    public void DL1_StaleInputReferenceIsRejectedBeforeAnythingIsAttached()
    {
        var fresh = new Deferred<int>();
        var stale = new Deferred<int>();
        stale.AddCallback(x => x.ToString()); // the chain moved on to string
        Assert.Throws<StaleDeferredException>(() => new DeferredList<int>([fresh, stale]));

        int seen = 0;
        fresh.AddCallback(v => { seen = v; });
        fresh.Callback(3); // no list link was attached to it
        Assert.Equal(3, seen);
    }

    [Fact]
    public void DL1_InputMayBeTheViewReturnedByATypeChangingCallback()
    {
        var root = new Deferred<int>(d => d.Callback(-1));
        var view = root.AddCallback(x => $"#{x}");
        var list = new DeferredList<string>([view]);
        root.Callback(5);
        Assert.Equal("#5", list.Result.Value[0].Value);

        var cancelledRoot = new Deferred<int>(d => d.Callback(-1));
        var cancelledList = new DeferredList<string>([cancelledRoot.AddCallback(x => $"#{x}")]);
        cancelledList.Cancel(); // reaches the chain's root and its canceller
        Assert.Equal("#-1", cancelledList.Result.Value[0].Value);
    }

    [Fact]
    public void DL1_NullInputIsRejected()
    {
        Assert.Throws<ArgumentException>(() => new DeferredList<int>([new Deferred<int>(), null!]));
        Assert.Throws<ArgumentNullException>(() => new DeferredList<int>(null!));
    }
}
