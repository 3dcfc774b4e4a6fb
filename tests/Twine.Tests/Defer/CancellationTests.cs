using Twine.Defer;

namespace Twine.Tests.Defer;

/// <summary>Cancellation (docs/behaviours.md §3, C1–C5).</summary>
public sealed class CancellationTests
{
    private sealed class CustomException : Exception;

    /// <summary>Handles the Deferred's failure and returns the list it will be recorded in.</summary>
    private static List<Failure> Catch<T>(Deferred<T> d)
    {
        var seen = new List<Failure>();
        d.AddErrback(f => { seen.Add(f); });
        return seen;
    }

    // ---- C1 ------------------------------------------------------------------------------------------------

    [Fact]
    public void C1_CancelCallsCancellerOnceWithTheDeferredThenFailsWithCancelled()
    {
        var calls = new List<Deferred<int>>();
        var d = new Deferred<int>(x => calls.Add(x));
        Failure? seen = null;
        d.AddErrback(f => { seen = f; });
        d.Cancel();
        Assert.Same(d, Assert.Single(calls));
        Assert.IsType<CancelledException>(seen!.Value);
        Assert.IsAssignableFrom<OperationCanceledException>(seen.Value);
    }

    [Fact]
    public void C1_RepeatedCancelCallsTheCancellerOnlyOnce()
    {
        int calls = 0;
        var d = new Deferred<int>(_ => calls++);
        d.AddErrback(_ => { });
        d.Cancel();
        d.Cancel();
        d.Cancel();
        Assert.Equal(1, calls);
    }

    // ---- C2 ------------------------------------------------------------------------------------------------

    [Fact]
    public void C2_CancellerThatCallsBackKeepsItsValue()
    {
        var d = new Deferred<string>(x => x.Callback("from canceller"));
        d.Cancel();
        Assert.Equal("from canceller", d.Result.Value);
    }

    [Fact]
    public void C2_CancellerThatErrbacksKeepsItsFailure()
    {
        var e = new CustomException();
        var d = new Deferred<string>(x => x.Errback(e));
        d.Cancel();
        Assert.Same(e, d.Result.Failure!.Value);
        d.AddErrback(_ => { });
    }

    // ---- C3, C4 ----------------------------------------------------------------------------------------------

    [Fact]
    public void C3_WithoutCancellerTheNextSingleCallbackIsSwallowed()
    {
        var d = new Deferred<int>();
        var failure = Catch(d);
        d.Cancel();
        Assert.IsType<CancelledException>(Assert.Single(failure).Value);
        d.Callback(1); // swallowed
        Assert.Throws<AlreadyCalledException>(() => d.Callback(2));
    }

    [Fact]
    public void C3_WithoutCancellerTheNextSingleErrbackIsSwallowed()
    {
        var d = new Deferred<int>();
        Catch(d);
        d.Cancel();
        d.Errback(new CustomException()); // swallowed
        Assert.Throws<AlreadyCalledException>(() => d.Errback(new CustomException()));
        Assert.Throws<AlreadyCalledException>(() => d.Callback(3));
    }

    [Fact]
    public void C3_SwallowedResultDoesNotReachCallbacks()
    {
        var d = new Deferred<int>();
        var seen = new List<string>();
        d.AddCallbacks(x => seen.Add("cb " + x), f => seen.Add("eb " + f.Type.Name));
        d.Cancel();
        d.Callback(5);
        Assert.Equal(["eb CancelledException"], seen);
    }

    [Fact]
    public void C4_CancellerThatDoesNotFireMeansNothingIsSwallowed()
    {
        var d = new Deferred<int>(_ => { });
        Catch(d);
        d.Cancel();
        Assert.Throws<AlreadyCalledException>(() => d.Callback(1));
    }

    // ---- C5 ------------------------------------------------------------------------------------------------

    [Fact]
    public void C5_CancelAfterCallbackDoesNothing()
    {
        int calls = 0;
        var d = new Deferred<int>(_ => calls++);
        d.Callback(4);
        d.Cancel();
        Assert.Equal(0, calls);
        Assert.Equal(4, d.Result.Value);
    }

    [Fact]
    public void C5_CancelAfterErrbackDoesNothing()
    {
        int calls = 0;
        var d = new Deferred<int>(_ => calls++);
        var e = new CustomException();
        d.Errback(e);
        d.Cancel();
        Assert.Equal(0, calls);
        Assert.Same(e, d.Result.Failure!.Value);
        d.AddErrback(_ => { });
    }

    [Fact]
    public void C5_NoCancellerRepeatedCancelIsHarmless()
    {
        var d = new Deferred<int>();
        var failure = Catch(d);
        d.Cancel();
        d.Cancel();
        Assert.IsType<CancelledException>(Assert.Single(failure).Value);
        d.Callback(1); // the single swallow is still available
    }

    [Fact]
    public void C5_CancelWhileWaitingIsForwardedToTheInnerDeferred()
    {
        int outerCancels = 0, innerCancels = 0;
        var inner = new Deferred<int>(_ => innerCancels++);
        var outer = new Deferred<int>(_ => outerCancels++);
        var chained = outer.AddCallback(_ => inner);
        Failure? seen = null;
        chained.AddErrback(f => { seen = f; return 0; });
        outer.Callback(1);
        outer.Cancel();
        Assert.Equal(0, outerCancels);
        Assert.Equal(1, innerCancels);
        Assert.IsType<CancelledException>(seen!.Value);
        Assert.False(outer.IsWaiting);
    }

    [Fact]
    public void C5_CancelForwardedToInnerWhoseCancellerCallsBackContinuesOuterWithTheValue()
    {
        var inner = new Deferred<string>(x => x.Callback("inner cancelled nicely"));
        var outer = new Deferred<int>();
        var chained = outer.AddCallback(_ => inner);
        outer.Callback(1);
        outer.Cancel();
        Assert.Equal("inner cancelled nicely", chained.Result.Value);
    }

    [Fact]
    public void CancellerExceptionPropagatesToTheCaller()
    {
        var d = new Deferred<int>(_ => throw new CustomException());
        Assert.Throws<CustomException>(() => d.Cancel());
        Assert.False(d.Called);
    }
}
