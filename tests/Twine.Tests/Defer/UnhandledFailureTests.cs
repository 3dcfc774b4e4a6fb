using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Twine.Defer;
using Twine.Logging;

namespace Twine.Tests.Defer;

/// <summary>
/// Unhandled failures are reported when a failed Deferred is garbage-collected (docs/behaviours.md §6, L1–L3). Tests
/// run in parallel, so each one watches only for its own exception instances. Deferreds are built in non-inlined
/// methods so that no local of the test keeps them reachable.
/// </summary>
[Collection(DeferredGlobalStateCollection.Name)] // one test switches debug mode on
public sealed class UnhandledFailureTests
{
    private sealed class MarkerException(string message) : Exception(message);

    /// <summary>Records the unhandled-failure reports and log events that concern the given exceptions.</summary>
    private sealed class Watch : IDisposable
    {
        private readonly Exception[] _mine;
        private readonly ConcurrentQueue<Exception> _reported = new();
        private readonly ConcurrentQueue<LogEvent> _logged = new();

        public Watch(params Exception[] mine)
        {
            _mine = mine;
            Deferred.UnhandledFailure += OnUnhandled;
            Log.Observed += OnLog;
        }

        public int Reported(Exception e) => _reported.Count(x => ReferenceEquals(x, e));

        public LogEvent[] Logged(Exception e) => _logged.Where(x => ReferenceEquals(x.Failure?.Value, e)).ToArray();

        /// <summary>Collects until <paramref name="control"/> has been reported: finalizers of that GC have all run.</summary>
        public void CollectUntilReported(Exception control)
        {
            for (int i = 0; i < 20 && Reported(control) == 0; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
            Assert.Equal(1, Reported(control));
        }

        private void OnUnhandled(Failure f)
        {
            if (_mine.Contains(f.Value)) _reported.Enqueue(f.Value);
        }

        private void OnLog(LogEvent e)
        {
            if (e.Failure is { } f && _mine.Contains(f.Value)) _logged.Enqueue(e);
        }

        public void Dispose()
        {
            Deferred.UnhandledFailure -= OnUnhandled;
            Log.Observed -= OnLog;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Abandon(Exception e) => Deferred.Fail<int>(e);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AbandonRaisingCallback(Exception e)
    {
        var d = new Deferred<int>();
        d.AddCallback(x => x).AddCallback(_ => throw e);
        d.Callback(1);
    }

    [Fact]
    public void L1_FailedDeferredCollectedWithItsFailureIsReportedTwiceInTheLog()
    {
        var e = new MarkerException("l1");
        using var watch = new Watch(e);
        AbandonRaisingCallback(e);
        watch.CollectUntilReported(e);
        var events = watch.Logged(e);
        Assert.Equal(2, events.Length);
        var critical = Assert.Single(events, x => x.Level == LogLevel.Critical);
        Assert.Equal("Unhandled error in Deferred:", critical.Message);
        var detail = Assert.Single(events, x => x.Level == LogLevel.Error);
        Assert.StartsWith($"Unhandled Error\n{typeof(MarkerException).FullName}: ", detail.Message);
        Assert.Contains("l1", detail.Message);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AbandonPausedWithAFailure(Exception e)
    {
        var d = new Deferred<int>();
        d.AddCallback(x => { d.Pause(); throw e; });
        d.AddErrback(_ => 0); // would handle it, but the chain never gets there
        d.Callback(1);
    }

    [Fact]
    public void L1_DeferredPausedWhileHoldingAFailureIsReported()
    {
        var e = new MarkerException("paused");
        using var watch = new Watch(e);
        AbandonPausedWithAFailure(e);
        watch.CollectUntilReported(e);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AbandonFiredInDebugMode(Exception e)
    {
        var d = new Deferred<int>(); // created with debug off: no creator stack
        Deferred.Debug = true;
        try
        {
            d.Errback(e);
        }
        finally
        {
            Deferred.Debug = false;
        }
    }

    [Fact]
    public void L1_InDebugModeTheReportStartsWithTheInvokerStack()
    {
        var e = new MarkerException("l1 debug");
        using var watch = new Watch(e);
        bool was = Deferred.Debug;
        try
        {
            AbandonFiredInDebugMode(e);
        }
        finally
        {
            Deferred.Debug = was;
        }
        watch.CollectUntilReported(e);
        var detail = Assert.Single(watch.Logged(e), x => x.Level == LogLevel.Error);
        Assert.StartsWith("(debug:  I", detail.Message);
        Assert.Contains(nameof(AbandonFiredInDebugMode), detail.Message);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AbandonHandled(Exception e)
    {
        var d = Deferred.Fail<int>(e);
        d.AddErrback(_ => 1);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AbandonHandedOnByChaining(Exception e)
    {
        var inner = Deferred.Fail<int>(e);            // settled with a failure: tracked
        var outer = Deferred.Succeed(0).AddCallback(_ => inner);
        outer.AddErrback(_ => 0);                      // the outer handles what it took
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AbandonChainedAsynchronously(Exception e)
    {
        var inner = new Deferred<int>();
        var outer = Deferred.Succeed(0).AddCallback(_ => inner);
        outer.AddErrback(_ => 0);
        inner.Errback(e);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AbandonWaitingOnANeverFiringDeferred(Exception e)
    {
        var d = Deferred.Fail<int>(e);
        d.AddErrback(_ => new Deferred<int>());
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AbandonAwaited(Exception e)
    {
        static async Deferred<int> Swallow(Deferred<int> d)
        {
            try { return await d; }
            catch (MarkerException) { return -1; }
        }
        var failed = new Deferred<int>();
        _ = Swallow(failed);
        failed.Errback(e);
    }

    [Fact]
    public void L2_HandledChainedOrAwaitedFailuresAreNeverReported()
    {
        var control = new MarkerException("control");
        var handled = new MarkerException("handled");
        var chainedSync = new MarkerException("chained sync");
        var chainedAsync = new MarkerException("chained async");
        var waiting = new MarkerException("waiting");
        var awaited = new MarkerException("awaited (IC4)");
        using var watch = new Watch(control, handled, chainedSync, chainedAsync, waiting, awaited);
        AbandonHandled(handled);
        AbandonHandedOnByChaining(chainedSync);
        AbandonChainedAsynchronously(chainedAsync);
        AbandonWaitingOnANeverFiringDeferred(waiting);
        AbandonAwaited(awaited);
        Abandon(control);
        watch.CollectUntilReported(control);
        foreach (var e in new[] { handled, chainedSync, chainedAsync, waiting, awaited })
        {
            Assert.True(watch.Reported(e) == 0, $"'{e.Message}' was reported as unhandled");
            Assert.Empty(watch.Logged(e));
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AbandonErrorClearedByValueBoundChaining(Exception e)
    {
        // Func<Failure, object> is the overload C# picks here; the Deferred it returns still chains (CH1).
        var bad = Deferred.Fail<object>(e);
        bad.AddErrback(_ => new Deferred<object>());
    }

    [Fact]
    public void L2_ErrorClearedByChainingThroughAValueOverloadIsNotReported()
    {
        // Twisted: test_errorClearedByChaining.
        var control = new MarkerException("control");
        var cleared = new MarkerException("cleared by chaining");
        using var watch = new Watch(control, cleared);
        AbandonErrorClearedByValueBoundChaining(cleared);
        Abandon(control);
        watch.CollectUntilReported(control);
        Assert.Equal(0, watch.Reported(cleared));
        Assert.Empty(watch.Logged(cleared));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static StrongBox<Deferred<int>?> Hold(Exception e) => new(Deferred.Fail<int>(e));

    [Fact]
    public void L3_NothingIsReportedWhileTheFailedDeferredIsReachable()
    {
        var e = new MarkerException("l3");
        var control = new MarkerException("l3 control");
        using var watch = new Watch(e, control);
        var held = Hold(e);
        Abandon(control);
        watch.CollectUntilReported(control);
        Assert.Equal(0, watch.Reported(e));
        Assert.Empty(watch.Logged(e));

        held.Value = null; // now it can go
        watch.CollectUntilReported(e);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void HandleAndRelease(StrongBox<Deferred<int>?> held)
    {
        held.Value!.AddErrback(_ => 0);
        held.Value = null;
    }

    [Fact]
    public void L2_FailureHandledAfterItSettledIsNotReported()
    {
        var e = new MarkerException("late handling");
        var control = new MarkerException("late control");
        using var watch = new Watch(e, control);
        HandleAndRelease(Hold(e)); // settled with a failure first, handled afterwards
        Abandon(control);
        watch.CollectUntilReported(control);
        Assert.Equal(0, watch.Reported(e));
    }
}
