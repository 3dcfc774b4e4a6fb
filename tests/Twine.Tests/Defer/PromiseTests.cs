using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Twine.Defer;
using Twine.Logging;

namespace Twine.Tests.Defer;

/// <summary>Promise construction, schedulers, Catch/Finally, and ToString. The A+ suite is in PromiseAplus*Tests.</summary>
public class PromiseTests
{
    private readonly ManualCallSoon _soon = new();
    private static readonly InvalidOperationException Boom = new("boom");

    // ---- the executor -----------------------------------------------------------------------------------------

    [Fact]
    public void ExecutorRunsSynchronouslyInTheConstructor()
    {
        bool ran = false;
        var p = new Promise<int>(_soon, (resolve, _) => { ran = true; resolve(3); });
        Assert.True(ran);
        Assert.Equal(PromiseState.Fulfilled, p.State);
        Assert.Equal(0, _soon.Pending); // nothing to run: no handlers yet
    }

    [Fact]
    public void ExecutorThatThrowsRejectsWithWhatItThrew()
    {
        var p = new Promise<int>(_soon, (_, _) => throw Boom);
        Failure? seen = null;
        p.Catch(f => { seen = f; });
        _soon.RunUntilIdle();
        Assert.Same(Boom, seen?.Value);
    }

    [Fact]
    public void ExecutorThatThrowsAfterResolvingStaysFulfilled()
    {
        var p = new Promise<int>(_soon, (resolve, _) => { resolve(1); throw Boom; });
        int seen = 0;
        p.Then(v => { seen = v; });
        _soon.RunUntilIdle();
        Assert.Equal(1, seen);
    }

    [Fact]
    public void RejectWithNullThrows()
    {
        Action<Exception> reject = null!;
        var p = new Promise<int>(_soon, (_, rej) => reject = rej);
        Assert.Throws<ArgumentNullException>(() => reject(null!));
        Assert.Equal(PromiseState.Pending, p.State);
    }

    // ---- factories ----------------------------------------------------------------------------------------------

    [Fact]
    public void ResolveAdoptsPromisesDeferredsAndTasks()
    {
        var p = Promise.Resolve(1, _soon);
        Assert.Same(p, Promise.Resolve(p));
        var d = new Deferred<int>();
        var fromDeferred = Promise.Resolve(d, _soon);
        var fromTask = Promise.Resolve(Task.FromResult(3), _soon);
        var fromUntypedTask = Promise.Resolve(Task.CompletedTask, _soon);
        Assert.Equal(PromiseState.Pending, fromDeferred.State);
        d.Callback(2);
        var seen = new List<int>();
        fromDeferred.Then(v => seen.Add(v));
        fromTask.Then(v => seen.Add(v));
        fromUntypedTask.Then(_ => seen.Add(4));
        _soon.RunUntilIdle();
        Assert.Equal([2, 3, 4], seen);
    }

    [Fact]
    public void RejectKeepsTheFailureItIsGiven()
    {
        var failure = new Failure(Boom);
        var p = Promise.Reject<int>(failure, _soon);
        Failure? seen = null;
        p.Catch(f => { seen = f; });
        _soon.RunUntilIdle();
        Assert.Same(failure, seen);
    }

    // ---- schedulers -------------------------------------------------------------------------------------------

    [Fact]
    public void NoSchedulerAtAllThrowsAClearError()
    {
        var saved = Promise.DefaultScheduler;
        Promise.DefaultScheduler = null;
        try
        {
            var e = Assert.Throws<InvalidOperationException>(() => new Promise<int>((resolve, _) => resolve(1)));
            Assert.Contains("reactor", e.Message);
            Assert.Contains("ICallSoon", e.Message);
            Assert.Throws<InvalidOperationException>(() => Promise.Resolve(1));
        }
        finally
        {
            Promise.DefaultScheduler = saved;
        }
    }

    [Fact]
    public void PromiseCapturesTheDefaultSchedulerWhenCreated()
    {
        var other = new ManualCallSoon();
        Promise<int> p;
        using (Promise.UseScheduler(_soon)) p = new Promise<int>((resolve, _) => resolve(1));
        using (Promise.UseScheduler(other))
        {
            bool ran = false;
            var derived = p.Then(v => { ran = true; });
            Assert.Same(_soon, p.Scheduler);
            Assert.Same(_soon, derived.Scheduler); // derived promises use their parent's scheduler
            Assert.Equal(0, other.RunUntilIdle());
            Assert.Equal(1, _soon.RunUntilIdle());
            Assert.True(ran);
        }
    }

    [Fact]
    public void UseSchedulerRestoresThePreviousOne()
    {
        var outer = new ManualCallSoon();
        var saved = Promise.DefaultScheduler;
        using (Promise.UseScheduler(outer))
        {
            using (Promise.UseScheduler(_soon)) Assert.Same(_soon, Promise.DefaultScheduler);
            Assert.Same(outer, Promise.DefaultScheduler);
        }
        Assert.Same(saved, Promise.DefaultScheduler);
    }

    [Fact]
    public void DefaultSchedulerIsPerThread()
    {
        using var _ = Promise.UseScheduler(_soon);
        ICallSoon? onOtherThread = _soon;
        var thread = new Thread(() => onOtherThread = Promise.DefaultScheduler);
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromSeconds(30)));
        Assert.Null(onOtherThread);
    }

    // ---- Catch ------------------------------------------------------------------------------------------------

    [Fact]
    public void CatchRecoversWithAValueAndPassesFulfilmentThrough()
    {
        int recovered = 0, passed = 0;
        Promise.Reject<int>(Boom, _soon).Catch(f => 7).Then(v => { recovered = v; });
        Promise.Resolve(5, _soon).Catch(f => 7).Then(v => { passed = v; });
        _soon.RunUntilIdle();
        Assert.Equal(7, recovered);
        Assert.Equal(5, passed);
    }

    [Fact]
    public void CatchActionRecoversWithDefault()
    {
        string? seen = "unset";
        Promise.Reject<string>(Boom, _soon).Catch(f => Console.Write("")).Then(v => { seen = v; });
        _soon.RunUntilIdle();
        Assert.Null(seen);
    }

    [Fact]
    public void CatchThatTrapsAnotherTypePassesTheSameFailureOn_FA4()
    {
        var original = new Failure(Boom);
        Failure? seen = null;
        Promise.Reject<int>(original, _soon)
            .Catch(f => { f.Trap<TimeoutException>(); return 1; })
            .Catch(f => { seen = f; });
        _soon.RunUntilIdle();
        Assert.Same(original, seen);
    }

    [Fact]
    public void TypedCatchHandlesOnlyMatchingExceptions()
    {
        int handled = 0;
        Failure? passed = null;
        Promise.Reject<int>(new TimeoutException(), _soon).Catch<TimeoutException>(e => -1).Then(v => { handled = v; });
        var original = new Failure(Boom);
        Promise.Reject<int>(original, _soon).Catch<TimeoutException>(e => -1).Catch(f => { passed = f; });
        _soon.RunUntilIdle();
        Assert.Equal(-1, handled);
        Assert.Same(original, passed);
    }

    [Fact]
    public void CatchCanRecoverWithAPromiseADeferredOrATask()
    {
        var seen = new List<int>();
        Promise.Reject<int>(Boom, _soon).Catch(f => Promise.Resolve(1, _soon)).Then(v => seen.Add(v));
        Promise.Reject<int>(Boom, _soon).Catch(f => Deferred.Succeed(2)).Then(v => seen.Add(v));
        Promise.Reject<int>(Boom, _soon).Catch(async f => { await Task.CompletedTask; return 3; }).Then(v => seen.Add(v));
        _soon.RunUntilIdle();
        Assert.Equal([1, 2, 3], seen.Order());
    }

    [Fact]
    public void ThenWithoutAFulfilmentHandlerMustKeepTheType()
    {
        var p = Promise.Resolve(1, _soon);
        Assert.Throws<ArgumentNullException>(() => p.Then((Func<int, string>?)null, f => "x"));
    }

    // ---- Finally ----------------------------------------------------------------------------------------------

    [Fact]
    public void FinallyRunsOnBothOutcomesAndKeepsThem()
    {
        var log = new List<string>();
        var original = new Failure(Boom);
        Promise.Resolve(1, _soon).Finally(() => log.Add("f1")).Then(v => log.Add($"value {v}"));
        Promise.Reject<int>(original, _soon).Finally(() => log.Add("f2")).Catch(f => log.Add(ReferenceEquals(f, original) ? "same failure" : "other"));
        _soon.RunUntilIdle();
        Assert.Equal(["f1", "f2", "value 1", "same failure"], log);
    }

    [Fact]
    public void FinallyThatThrowsRejectsWithItsException()
    {
        var other = new FormatException();
        Failure? seen = null;
        Promise.Resolve(1, _soon).Finally(() => throw other).Catch(f => { seen = f; });
        _soon.RunUntilIdle();
        Assert.Same(other, seen?.Value);
    }

    [Fact]
    public void FinallyWaitsForThePromiseItReturns()
    {
        Action<string> resolve = null!;
        var wait = new Promise<string>(_soon, (res, _) => resolve = res);
        var p = Promise.Resolve(1, _soon).Finally(() => wait);
        _soon.RunUntilIdle();
        Assert.Equal(PromiseState.Pending, p.State);
        resolve("done");
        _soon.RunUntilIdle();
        Assert.Equal(PromiseState.Fulfilled, p.State);
        int seen = 0;
        p.Then(v => { seen = v; });
        _soon.RunUntilIdle();
        Assert.Equal(1, seen);
    }

    [Fact]
    public void FinallyWhosePromiseRejectsRejectsWithThatReason()
    {
        var reason = new Failure(new FormatException());
        Failure? seen = null;
        Promise.Resolve(1, _soon).Finally(() => Promise.Reject<Unit>(reason, _soon)).Catch(f => { seen = f; });
        _soon.RunUntilIdle();
        Assert.Same(reason, seen);
    }

    [Fact]
    public void FinallyWaitsForATask()
    {
        var tcs = new TaskCompletionSource();
        var p = Promise.Reject<int>(Boom, _soon).Finally(() => tcs.Task);
        p.Catch(_ => { });
        _soon.RunUntilIdle();
        Assert.Equal(PromiseState.Pending, p.State);
        tcs.SetResult();
        _soon.RunUntilIdle();
        Assert.Equal(PromiseState.Rejected, p.State);
    }

    // ---- unhandled rejections (the promise form of L1-L3) ----------------------------------------------------------

    [Fact]
    public void RejectionNobodyHandledIsReportedWhenCollected_L1()
    {
        var reason = new InvalidOperationException("unhandled " + Guid.NewGuid());
        var reports = Collect(reason, () => RejectAndDrop(reason), out var logged);
        Assert.Single(reports);
        Assert.Same(reason, reports[0].Value);
        Assert.Contains(logged, e => e.Level == LogLevel.Critical && e.Message == "Unhandled rejection in Promise:");
    }

    [Fact]
    public void RejectionPassedDownAChainIsReportedOnceByItsLastPromise_L1()
    {
        var reason = new InvalidOperationException("tail " + Guid.NewGuid());
        var reports = Collect(reason, () => RejectThroughChainAndDrop(reason), out _);
        Assert.Single(reports);
    }

    [Fact]
    public void HandledRejectionIsNotReported_L2()
    {
        var reason = new InvalidOperationException("handled " + Guid.NewGuid());
        var reports = Collect(reason, () => RejectHandleAndDrop(reason), out var logged);
        Assert.Empty(reports);
        Assert.DoesNotContain(logged, e => ReferenceEquals(e.Failure?.Value, reason));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RejectAndDrop(Exception reason) => Promise.Reject<int>(reason, _soon);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RejectThroughChainAndDrop(Exception reason)
    {
        Promise.Reject<int>(reason, _soon).Then(v => v + 1).Then(v => v * 2);
        _soon.RunUntilIdle();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RejectHandleAndDrop(Exception reason)
    {
        var p = Promise.Reject<int>(reason, _soon);
        _soon.RunUntilIdle();
        p.Then(v => v + 1).Catch(_ => 0); // a handler attached after the rejection still counts
        _soon.RunUntilIdle();
    }

    /// <summary>Runs <paramref name="drop"/>, collects garbage, and returns the unhandled reports about <paramref name="reason"/> (L3).</summary>
    private static List<Failure> Collect(Exception reason, Action drop, out List<LogEvent> logged)
    {
        var reports = new ConcurrentQueue<Failure>();
        var events = new ConcurrentQueue<LogEvent>();
        Action<Failure> onUnhandled = f => { if (ReferenceEquals(f.Value, reason)) reports.Enqueue(f); };
        Action<LogEvent> onLog = e => { if (ReferenceEquals(e.Failure?.Value, reason)) events.Enqueue(e); };
        Promise.UnhandledRejection += onUnhandled;
        Log.Observed += onLog;
        try
        {
            drop();
            for (int i = 0; i < 3; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        }
        finally
        {
            Promise.UnhandledRejection -= onUnhandled;
            Log.Observed -= onLog;
        }
        logged = [.. events];
        return [.. reports];
    }

    // ---- ToString ---------------------------------------------------------------------------------------------

    [Fact]
    public void ToStringShowsTheState()
    {
        var pending = new Promise<int>(_soon, (_, _) => { });
        Assert.Matches(@"^<Promise<Int32> #[0-9a-f]+ pending>$", pending.ToString());
        Assert.EndsWith("fulfilled: 42>", Promise.Resolve(42, _soon).ToString());
        var rejected = Promise.Reject<int>(Boom, _soon);
        rejected.Catch(_ => { });
        Assert.EndsWith("rejected: InvalidOperationException: boom>", rejected.ToString());
    }
}
