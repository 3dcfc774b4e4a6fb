using Twine.Defer;

namespace Twine.Tests.Defer;

/// <summary>Promises/A+ 2.2.6 (then called many times: order, branching) and 2.2.7 (then returns a promise: chaining).</summary>
public class PromiseAplusChainingTests : PromiseAplusFixture
{
    // ---- 2.2.6 then may be called multiple times on the same promise ---------------------------------------------

    [Theory, MemberData(nameof(Modes))]
    public void A2_2_6_1_FulfilledHandlersRunInRegistrationOrder(Mode mode)
    {
        var (p, settle) = Fulfilled(Sentinel, mode);
        var order = new List<int>();
        p.Then(v => order.Add(1));
        p.Then(v => order.Add(2), f => order.Add(-2));
        p.Then(v => order.Add(3));
        settle();
        _soon.RunUntilIdle();
        Assert.Equal([1, 2, 3], order);
    }

    [Theory, MemberData(nameof(Modes))]
    public void A2_2_6_1_MultipleBranchesHaveTheirOwnValues(Mode mode)
    {
        var (p, settle) = Fulfilled(10, mode);
        var a = p.Then(v => v + 1);
        var b = p.Then(v => $"v{v}");
        var c = p.Then(Throws<int, int>(Dummy));
        int? seenA = null;
        string? seenB = null;
        Failure? seenC = null;
        a.Then(v => { seenA = v; });
        b.Then(v => { seenB = v; });
        c.Catch(f => { seenC = f; });
        settle();
        _soon.RunUntilIdle();
        Assert.Equal(11, seenA);
        Assert.Equal("v10", seenB);
        Assert.Same(Dummy, seenC?.Value);
    }

    [Theory, MemberData(nameof(Modes))]
    public void A2_2_6_1_ThrowingHandlerDoesNotStopTheOthers(Mode mode)
    {
        var (p, settle) = Fulfilled(Sentinel, mode);
        var order = new List<int>();
        p.Then(v => { order.Add(1); throw Dummy; });
        p.Then(v => order.Add(2));
        settle();
        _soon.RunUntilIdle();
        Assert.Equal([1, 2], order);
    }

    [Fact]
    public void A2_2_6_1_HandlerAddedInsideAHandlerRunsAfterThoseAlreadyRegistered()
    {
        var p = Pending<object>(out var resolve, out _);
        var order = new List<int>();
        p.Then(v => { order.Add(1); p.Then(_ => order.Add(3)); });
        p.Then(v => order.Add(2));
        resolve(Sentinel);
        _soon.RunUntilIdle();
        Assert.Equal([1, 2, 3], order);
    }

    [Theory, MemberData(nameof(Modes))]
    public void A2_2_6_2_RejectedHandlersRunInRegistrationOrder(Mode mode)
    {
        var (p, settle) = Rejected<int>(Dummy, mode);
        var order = new List<int>();
        p.Catch(f => order.Add(1));
        p.Then(v => order.Add(-2), f => order.Add(2));
        p.Catch(f => { order.Add(3); throw Dummy; });
        p.Catch(f => order.Add(4));
        settle();
        _soon.RunUntilIdle();
        Assert.Equal([1, 2, 3, 4], order);
    }

    // ---- 2.2.7 then must return a promise ----------------------------------------------------------------------

    [Fact]
    public void A2_2_7_ThenReturnsANewPromise()
    {
        var p = Promise.Resolve(1, _soon);
        var a = p.Then(v => v);
        var b = p.Then(v => v);
        Assert.NotSame(p, a);
        Assert.NotSame(a, b);
        Assert.Same(_soon, a.Scheduler);
    }

    public static TheoryData<object?> Values => new() { null, 0, "", "text", false, Sentinel };

    [Theory, MemberData(nameof(Values))]
    public void A2_2_7_1_ValueReturnedByOnFulfilledFulfilsPromise2(object? value)
    {
        var p2 = Promise.Resolve(1, _soon).Then<object?>(_ => value);
        object? seen = Sentinel;
        p2.Then(v => { seen = v; });
        _soon.RunUntilIdle();
        Assert.Equal(PromiseState.Fulfilled, p2.State);
        Assert.Same(value, seen);
    }

    [Theory, MemberData(nameof(Values))]
    public void A2_2_7_1_ValueReturnedByOnRejectedFulfilsPromise2(object? value)
    {
        var p2 = Promise.Reject<object?>(Dummy, _soon).Then(v => v, _ => value);
        object? seen = Sentinel;
        p2.Then(v => { seen = v; });
        _soon.RunUntilIdle();
        Assert.Same(value, seen);
    }

    [Theory, MemberData(nameof(Modes))]
    public void A2_2_7_2_OnFulfilledThrowsRejectsPromise2WithThatException(Mode mode)
    {
        var (p, settle) = Fulfilled(1, mode);
        var p2 = p.Then(Throws<int, int>(Dummy));
        Failure? seen = null;
        p2.Catch(f => { seen = f; });
        settle();
        _soon.RunUntilIdle();
        Assert.Same(Dummy, seen?.Value);
    }

    [Theory, MemberData(nameof(Modes))]
    public void A2_2_7_2_OnRejectedThrowsRejectsPromise2WithThatException(Mode mode)
    {
        var other = new FormatException("from onRejected");
        var (p, settle) = Rejected<int>(Dummy, mode);
        var p2 = p.Catch(Throws<Failure, int>(other));
        Failure? seen = null;
        p2.Catch(f => { seen = f; });
        settle();
        _soon.RunUntilIdle();
        Assert.Same(other, seen?.Value);
    }

    [Theory, MemberData(nameof(Modes))]
    public void A2_2_7_3_MissingOnFulfilledPassesValueToPromise2(Mode mode)
    {
        var (p, settle) = Fulfilled(Sentinel, mode);
        var p2 = p.Catch(f => new object());
        object? seen = null;
        p2.Then(v => { seen = v; });
        settle();
        _soon.RunUntilIdle();
        Assert.Same(Sentinel, seen);
    }

    [Theory, MemberData(nameof(Modes))]
    public void A2_2_7_4_MissingOnRejectedPassesTheSameReasonToPromise2(Mode mode)
    {
        var (p, settle) = Rejected<int>(Dummy, mode);
        Failure? first = null, second = null;
        p.Catch(f => { first = f; });
        var p2 = p.Then(v => v + 1);
        p2.Catch(f => { second = f; });
        settle();
        _soon.RunUntilIdle();
        Assert.NotNull(first);
        Assert.Same(first, second);
    }

    [Fact]
    public void A2_2_7_ChainsOfTenThousandThensRunInOrder()
    {
        var p = Promise.Resolve(0, _soon);
        for (int i = 0; i < 10_000; i++) p = p.Then(v => v + 1);
        int seen = -1;
        p.Then(v => { seen = v; });
        _soon.RunUntilIdle();
        Assert.Equal(10_000, seen);
    }
}
