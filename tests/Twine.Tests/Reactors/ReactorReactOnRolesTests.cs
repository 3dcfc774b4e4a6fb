using Twine.Defer;
using Twine.Reactors;
using Twine.Testing;
using Twine.Time;
using static Twine.Tests.Reactors.ReactorTesting;

namespace Twine.Tests.Reactors;

/// <summary>
/// Reactor.React on a reactor given by its role, the way Twisted's ReactTests pass <c>_reactor=</c> (R1, R2): here a
/// MemoryReactorClock, whose Run jumps virtual time, so an hour-long program runs in no time and deterministically.
/// </summary>
[Collection(ReactLogCollection.Name)]
public sealed class ReactorReactOnRolesTests
{
    private static Action Throw(Exception ex) => () => throw ex;

    [Fact]
    public void R1_RunsUntilAnAsynchronousCallbackThenReturnsZero()
    {
        var reactor = new MemoryReactorClock();
        int code = Reactor.React(reactor, (r, _) => r.DeferLater(TimeSpan.FromHours(1)), []);
        Assert.Equal(0, code);
        Assert.Equal(TimeSpan.FromHours(1), reactor.Now);
        Assert.True(reactor.HasStopped);
        Assert.False(reactor.IsRunning);
    }

    [Fact]
    public void R1_R2_ASynchronousResultStillStartsAndStopsTheReactor()
    {
        var reactor = new MemoryReactorClock();
        bool ranWhileRunning = false;
        int code = Reactor.React(reactor, (r, _) =>
        {
            r.CallWhenRunning(() => ranWhileRunning = r.IsRunning);
            return Deferred.Succeed();
        }, []);
        Assert.Equal(0, code);
        Assert.True(ranWhileRunning);
        Assert.True(reactor.HasRun);
        Assert.True(reactor.HasStopped);
        Assert.Equal(TimeSpan.Zero, reactor.Now);
    }

    [Fact]
    public void R1_AnAsynchronousFailureIsLoggedAndGivesExitCodeOne()
    {
        using var log = new LogCapture("role react async failure");
        var reactor = new MemoryReactorClock();
        int code = Reactor.React(reactor, (r, _) =>
            r.DeferLater(TimeSpan.FromSeconds(1), Throw(new InvalidOperationException("role react async failure"))), []);
        Assert.Equal(1, code);
        Assert.Equal(TimeSpan.FromSeconds(1), reactor.Now);
        Assert.Equal("main function encountered error", Assert.Single(log.Events).Message);
    }

    [Fact]
    public void R1_ASynchronousFailureAndASystemExitCode()
    {
        using var log = new LogCapture("role react sync failure");
        Assert.Equal(1, Reactor.React(new MemoryReactorClock(), (_, _) => Deferred.Fail(new InvalidOperationException("role react sync failure")), []));
        Assert.Single(log.Events);
        Assert.Equal(23, Reactor.React(new MemoryReactorClock(), (r, _) =>
            r.DeferLater(TimeSpan.FromSeconds(2), Throw(new SystemExitException(23))), []));
    }

    [Fact]
    public void R1_TheArgumentsAndTheReactorItselfArePassedToMain()
    {
        var reactor = new MemoryReactorClock();
        MemoryReactorClock? seen = null;
        string[]? seenArgs = null;
        Reactor.React(reactor, (r, a) =>
        {
            seen = r;
            seenArgs = a;
            return Deferred.Succeed();
        }, ["a", "b"]);
        Assert.Same(reactor, seen);
        Assert.Equal(["a", "b"], seenArgs!);
    }

    [Fact]
    public void R1_ATaskMainRunsOnVirtualTime()
    {
        var reactor = new MemoryReactorClock();
        static async Task Main(MemoryReactorClock r, string[] _)
        {
            await r.DeferLater(TimeSpan.FromMinutes(5));   // resumes inline: no thread hop on a memory reactor
            throw new SystemExitException(4);
        }
        int code = Reactor.React(reactor, Main, []);
        Assert.Equal(4, code);
        Assert.Equal(TimeSpan.FromMinutes(5), reactor.Now);
    }

    [Fact]
    public void R2_MainFinishingDuringShutdownDoesNotStopTheReactorAgain()
    {
        // Twisted's test_singleStopCallback: main stops the reactor itself and finishes in a "during shutdown" trigger.
        var reactor = new MemoryReactorClock();
        int code = Reactor.React(reactor, (r, _) =>
        {
            var finished = new Deferred<Unit>();
            r.CallLater(TimeSpan.FromSeconds(1), r.Stop);
            r.AddSystemEventTrigger(SystemEventPhase.During, Reactor.Shutdown, () => finished.Callback());
            return finished;
        }, []);
        Assert.Equal(0, code);   // MemoryReactor.Stop throws when not running: a second stop would have escaped Run
        Assert.Equal(TimeSpan.FromSeconds(1), reactor.Now);
    }

    [Fact]
    public void R2_MainFailingDuringShutdownIsStillReported()
    {
        // Twisted's test_singleStopErrback.
        using var log = new LogCapture("failed during shutdown");
        int code = Reactor.React(new MemoryReactorClock(), (r, _) =>
        {
            var finished = new Deferred<Unit>();
            r.CallLater(TimeSpan.FromSeconds(1), r.Stop);
            r.AddSystemEventTrigger(SystemEventPhase.During, Reactor.Shutdown, () => finished.Errback(new InvalidOperationException("failed during shutdown")));
            return finished;
        }, []);
        Assert.Equal(1, code);
        Assert.Single(log.Events);
    }

    [Fact]
    public void R2_MainThatStopsTheReactorWhenRunningThenFinishes()
    {
        // Twisted's test_synchronousStop and test_asynchronousStop.
        foreach (var delay in new[] { TimeSpan.Zero, TimeSpan.FromSeconds(1) })
        {
            var reactor = new MemoryReactorClock();
            int code = Reactor.React(reactor, (r, _) =>
            {
                var d = new Deferred<Unit>();
                void StopThenFinish()
                {
                    r.Stop();
                    d.Callback();
                }
                if (delay == TimeSpan.Zero) r.CallWhenRunning(StopThenFinish);
                else r.CallLater(delay, StopThenFinish);
                return d;
            }, []);
            Assert.Equal(0, code);
            Assert.Equal(delay, reactor.Now);
        }
    }

    [Fact]
    public void RE9_AReactorStoppedBySignalGivesExitCode128PlusTheSignal()
    {
        var reactor = new MemoryReactorClock();
        int code = Reactor.React(reactor, (r, _) =>
        {
            r.CallLater(TimeSpan.FromSeconds(3), () => r.StopBySignal(15));
            return new Deferred<Unit>();   // never finishes
        }, []);
        Assert.Equal(128 + 15, code);
    }

    [Fact]
    public void R1_AMainThatNeverFinishesOnAPlainMemoryReactorEndsWhenRunDoes()
    {
        // MR4: a MemoryReactor without a clock has nothing to wait for: Run stops after the hooks.
        var reactor = new MemoryReactor();
        Assert.Equal(0, Reactor.React(reactor, (_, _) => new Deferred<Unit>(), []));
        Assert.True(reactor.HasStopped);
    }
}
