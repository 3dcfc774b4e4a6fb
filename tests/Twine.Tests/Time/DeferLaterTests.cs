using Twine.Defer;
using Twine.Time;

namespace Twine.Tests.Time;

public sealed class DeferLaterTests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    private sealed class TestException : Exception;

    [Fact]
    public void DLa1_Callback_FiresWithTheFunctionsValueAfterTheDelay()
    {
        var clock = new Clock();
        var flag = new object();
        int calls = 0;
        var d = clock.DeferLater(S(3), () => { calls++; return flag; });

        clock.Advance(S(2));
        Assert.Equal(0, calls);
        Assert.False(d.Called);

        clock.Advance(S(1));
        Assert.Equal(1, calls);
        Assert.Same(flag, d.Result.Value);
    }

    [Fact]
    public void DLa1_Errback_AThrowingFunctionFailsTheDeferred()
    {
        var clock = new Clock();
        var ex = new TestException();
        int Broken() => throw ex;
        var d = clock.DeferLater(S(1), Broken);
        clock.Advance(S(1));
        Assert.Same(ex, d.Result.Failure!.Value);
        d.AddErrback(_ => 0);
    }

    [Fact]
    public void DLa1_NoCallback_FiresWithNoValue()
    {
        var clock = new Clock();
        var d = clock.DeferLater(S(2));
        Assert.False(d.Called);
        clock.Advance(S(2));
        Assert.True(d.Result.Succeeded);
        Assert.Equal(Unit.Value, d.Result.Value);
    }

    [Fact]
    public void DLa1_ActionRunsAfterTheDelay()
    {
        var clock = new Clock();
        int calls = 0;
        var d = clock.DeferLater(S(1), () => { calls++; });
        clock.Advance(S(0.5));
        Assert.Equal(0, calls);
        clock.Advance(S(0.5));
        Assert.Equal(1, calls);
        Assert.True(d.Result.Succeeded);
    }

    [Fact]
    public void DLa1_AReturnedDeferredIsChained()
    {
        var clock = new Clock();
        var inner = new Deferred<int>();
        var d = clock.DeferLater(S(1), () => inner);
        clock.Advance(S(1));
        Assert.True(d.IsWaiting);
        inner.Callback(7);
        Assert.Equal(7, d.Result.Value);
    }

    [Fact]
    public void DLa1_AThrowingLambdaWithAnExplicitTypeArgumentCompilesAndFails()
    {
        // Both the value and the Deferred overload fit `() => throw`; this used to be CS0121.
        var clock = new Clock();
        var d = clock.DeferLater<int>(S(1), () => throw new TestException());
        clock.Advance(S(1));
        Assert.IsType<TestException>(d.Result.Failure!.Value);
    }

    [Fact]
    public void DLa1_AnExpressionLambdasValueIsTheResultAndABlockGivesNone()
    {
        // As Task.Run does: `() => flag = true` is a Func<bool>, so its value is the result. A block has none.
        var clock = new Clock();
        bool flag = false, other = false;
        Deferred<bool> valued = clock.DeferLater(S(1), () => flag = true);
        Deferred<Unit> none = clock.DeferLater(S(1), () => { other = true; });
        clock.Advance(S(1));
        Assert.True(flag && other);
        Assert.True(valued.Result.Value);
        Assert.True(none.Result.Succeeded);
    }

    [Fact]
    public void DLa1_ADeferredReturnedThroughTheValueOverloadIsChainedToo()
    {
        // DeferLater<object> binds Func<object>: the Deferred arrives as a plain value and still chains (CH1).
        var clock = new Clock();
        var inner = new Deferred<string>();
        var d = clock.DeferLater<object>(S(1), () => inner);
        clock.Advance(S(1));
        Assert.True(d.IsWaiting);
        inner.Callback("late");
        Assert.Equal("late", d.Result.Value);
    }

    [Fact]
    public void DLa2_Cancel_CancelsTheTimerAndNeverCallsTheFunction()
    {
        var clock = new Clock();
        int calls = 0;
        var d = clock.DeferLater(S(1), () => { calls++; return 1; });
        Assert.Single(clock.GetDelayedCalls());

        d.Cancel();
        Assert.Empty(clock.GetDelayedCalls());
        Assert.IsType<CancelledException>(d.Result.Failure!.Value);
        d.AddErrback(_ => 0);

        clock.Advance(S(5));
        Assert.Equal(0, calls);
    }

    [Fact]
    public void DLa2_CancelAfterTheCallCancelsTheDeferredBeingWaitedOn()
    {
        var clock = new Clock();
        bool innerCancelled = false;
        var inner = new Deferred<int>(_ => innerCancelled = true);
        var d = clock.DeferLater(S(1), () => inner);
        clock.Advance(S(1));
        d.Cancel();
        Assert.True(innerCancelled);
        Assert.IsType<CancelledException>(d.Result.Failure!.Value);
        d.AddErrback(_ => 0);
    }

    [Fact]
    public void DLa1_NegativeDelayIsRejected()
    {
        var clock = new Clock();
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.DeferLater(S(-1), () => 1));
        Assert.Empty(clock.GetDelayedCalls());
    }
}
