using Twine.Defer;

namespace Twine.Tests.Defer;

/// <summary>
/// Two consecutive same-type callbacks share one link (the fast path of <c>AddCallback(Func&lt;T, T&gt;)</c>). These
/// check that they still behave exactly as two separate callbacks: order (D2, D6), failures (D3) and pauses (D8, CH1)
/// between them.
/// </summary>
public sealed class SameTypeChainTests
{
    private sealed class CustomException(string message = "custom") : Exception(message);

    [Fact]
    public void D2_ManySameTypeCallbacksRunInOrder()
    {
        var d = new Deferred<string>();
        for (int i = 0; i < 7; i++)
        {
            int n = i;
            d.AddCallback(s => s + n);
        }
        d.Callback(">");
        Assert.Equal(">0123456", d.Result.Value);
    }

    [Fact]
    public void D3_FailureInTheFirstOfAPairSkipsTheSecondAndReachesTheErrback()
    {
        var d = new Deferred<int>();
        var ran = new List<string>();
        d.AddCallback(x => { ran.Add("first"); throw new CustomException(); })
         .AddCallback(x => { ran.Add("second"); return x; })
         .AddErrback(f => { ran.Add("errback " + f.Type.Name); return 7; });
        d.Callback(1);
        Assert.Equal(["first", "errback CustomException"], ran);
        Assert.Equal(7, d.Result.Value);
    }

    [Fact]
    public void D8_PauseInTheFirstOfAPairHoldsTheSecondUntilUnpaused()
    {
        var d = new Deferred<int>();
        var ran = new List<int>();
        d.AddCallback(x => { ran.Add(x); d.Pause(); return x + 1; })
         .AddCallback(x => { ran.Add(x); return x * 10; });
        d.Callback(1);
        Assert.Equal([1], ran);
        Assert.Equal(1, d.Paused);
        d.Unpause();
        Assert.Equal([1, 2], ran);
        Assert.Equal(20, d.Result.Value);
    }

    [Fact]
    public void D8_CallbacksAddedWhilePausedBetweenAPairRunAfterTheSecond()
    {
        var d = new Deferred<int>();
        var ran = new List<string>();
        d.AddCallback(x => { ran.Add("a"); d.Pause(); return x; })
         .AddCallback(x => { ran.Add("b"); return x; });
        d.Callback(0);
        d.AddCallback(x => { ran.Add("c"); return x; });
        d.AddCallback(x => { ran.Add("d"); return x; });
        d.AddCallback(x => { ran.Add("e"); return x; });
        Assert.Equal(["a"], ran);
        d.Unpause();
        Assert.Equal(["a", "b", "c", "d", "e"], ran);
    }

    [Fact]
    public void D6_CallbackAddedByTheFirstOfAPairRunsAfterTheSecond()
    {
        var d = new Deferred<int>();
        var ran = new List<string>();
        d.AddCallback(x => { ran.Add("a"); d.AddCallback(y => { ran.Add("added"); return y; }); return x; })
         .AddCallback(x => { ran.Add("b"); return x; });
        d.Callback(0);
        Assert.Equal(["a", "b", "added"], ran);
    }

    [Fact]
    public void D6_CallbacksAddedByTheLastCallbackRunInTheSameLoop()
    {
        var d = new Deferred<int>();
        var ran = new List<int>();
        Func<int, int>? step = null;
        step = x =>
        {
            ran.Add(x);
            if (x < 5) d.AddCallback(step!);
            return x + 1;
        };
        d.AddCallback(step);
        d.Callback(0);
        Assert.Equal([0, 1, 2, 3, 4, 5], ran);
        Assert.Equal(6, d.Result.Value);
    }

    [Fact]
    public void CH1_FirstOfAPairReturningAPendingDeferredHoldsTheSecondUntilItFires()
    {
        var inner = new Deferred<object>();
        var d = new Deferred<object>();
        var ran = new List<object?>();
        // Func<object, object>: the same-type path, chaining at run time because the value is a Deferred.
        d.AddCallback(x => { ran.Add(x); return (object)inner; })
         .AddCallback(x => { ran.Add(x); return (object)("after " + x); });
        d.Callback("start");
        Assert.Equal(["start"], ran);
        Assert.True(d.IsWaiting);
        inner.Callback("inner");
        Assert.Equal(["start", "inner"], ran);
        Assert.Equal("after inner", d.Result.Value);
    }

    [Fact]
    public void ExceptionEscapingALinkLeavesTheRestOfTheChainToRun()
    {
        // An awaiter continuation is the one kind of link whose exception leaves the loop (to the code that fired).
        var d = new Deferred<int>();
        var ran = new List<string>();
        d.GetAwaiter().OnCompleted(() => { ran.Add("continuation"); throw new CustomException(); });
        d.AddCallback(x => { ran.Add("after"); return x; });
        Assert.Throws<CustomException>(() => d.Callback(1));
        Assert.Equal(["continuation"], ran);
        Assert.False(d.IsWaiting);
        // The chain is not left marked as running: the next addition runs at once, after the link still pending.
        d.AddCallback(x => { ran.Add("later"); return x; });
        Assert.Equal(["continuation", "after", "later"], ran);
    }
}
