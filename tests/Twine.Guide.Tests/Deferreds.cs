using Twine.Defer;
using Twine.Time;

namespace Twine.Guide.Tests;

/// <summary>docs/guide/deferreds.md: making, chaining and awaiting Deferreds.</summary>
public sealed class Deferreds
{
    // A result that is not there yet: the function returns at once, and fires the Deferred later.
    public static Deferred<int> SlowMultiply(IReactorTime time, int x, int y)
    {
        var d = new Deferred<int>();
        time.CallLater(TimeSpan.FromSeconds(3), () => d.Callback(x * y));
        return d;
    }

    public static Deferred<string> Describe(IReactorTime time) =>
        SlowMultiply(time, 5, 7)
            .AddCallback(product => product * 2)                 // same type: Deferred<int>
            .AddCallback(doubled => $"twice 5 * 7 is {doubled}"); // new type: Deferred<string>

    public static Deferred<string> FetchOrFallback(Deferred<string> fetch) =>
        fetch.AddErrback(failure =>
        {
            failure.Trap<TimeoutException>();   // anything else goes on down the chain as a failure
            return "cached copy";
        });

    // inlineCallbacks, the C# way: an async method returning a Deferred runs synchronously until its first
    // unfired await, and its Deferred fires when it returns (or fails with what it throws).
    public static async Deferred<int> SumOfSquares(IReactorTime time, int a, int b)
    {
        int a2 = await time.DeferLater(TimeSpan.FromSeconds(1), () => a * a);
        int b2 = await time.DeferLater(TimeSpan.FromSeconds(1), () => b * b);
        return a2 + b2;
    }

    public static Deferred<IReadOnlyList<int>> ThreeAtOnce(IReactorTime time) =>
        Deferred.GatherResults([SlowMultiply(time, 1, 2), SlowMultiply(time, 3, 4), SlowMultiply(time, 5, 6)]);

    [Fact]
    public void CallbacksRunWhenTheResultArrives()
    {
        var clock = new Clock();
        var d = Describe(clock);
        Assert.False(d.Called);
        clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal("twice 5 * 7 is 70", d.Result.Value);
    }

    [Fact]
    public void AnErrbackRecoversFromTheFailureItTraps()
    {
        var fetch = new Deferred<string>();
        var d = FetchOrFallback(fetch);
        fetch.Errback(new TimeoutException());
        Assert.Equal("cached copy", d.Result.Value);
    }

    [Fact]
    public void AnErrbackPassesOnWhatItDoesNotTrap()
    {
        var fetch = new Deferred<string>();
        var d = FetchOrFallback(fetch);
        fetch.Errback(new InvalidDataException("bad"));
        Assert.IsType<InvalidDataException>(d.Result.Failure!.Value);
    }

    [Fact]
    public void AnAsyncDeferredMethodAwaitsInTurn()
    {
        var clock = new Clock();
        var d = SumOfSquares(clock, 3, 4);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(d.Called);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(25, d.Result.Value);
    }

    [Fact]
    public void GatherResultsWaitsForAll()
    {
        var clock = new Clock();
        var d = ThreeAtOnce(clock);
        clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal([2, 12, 30], d.Result.Value);
    }
}
