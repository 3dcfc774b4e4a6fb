using System.Diagnostics;
using Twine.Defer;

namespace Twine.Tests.Defer;

/// <summary>
/// <c>async Deferred</c> methods and awaiting Deferreds: inlineCallbacks the C# way (docs/behaviours.md §9, IC1–IC10).
/// </summary>
public sealed class AsyncDeferredTests
{
    private sealed class CustomException(string message = "custom") : Exception(message);

    /// <summary>
    /// Task continuations run inline in <c>SetResult</c> only when no SynchronizationContext is installed (the test
    /// runner installs one); inside this scope they do, so the tests stay synchronous and deterministic.
    /// </summary>
    private sealed class NoSynchronizationContext : IDisposable
    {
        private readonly SynchronizationContext? _saved = SynchronizationContext.Current;

        public NoSynchronizationContext() => SynchronizationContext.SetSynchronizationContext(null);

        public void Dispose() => SynchronizationContext.SetSynchronizationContext(_saved);
    }

    // ---- IC1: synchronous up to the first pending await ------------------------------------------------------

    [Fact]
    public void IC1_RunsSynchronouslyUntilTheFirstPendingAwait()
    {
        var log = new List<string>();
        var gate = new Deferred<int>();
        async Deferred<int> Method()
        {
            log.Add("start");
            int a = await Deferred.Succeed(1); // fired: no suspension
            log.Add("after fired " + a);
            int b = await gate;
            log.Add("after gate " + b);
            return a + b;
        }
        var d = Method();
        Assert.Equal(["start", "after fired 1"], log);
        Assert.False(d.Called);
        gate.Callback(10);
        Assert.Equal(["start", "after fired 1", "after gate 10"], log); // resumed synchronously inside Callback
        Assert.Equal(11, d.Result.Value);
    }

    [Fact]
    public void IC1_MethodWithoutPendingAwaitsReturnsAFiredDeferred()
    {
        static async Deferred<string> Method() => await Deferred.Succeed("a") + "b";
        Assert.Equal("ab", Method().Result.Value);
    }

    [Fact]
    public void IC1_ValuelessMethodFiresWhenItFallsOffTheEnd()
    {
        var gate = new Deferred<int>();
        bool done = false;
        async Deferred Method()
        {
            await gate;
            done = true;
        }
        Deferred d = Method();
        Assert.False(d.Called);
        gate.Callback(1);
        Assert.True(done);
        Assert.True(d.Called);
        Assert.False(d.IsFailed);
        Assert.Equal(typeof(Unit), d.ResultType);
    }

    [Fact]
    public void IC1_ExceptionBeforeTheFirstAwaitFailsTheDeferredInsteadOfThrowing()
    {
        var e = new CustomException();
        async Deferred<int> Method()
        {
            if (e is not null) throw e;
            return await Deferred.Succeed(1);
        }
        var d = Method();
        Assert.Same(e, d.Result.Failure!.Value);
        d.AddErrback(_ => 0);
    }

    [Fact]
    public void IC1_ExceptionAfterAnAwaitErrbacksTheDeferred()
    {
        var gate = new Deferred<int>();
        var e = new CustomException();
        async Deferred<int> Method()
        {
            await gate;
            throw e;
        }
        var d = Method();
        Failure? seen = null;
        d.AddErrback(f => { seen = f; return 0; });
        gate.Callback(1);
        Assert.Same(e, seen!.Value);
    }

    // ---- IC2: failures are thrown at the await --------------------------------------------------------------

    [Fact]
    public void IC2_FailureOfAPendingDeferredIsThrownAtTheAwaitAndCanBeCaught()
    {
        var gate = new Deferred<int>();
        var e = new CustomException("boom");
        Exception? caught = null;
        async Deferred<string> Method()
        {
            try
            {
                await gate;
                return "not reached";
            }
            catch (CustomException ex)
            {
                caught = ex;
                return "handled";
            }
        }
        var d = Method();
        gate.Errback(e);
        Assert.Same(e, caught);
        Assert.Equal("handled", d.Result.Value);
    }

    [Fact]
    public void IC2_FailureOfAFiredDeferredIsThrownAtTheAwait()
    {
        var e = new CustomException();
        async Deferred<int> Method()
        {
            try { return await Deferred.Fail<int>(e); }
            catch (CustomException ex) when (ReferenceEquals(ex, e)) { return -1; }
        }
        Assert.Equal(-1, Method().Result.Value);
    }

    [Fact]
    public void IC2_TwoDeepAwaitsPropagateValuesAndFailures()
    {
        var gate = new Deferred<int>();
        async Deferred<int> Inner() => await gate * 2;
        async Deferred<string> Outer() => "got " + await Inner();
        var d = Outer();
        Assert.False(d.Called);
        gate.Callback(21);
        Assert.Equal("got 42", d.Result.Value);

        var failing = new Deferred<int>();
        async Deferred<int> Inner2() => await failing;
        async Deferred<int> Outer2() => await Inner2();
        var d2 = Outer2();
        var e = new CustomException();
        failing.Errback(e);
        Assert.Same(e, d2.Result.Failure!.Value);
        d2.AddErrback(_ => 0);
    }

    [Fact]
    public void IC2_AwaitingAValuelessDeferredThrowsItsFailure()
    {
        var e = new CustomException();
        Deferred failed = Deferred.Fail(e);
        async Deferred<bool> Method()
        {
            try { await failed; return false; }
            catch (CustomException) { return true; }
        }
        Assert.True(Method().Result.Value);
    }

    // ---- IC3: completed awaitables resume at once --------------------------------------------------------

    [Fact]
    public void IC3_CompletedTaskAndFiredDeferredResumeImmediately()
    {
        static async Deferred<int> Method()
        {
            int a = await Task.FromResult(2);
            int b = await Deferred.Succeed(3);
            return a * b;
        }
        var d = Method();
        Assert.True(d.Called);
        Assert.Equal(6, d.Result.Value);
    }

    // ---- IC4: the awaited result is consumed ----------------------------------------------------------------

    [Fact]
    public void IC4_CallbacksAddedAfterAnAwaitSeeTheDefault()
    {
        var awaited = new Deferred<string>();
        async Deferred<string> Method() => await awaited;
        var d = Method();
        awaited.Callback("value");
        Assert.Equal("value", d.Result.Value);
        string? later = "unset";
        awaited.AddCallback(s => { later = s; });
        Assert.Null(later);
    }

    [Fact]
    public void IC4_AnAwaitedFailureIsConsumed()
    {
        var awaited = Deferred.Fail<int>(new CustomException());
        async Deferred<int> Method()
        {
            try { return await awaited; }
            catch (CustomException) { return 1; }
        }
        Assert.Equal(1, Method().Result.Value);
        Assert.False(awaited.IsFailed);
        Assert.Equal(0, awaited.Result.Value);
    }

    [Fact]
    public void IC4_CallbacksAddedBeforeTheAwaitRunFirst()
    {
        var awaited = new Deferred<int>();
        awaited.AddCallback(x => x + 1);
        async Deferred<int> Method() => await awaited;
        var d = Method();
        awaited.AddCallback(x => x * 100); // added after the await started: sees the consumed value
        awaited.Callback(1);
        Assert.Equal(2, d.Result.Value);
        Assert.Equal(0, awaited.Result.Value);
    }

    // ---- IC5: fired Deferreds are handled in a loop ---------------------------------------------------------

    [Fact]
    public void IC5_FiveThousandAwaitsOfFiredDeferredsRunAtConstantStackDepth()
    {
        var depths = new List<int>();
        async Deferred<int> Loop()
        {
            int total = 0;
            for (int i = 0; i < 5000; i++)
            {
                total += await Deferred.Succeed(1);
                if (i is 0 or 4999) depths.Add(new StackTrace().FrameCount);
            }
            return total;
        }
        Assert.Equal(5000, Loop().Result.Value);
        Assert.Equal(depths[0], depths[1]);
    }

    // ---- IC7: cancellation ----------------------------------------------------------------------------------

    [Fact]
    public void IC7_CancellingTheMethodCancelsTheAwaitedDeferred()
    {
        int cancels = 0;
        var awaited = new Deferred<int>(_ => cancels++);
        async Deferred<int> Method() => await awaited;
        var d = Method();
        Failure? seen = null;
        d.AddErrback(f => { seen = f; return 0; });
        d.Cancel();
        Assert.Equal(1, cancels);
        Assert.IsType<CancelledException>(seen!.Value);
    }

    [Fact]
    public void IC7_MethodCanTranslateTheCancellationIntoAnotherError()
    {
        var awaited = new Deferred<int>();
        var translated = new CustomException("translated");
        async Deferred<int> Method()
        {
            try { return await awaited; }
            catch (CancelledException) { throw translated; }
        }
        var d = Method();
        d.Cancel();
        Assert.Same(translated, d.Result.Failure!.Value);
        d.AddErrback(_ => 0);
    }

    [Fact]
    public void IC7_MethodCanTranslateTheCancellationIntoAValue()
    {
        var awaited = new Deferred<int>();
        async Deferred<string> Method()
        {
            try { await awaited; return "finished"; }
            catch (CancelledException) { return "cancelled nicely"; }
        }
        var d = Method();
        d.Cancel();
        Assert.Equal("cancelled nicely", d.Result.Value);
        awaited.Callback(1); // no canceller: the one late result is swallowed (C3)
        Assert.Throws<AlreadyCalledException>(() => awaited.Callback(2));
    }

    [Fact]
    public void IC7_TheAwaitedCancellersOutcomeIsWhatTheMethodSees()
    {
        var awaited = new Deferred<string>(x => x.Callback("canceller's value"));
        async Deferred<string> Method() => "saw " + await awaited;
        var d = Method();
        d.Cancel();
        Assert.Equal("saw canceller's value", d.Result.Value);
    }

    [Fact]
    public void IC7_MethodFiresOnlyWhenItFinishes()
    {
        // The awaited Deferred's errback waits on another Deferred: the method, and so its Deferred, wait too.
        var later = new Deferred<int>();
        var awaited = new Deferred<int>();
        awaited.AddErrback(_ => later);
        async Deferred<int> Method() => await awaited + 1;
        var d = Method();
        d.Cancel();
        Assert.False(d.Called);
        Assert.True(awaited.IsWaiting);
        later.Callback(41);
        Assert.Equal(42, d.Result.Value);
    }

    [Fact]
    public void IC7_CancellationCascadesThroughNestedMethods()
    {
        int cancels = 0;
        var leaf = new Deferred<int>(_ => cancels++);
        async Deferred<int> Inner() => await leaf;
        async Deferred<int> Outer() => await Inner();
        var d = Outer();
        d.Cancel();
        Assert.Equal(1, cancels);
        Assert.IsType<CancelledException>(d.Result.Failure!.Value);
        d.AddErrback(_ => 0);
    }

    [Fact]
    public void IC7_CancellingWhileAwaitingATaskFailsAtOnceAndSwallowsTheLateResult()
    {
        var tcs = new TaskCompletionSource<int>();
        bool finished = false;
        async Deferred<int> Method()
        {
            int x = await tcs.Task.ConfigureAwait(false);
            finished = true;
            return x;
        }
        var d = Method();
        d.Cancel();
        Assert.IsType<CancelledException>(d.Result.Failure!.Value);
        d.AddErrback(_ => 0);
        using (new NoSynchronizationContext()) tcs.SetResult(5); // the continuation runs inline; its late result is swallowed (C3)
        Assert.True(finished);
        Assert.Equal(0, d.Result.Value);
    }

    // ---- IC9: awaiting a chained, paused Deferred -------------------------------------------------------------

    [Fact]
    public void IC9_AwaitingADeferredThatIsWaitingOnAnotherGetsItsEventualResult()
    {
        var inner = new Deferred<string>();
        var outer = new Deferred<int>();
        var chained = outer.AddCallback(_ => inner);
        outer.Callback(0);
        async Deferred<string> Method() => await chained;
        var d = Method();
        Assert.False(d.Called);
        inner.Callback("bye");
        Assert.Equal("bye", d.Result.Value);
    }

    [Fact]
    public void IC9_AwaitingAPausedFiredDeferredWaitsForUnpause()
    {
        var paused = Deferred.Succeed(3);
        paused.Pause();
        async Deferred<int> Method() => await paused;
        var d = Method();
        Assert.False(d.Called);
        paused.Unpause();
        Assert.Equal(3, d.Result.Value);
    }

    [Fact]
    public void AwaitFromInsideTheAwaitedDeferredsOwnCallbackResumesAfterThatCallback()
    {
        var d = new Deferred<int>();
        var log = new List<string>();
        async Deferred Watch()
        {
            log.Add("await " + await d);
        }
        d.AddCallback(x => { _ = Watch(); log.Add("callback"); return x + 1; });
        d.Callback(1);
        Assert.Equal(["callback", "await 2"], log);
    }

    // ---- IC10: AsyncLocal flows as in async Task methods ---------------------------------------------------

    private static readonly AsyncLocal<string?> Local = new();

    [Fact]
    public void IC10_AsyncLocalFlowsExactlyAsInAnAsyncTaskMethod()
    {
        var deferredSeen = new List<string?>();
        var gate = new Deferred<int>();
        async Deferred ViaDeferred()
        {
            deferredSeen.Add(Local.Value);
            Local.Value = "method";
            await gate;
            deferredSeen.Add(Local.Value);
            Local.Value = "method after resume";
        }

        var taskSeen = new List<string?>();
        var tcs = new TaskCompletionSource<int>();
        async Task ViaTask()
        {
            taskSeen.Add(Local.Value);
            Local.Value = "method";
            await tcs.Task.ConfigureAwait(false);
            taskSeen.Add(Local.Value);
            Local.Value = "method after resume";
        }

        var afterCall = new List<string?>();
        var afterFire = new List<string?>();
        try
        {
            Local.Value = "caller";
            var d = ViaDeferred();
            afterCall.Add(Local.Value);
            Local.Value = "firer";
            gate.Callback(1);
            afterFire.Add(Local.Value);
            Assert.True(d.Called);

            Local.Value = "caller";
            var t = ViaTask();
            afterCall.Add(Local.Value);
            Local.Value = "firer";
            using (new NoSynchronizationContext()) tcs.SetResult(1);
            afterFire.Add(Local.Value);
            Assert.True(t.IsCompletedSuccessfully);
        }
        finally
        {
            Local.Value = null;
        }

        // The method sees its caller's value; its own changes stay inside it, before and after the await; it resumes
        // with its own value, not that of the code that fired what it awaited.
        Assert.Equal(["caller", "method"], deferredSeen);
        Assert.Equal(taskSeen, deferredSeen);
        Assert.Equal(["caller", "caller"], afterCall);
        Assert.Equal(["firer", "firer"], afterFire);
    }

    [Fact]
    public void IC10_NestedMethodCannotChangeTheOuterMethodsValue()
    {
        var gate = new Deferred<int>();
        async Deferred Inner()
        {
            Local.Value = "inner";
            await gate;
            Local.Value = "inner after";
        }
        async Deferred<string?> Outer()
        {
            Local.Value = "outer";
            await Inner();
            return Local.Value;
        }
        try
        {
            var d = Outer();
            gate.Callback(0);
            Assert.Equal("outer", d.Result.Value);
        }
        finally
        {
            Local.Value = null;
        }
    }
}
