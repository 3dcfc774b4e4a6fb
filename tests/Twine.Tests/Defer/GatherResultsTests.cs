using static Twine.Tests.Defer.DeferredAssert;
using Twine.Defer;

namespace Twine.Tests.Defer;

public class GatherResultsTests
{
    [Fact]
    public void DL8_FiresWithValuesInInputOrder()
    {
        var d1 = new Deferred<int>();
        var d2 = new Deferred<int>();
        var gathered = Deferred.GatherResults([d1, d2, Deferred.Succeed(3)]);
        d2.Callback(2);
        Assert.False(gathered.Called);
        d1.Callback(1);
        Assert.Equal([1, 2, 3], gathered.Result.Value);
    }

    [Fact]
    public void DL8_EmptyInputFiresWithEmptyList()
    {
        Assert.Empty(Deferred.GatherResults(Array.Empty<Deferred<string>>()).Result.Value);
    }

    [Fact]
    public void DL8_FailsFastWithFirstErrorWithoutWaitingForOrCancellingOthers()
    {
        int cancels = 0;
        var slow = new Deferred<int>(_ => cancels++);
        var failing = new Deferred<int>();
        var gathered = Deferred.GatherResults([slow, failing]);
        var boom = new InvalidOperationException("boom");
        failing.Errback(boom);

        var error = Assert.IsType<FirstErrorException>(FailureOf(gathered).Value);
        Assert.Equal(1, error.Index);
        Assert.Same(boom, error.SubFailure.Value);
        Assert.False(slow.Called);
        Assert.Equal(0, cancels);
        slow.Callback(1); // does not fire anything again
        FailureOf(failing); // not consumed: the input still holds its failure
    }

    [Fact]
    public void DL8_ConsumeErrorsLeavesTheInputHoldingDefault()
    {
        var failing = new Deferred<string>();
        var gathered = Deferred.GatherResults([failing], consumeErrors: true);
        failing.Errback(new ArgumentException("x"));
        Assert.IsType<FirstErrorException>(FailureOf(gathered).Value);
        Assert.False(failing.IsFailed);
        Assert.Null(failing.Result.Value);
    }

    [Fact]
    public void DL8_CancelCancelsAllInputsAndFailsWithFirstErrorOfCancelled()
    {
        var d1 = new Deferred<int>();
        var d2 = new Deferred<int>();
        var gathered = Deferred.GatherResults([d1, d2], consumeErrors: true);
        gathered.Cancel();

        var error = Assert.IsType<FirstErrorException>(FailureOf(gathered).Value);
        Assert.Equal(0, error.Index);
        Assert.IsType<CancelledException>(error.SubFailure.Value);
        Assert.True(d1.Called);
        Assert.True(d2.Called);
    }

    [Fact]
    public void DL8_CancelWhenEveryCancellerCallsBackGivesTheResults()
    {
        var d1 = new Deferred<string>(d => d.Callback("a"));
        var d2 = new Deferred<string>(d => d.Callback("b"));
        var gathered = Deferred.GatherResults([d1, d2]);
        gathered.Cancel();
        Assert.Equal(["a", "b"], gathered.Result.Value);
    }

    [Fact]
    public void DL8_UntypedInputsFromAsyncDeferredMethods()
    {
        var gate = new Deferred<int>();
        var log = new List<string>();
        async Deferred Step(string name)
        {
            await gate;
            log.Add(name);
        }

        // Both wait on one Deferred: the first await consumes it, so the second sees default (IC4).
        var gathered = Deferred.GatherResults([Step("a"), Step("b")]);
        Assert.False(gathered.Called);
        gate.Callback(1);
        Assert.True(gathered.Called);
        Assert.False(gathered.IsFailed);
        Assert.Equal(["a", "b"], log);
    }

    [Fact]
    public void DL8_UntypedInputsFailFast()
    {
        var boom = new InvalidOperationException("step failed");
        var gate = new Deferred<int>();
        async Deferred Fails()
        {
            await Deferred.Succeed(0);
            throw boom;
        }
        async Deferred Waits() => await gate;

        var gathered = Deferred.GatherResults([Waits(), Fails()], consumeErrors: true);
        var error = Assert.IsType<FirstErrorException>(FailureOf(gathered).Value);
        Assert.Equal(1, error.Index);
        Assert.Same(boom, error.SubFailure.Value);
    }

    [Fact]
    public async Task DL8_CanBeAwaited()
    {
        var d = new Deferred<int>();
        var gathered = Deferred.GatherResults([d, Deferred.Succeed(2)]);
        d.Callback(1);
        Assert.Equal([1, 2], await gathered);
    }
}
