using Twine.Defer;

namespace Twine.Tests.Defer;

/// <summary>Promise.All, Race, Any and AllSettled.</summary>
public class PromiseCombinatorTests
{
    private readonly ManualCallSoon _soon = new();
    private static readonly InvalidOperationException Boom = new("boom");

    private Promise<T> Pending<T>(out Action<T> resolve, out Action<Exception> reject)
    {
        Action<T> res = null!;
        Action<Exception> rej = null!;
        var p = new Promise<T>(_soon, (a, b) => { res = a; rej = b; });
        resolve = res;
        reject = rej;
        return p;
    }

    private T Value<T>(Promise<T> p)
    {
        Outcome<T>? outcome = null;
        p.Then(v => { outcome = new Outcome<T>(v); }, f => { outcome = new Outcome<T>(f); });
        _soon.RunUntilIdle();
        Assert.True(outcome.HasValue, "the promise did not settle");
        return outcome.Value.Value;
    }

    private Failure Reason<T>(Promise<T> p)
    {
        Failure? seen = null;
        p.Catch(f => { seen = f; });
        _soon.RunUntilIdle();
        return Assert.IsType<Failure>(seen);
    }

    // ---- All --------------------------------------------------------------------------------------------------

    [Fact]
    public void AllFulfilsWithValuesInInputOrderWhateverTheSettlingOrder()
    {
        var a = Pending<int>(out var resolveA, out _);
        var b = Pending<int>(out var resolveB, out _);
        var all = Promise.All(a, Promise.Resolve(2, _soon), b);
        resolveB(3);
        _soon.RunUntilIdle();
        Assert.Equal(PromiseState.Pending, all.State);
        resolveA(1);
        Assert.Equal([1, 2, 3], Value(all));
    }

    [Fact]
    public void AllRejectsWithTheFirstRejectionWithoutWaitingForTheRest()
    {
        var slow = Pending<int>(out var resolveSlow, out _);
        var failure = new Failure(Boom);
        var later = Pending<int>(out _, out var rejectLater);
        var all = Promise.All(slow, Promise.Reject<int>(failure, _soon), later);
        Assert.Same(failure, Reason(all));
        rejectLater(new FormatException());
        resolveSlow(1);
        Assert.Same(failure, Reason(all)); // later outcomes change nothing
    }

    [Fact]
    public void AllOfNothingFulfilsWithAnEmptyArray()
    {
        var all = Promise.All(Array.Empty<Promise<int>>(), _soon);
        Assert.Equal(PromiseState.Fulfilled, all.State);
        Assert.Empty(Value(all));
    }

    [Fact]
    public void AllHandlersStillRunAsynchronously()
    {
        var all = Promise.All(Promise.Resolve(1, _soon), Promise.Resolve(2, _soon));
        bool ran = false;
        all.Then(_ => { ran = true; });
        Assert.False(ran);
        _soon.RunUntilIdle();
        Assert.True(ran);
    }

    [Fact]
    public void AllAcceptsAnyEnumerableAndMixedSources()
    {
        var d = new Deferred<int>();
        var inputs = new List<Promise<int>> { d.AsPromise(_soon), Task.FromResult(2).AsPromise(_soon), Promise.Resolve(3, _soon) };
        var all = Promise.All(inputs);
        d.Callback(1);
        Assert.Equal([1, 2, 3], Value(all));
    }

    [Fact]
    public void NullInputsAreRejectedWhenCalled()
    {
        Assert.Throws<ArgumentNullException>(() => Promise.All((IEnumerable<Promise<int>>)null!, _soon));
        Assert.Throws<ArgumentException>(() => Promise.Race(Promise.Resolve(1, _soon), null!));
    }

    // ---- Race -------------------------------------------------------------------------------------------------

    [Fact]
    public void RaceSettlesLikeTheFirstInputToFulfil()
    {
        var a = Pending<string>(out var resolveA, out _);
        var b = Pending<string>(out var resolveB, out _);
        var race = Promise.Race(a, b);
        resolveB("b");
        resolveA("a");
        Assert.Equal("b", Value(race));
    }

    [Fact]
    public void RaceSettlesLikeTheFirstInputToReject()
    {
        var a = Pending<string>(out var resolveA, out _);
        var b = Pending<string>(out _, out var rejectB);
        var race = Promise.Race(a, b);
        rejectB(Boom);
        resolveA("a");
        Assert.Same(Boom, Reason(race).Value);
    }

    [Fact]
    public void RaceOfNothingStaysPending()
    {
        var race = Promise.Race(Array.Empty<Promise<int>>(), _soon);
        _soon.RunUntilIdle();
        Assert.Equal(PromiseState.Pending, race.State);
    }

    // ---- Any --------------------------------------------------------------------------------------------------

    [Fact]
    public void AnyFulfilsWithTheFirstFulfilmentEvenAfterRejections()
    {
        var a = Pending<int>(out var resolveA, out _);
        var any = Promise.Any(Promise.Reject<int>(Boom, _soon), a, Promise.Reject<int>(new FormatException(), _soon));
        _soon.RunUntilIdle();
        Assert.Equal(PromiseState.Pending, any.State);
        resolveA(7);
        Assert.Equal(7, Value(any));
    }

    [Fact]
    public void AnyRejectsWithAnAggregateInInputOrderWhenAllReject()
    {
        var first = new FormatException();
        var a = Pending<int>(out _, out var rejectA);
        var any = Promise.Any(a, Promise.Reject<int>(Boom, _soon));
        rejectA(first);
        var error = Assert.IsType<AggregateException>(Reason(any).Value);
        Assert.Equal<Exception>([first, Boom], error.InnerExceptions);
    }

    [Fact]
    public void AnyOfNothingRejects()
    {
        var any = Promise.Any(Array.Empty<Promise<int>>(), _soon);
        Assert.IsType<AggregateException>(Reason(any).Value);
    }

    // ---- AllSettled -------------------------------------------------------------------------------------------

    [Fact]
    public void AllSettledReportsEveryOutcomeInInputOrder()
    {
        var failure = new Failure(Boom);
        var a = Pending<int>(out var resolveA, out _);
        var settled = Promise.AllSettled(a, Promise.Reject<int>(failure, _soon), Promise.Resolve(3, _soon));
        _soon.RunUntilIdle();
        Assert.Equal(PromiseState.Pending, settled.State);
        resolveA(1);
        var outcomes = Value(settled);
        Assert.Equal(3, outcomes.Length);
        Assert.Equal(1, outcomes[0].Value);
        Assert.Same(failure, outcomes[1].Failure);
        Assert.Equal(3, outcomes[2].Value);
    }

    [Fact]
    public void AllSettledOfNothingFulfilsWithAnEmptyArray() =>
        Assert.Empty(Value(Promise.AllSettled(Array.Empty<Promise<int>>(), _soon)));

    // ---- which scheduler ----------------------------------------------------------------------------------------

    [Fact]
    public void CombinedPromiseUsesTheExplicitSchedulerThenTheDefaultThenTheFirstInputs()
    {
        var explicitOne = new ManualCallSoon();
        var defaultOne = new ManualCallSoon();
        var input = Promise.Resolve(1, _soon);
        var saved = Promise.DefaultScheduler;
        Promise.DefaultScheduler = null;
        try
        {
            Assert.Same(_soon, Promise.All(input).Scheduler);
            Assert.Same(explicitOne, Promise.Race([input], explicitOne).Scheduler);
            using (Promise.UseScheduler(defaultOne)) Assert.Same(defaultOne, Promise.Any(input).Scheduler);
            Assert.Throws<InvalidOperationException>(() => Promise.AllSettled<int>());
        }
        finally
        {
            Promise.DefaultScheduler = saved;
        }
    }
}
