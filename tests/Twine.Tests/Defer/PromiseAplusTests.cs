using Twine.Defer;

namespace Twine.Tests.Defer;

/// <summary>
/// Promises/A+ 2.1 (states) and 2.2.1–2.2.4 (then: optional handlers, called once, asynchronously), ported from
/// promises-aplus-tests. 2.2.5 (handlers called without a <c>this</c>) has no C# analogue.
/// </summary>
public class PromiseAplusTests : PromiseAplusFixture
{
    // ---- 2.1 Promise states ------------------------------------------------------------------------------------

    [Fact]
    public void A2_1_1_PendingMayBecomeFulfilledOrRejected()
    {
        var a = Pending<int>(out var resolve, out _);
        var b = Pending<int>(out _, out var reject);
        Assert.Equal(PromiseState.Pending, a.State);
        resolve(1);
        reject(Dummy);
        Assert.Equal(PromiseState.Fulfilled, a.State);
        Assert.Equal(PromiseState.Rejected, b.State);
    }

    [Fact]
    public void A2_1_2_1_FulfilledThenImmediatelyRejected_StaysFulfilled()
    {
        var calls = new List<string>();
        var p = new Promise<object>(_soon, (resolve, reject) => { resolve(Sentinel); reject(Dummy); });
        p.Then(v => calls.Add("fulfilled"), f => calls.Add("rejected"));
        _soon.RunUntilIdle();
        Assert.Equal(["fulfilled"], calls);
        Assert.Equal(PromiseState.Fulfilled, p.State);
    }

    [Fact]
    public void A2_1_2_1_FulfilledThenRejectedDelayed_StaysFulfilled()
    {
        var calls = new List<string>();
        var p = Pending<object>(out var resolve, out var reject);
        p.Then(v => calls.Add("fulfilled"), f => calls.Add("rejected"));
        _soon.CallSoon(_ => { resolve(Sentinel); reject(Dummy); }, null);
        _soon.RunUntilIdle();
        Assert.Equal(["fulfilled"], calls);
    }

    [Fact]
    public void A2_1_2_1_FulfilledImmediatelyThenRejectedDelayed_StaysFulfilled()
    {
        var calls = new List<string>();
        var p = Pending<object>(out var resolve, out var reject);
        p.Then(v => calls.Add("fulfilled"), f => calls.Add("rejected"));
        resolve(Sentinel);
        _soon.CallSoon(_ => reject(Dummy), null);
        _soon.RunUntilIdle();
        Assert.Equal(["fulfilled"], calls);
        Assert.Equal(PromiseState.Fulfilled, p.State);
    }

    [Fact]
    public void A2_1_2_2_FulfilledValueDoesNotChange()
    {
        var p = Pending<object>(out var resolve, out _);
        resolve(Sentinel);
        resolve(new object());
        object? first = null, second = null;
        p.Then(v => { first = v; });
        _soon.RunUntilIdle();
        p.Then(v => { second = v; });
        _soon.RunUntilIdle();
        Assert.Same(Sentinel, first);
        Assert.Same(Sentinel, second);
    }

    [Fact]
    public void A2_1_3_1_RejectedThenImmediatelyFulfilled_StaysRejected()
    {
        var calls = new List<string>();
        var p = new Promise<object>(_soon, (resolve, reject) => { reject(Dummy); resolve(Sentinel); });
        p.Then(v => calls.Add("fulfilled"), f => calls.Add("rejected"));
        _soon.RunUntilIdle();
        Assert.Equal(["rejected"], calls);
        Assert.Equal(PromiseState.Rejected, p.State);
    }

    [Fact]
    public void A2_1_3_1_RejectedThenFulfilledDelayed_StaysRejected()
    {
        var calls = new List<string>();
        var p = Pending<object>(out var resolve, out var reject);
        p.Then(v => calls.Add("fulfilled"), f => calls.Add("rejected"));
        _soon.CallSoon(_ => { reject(Dummy); resolve(Sentinel); }, null);
        _soon.RunUntilIdle();
        Assert.Equal(["rejected"], calls);
    }

    [Fact]
    public void A2_1_3_1_RejectedImmediatelyThenFulfilledDelayed_StaysRejected()
    {
        var calls = new List<string>();
        var p = Pending<object>(out var resolve, out var reject);
        p.Then(v => calls.Add("fulfilled"), f => calls.Add("rejected"));
        reject(Dummy);
        _soon.CallSoon(_ => resolve(Sentinel), null);
        _soon.RunUntilIdle();
        Assert.Equal(["rejected"], calls);
    }

    [Fact]
    public void A2_1_3_2_RejectionReasonDoesNotChange()
    {
        var p = Pending<int>(out _, out var reject);
        reject(Dummy);
        reject(new InvalidOperationException("other"));
        var seen = new List<Failure>();
        p.Catch(f => seen.Add(f));
        p.Catch(f => seen.Add(f));
        _soon.RunUntilIdle();
        Assert.Equal(2, seen.Count);
        Assert.Same(Dummy, seen[0].Value);
        Assert.Same(seen[0], seen[1]);
    }

    // ---- 2.2.1 Both onFulfilled and onRejected are optional -------------------------------------------------------

    [Theory, MemberData(nameof(Modes))]
    public void A2_2_1_1_NullOnFulfilledIsIgnored_RejectionStillHandled(Mode mode)
    {
        var (p, settle) = Rejected<int>(Dummy, mode);
        Failure? seen = null;
        p.Then(null, f => { seen = f; return 0; });
        settle();
        _soon.RunUntilIdle();
        Assert.Same(Dummy, seen?.Value);
    }

    [Theory, MemberData(nameof(Modes))]
    public void A2_2_1_2_NullOnRejectedIsIgnored_FulfilmentStillHandled(Mode mode)
    {
        var (p, settle) = Fulfilled(Sentinel, mode);
        object? seen = null;
        p.Then(v => seen = v, null);
        settle();
        _soon.RunUntilIdle();
        Assert.Same(Sentinel, seen);
    }

    // ---- 2.2.2 onFulfilled ------------------------------------------------------------------------------------------

    [Theory, MemberData(nameof(Modes))]
    public void A2_2_2_1_OnFulfilledCalledWithValueAfterFulfilment(Mode mode)
    {
        var (p, settle) = Fulfilled(Sentinel, mode);
        object? seen = null;
        p.Then(v => { seen = v; });
        settle();
        _soon.RunUntilIdle();
        Assert.Same(Sentinel, seen);
    }

    [Fact]
    public void A2_2_2_2_OnFulfilledNotCalledBeforeFulfilment()
    {
        var p = Pending<object>(out var resolve, out _);
        bool called = false, fulfilled = false;
        p.Then(v => { Assert.True(fulfilled); called = true; });
        _soon.RunUntilIdle();
        Assert.False(called);
        fulfilled = true;
        resolve(Sentinel);
        _soon.RunUntilIdle();
        Assert.True(called);
    }

    [Fact]
    public void A2_2_2_2_OnFulfilledNeverCalledIfNeverFulfilled()
    {
        var p = Pending<object>(out _, out _);
        bool called = false;
        p.Then(v => { called = true; });
        Assert.Equal(0, _soon.RunUntilIdle());
        Assert.False(called);
    }

    [Fact]
    public void A2_2_2_3_OnFulfilledCalledOnce_WhenFulfilledTwiceOrThenRejected()
    {
        int calls = 0;
        var p = Pending<object>(out var resolve, out var reject);
        p.Then(v => { calls++; });
        resolve(Sentinel);
        resolve(Sentinel);
        _soon.CallSoon(_ => { resolve(Sentinel); reject(Dummy); }, null);
        _soon.RunUntilIdle();
        Assert.Equal(1, calls);
    }

    [Fact]
    public void A2_2_2_3_OnFulfilledCalledOnce_WhenAddedBeforeAndAfterFulfilment()
    {
        var calls = new List<int>();
        var p = Pending<object>(out var resolve, out _);
        p.Then(v => calls.Add(1));
        _soon.CallSoon(_ => resolve(Sentinel), null);
        _soon.RunUntilIdle();
        p.Then(v => calls.Add(2));
        _soon.RunUntilIdle();
        Assert.Equal([1, 2], calls);
    }

    // ---- 2.2.3 onRejected -------------------------------------------------------------------------------------------

    [Theory, MemberData(nameof(Modes))]
    public void A2_2_3_1_OnRejectedCalledWithReasonAfterRejection(Mode mode)
    {
        var (p, settle) = Rejected<int>(Dummy, mode);
        Failure? seen = null;
        p.Catch(f => { seen = f; });
        settle();
        _soon.RunUntilIdle();
        Assert.Same(Dummy, seen?.Value);
    }

    [Fact]
    public void A2_2_3_2_OnRejectedNotCalledBeforeRejection()
    {
        var p = Pending<int>(out _, out var reject);
        bool called = false, rejected = false;
        p.Catch(f => { Assert.True(rejected); called = true; });
        _soon.RunUntilIdle();
        Assert.False(called);
        rejected = true;
        reject(Dummy);
        _soon.RunUntilIdle();
        Assert.True(called);
    }

    [Fact]
    public void A2_2_3_3_OnRejectedCalledOnce_WhenRejectedTwiceOrThenFulfilled()
    {
        int calls = 0;
        var p = Pending<int>(out var resolve, out var reject);
        p.Catch(f => { calls++; });
        reject(Dummy);
        reject(Dummy);
        _soon.CallSoon(_ => { reject(Dummy); resolve(1); }, null);
        _soon.RunUntilIdle();
        Assert.Equal(1, calls);
    }

    // ---- 2.2.4 Handlers are not called until the execution context stack contains only platform code --------------

    [Theory, MemberData(nameof(Modes))]
    public void A2_2_4_ThenReturnsBeforeFulfilledHandlerRuns(Mode mode)
    {
        var (p, settle) = Fulfilled(Sentinel, mode);
        bool thenHasReturned = false, ranAfterReturn = false;
        p.Then(v => { ranAfterReturn = thenHasReturned; });
        thenHasReturned = true;
        settle();
        _soon.RunUntilIdle();
        Assert.True(ranAfterReturn);
    }

    [Theory, MemberData(nameof(Modes))]
    public void A2_2_4_ThenReturnsBeforeRejectedHandlerRuns(Mode mode)
    {
        var (p, settle) = Rejected<int>(Dummy, mode);
        bool thenHasReturned = false, ranAfterReturn = false;
        p.Catch(f => { ranAfterReturn = thenHasReturned; });
        thenHasReturned = true;
        settle();
        _soon.RunUntilIdle();
        Assert.True(ranAfterReturn);
    }

    [Fact]
    public void A2_2_4_HandlersNotCalledUntilStackClears()
    {
        // Clean-stack ordering: a handler added just before resolve() must not run inside resolve().
        var p = Pending<object>(out var resolve, out _);
        bool called = false;
        p.Then(v => { called = true; });
        resolve(Sentinel);
        Assert.False(called);
        Assert.Equal(1, _soon.RunUntilIdle());
        Assert.True(called);
    }

    [Fact]
    public void A2_2_4_RejectionHandlersNotCalledUntilStackClears()
    {
        var p = Pending<int>(out _, out var reject);
        bool called = false;
        p.Catch(f => { called = true; });
        reject(Dummy);
        Assert.False(called);
        _soon.RunUntilIdle();
        Assert.True(called);
    }

    [Fact]
    public void A2_2_4_HandlerAddedInsideOnFulfilledRunsAfterItReturns()
    {
        var p = Promise.Resolve(Sentinel, _soon);
        bool firstFinished = false, innerSawFirstFinished = false;
        p.Then(v =>
        {
            p.Then(_ => { innerSawFirstFinished = firstFinished; });
            firstFinished = true;
        });
        _soon.RunUntilIdle();
        Assert.True(innerSawFirstFinished);
    }

    [Fact]
    public void A2_2_4_HandlerAddedInsideOnRejectedRunsAfterItReturns()
    {
        var rejected = Promise.Reject<int>(Dummy, _soon);
        var fulfilled = Promise.Resolve(1, _soon);
        bool firstFinished = false, innerSawFirstFinished = false;
        rejected.Catch(f =>
        {
            fulfilled.Then(_ => { innerSawFirstFinished = firstFinished; });
            firstFinished = true;
        });
        _soon.RunUntilIdle();
        Assert.True(innerSawFirstFinished);
    }

    [Fact]
    public void A2_2_4_PromiseFulfilledInsideAHandlerRunsItsHandlersLater()
    {
        var outer = Promise.Resolve(1, _soon);
        var inner = Pending<object>(out var resolve, out _);
        bool innerRan = false, outerFinished = false;
        inner.Then(v => { innerRan = outerFinished; });
        outer.Then(v =>
        {
            resolve(Sentinel);
            Assert.False(innerRan);
            outerFinished = true;
        });
        _soon.RunUntilIdle();
        Assert.True(innerRan);
    }
}
