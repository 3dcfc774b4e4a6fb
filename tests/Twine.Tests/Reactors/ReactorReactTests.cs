using Twine.Defer;
using Twine.Reactors;
using Twine.Time;
using static Twine.Tests.Reactors.ReactorTesting;

namespace Twine.Tests.Reactors;


/// <summary>Reactor.React: Twisted's task.react (R1, R2).</summary>
[Collection(ReactLogCollection.Name)]
public sealed class ReactorReactTests
{
    /// <summary>React on a fresh reactor with a guard timer (react stops the reactor itself; the guard crashes it).</summary>
    private static int React(ReactorBackend backend, Func<Reactor, string[], Deferred> main, string[]? args = null)
    {
        using var reactor = Create(backend);
        bool tripped = false;
        var guard = reactor.CallLater(GuardLimit, () =>
        {
            tripped = true;
            reactor.Crash();
        });
        int code = Reactor.React(reactor, main, args ?? []);
        if (guard.IsActive) guard.Cancel();
        Assert.False(tripped, "guard tripped");
        return code;
    }

    private static int ReactTask(ReactorBackend backend, Func<Reactor, string[], Task> main, string[]? args = null)
    {
        using var reactor = Create(backend);
        var guard = reactor.CallLater(GuardLimit, reactor.Crash);
        int code = Reactor.React(reactor, main, args ?? []);
        Assert.True(guard.IsActive, "guard tripped");
        guard.Cancel();
        return code;
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void R1_RunsUntilAnAsynchronousCallbackThenReturnsZero(ReactorBackend backend)
    {
        TimeSpan? firedAt = null;
        int code = React(backend, (reactor, _) =>
        {
            var d = new Deferred<Unit>();
            reactor.CallLater(TimeSpan.FromMilliseconds(1), () =>
            {
                firedAt = reactor.Now;
                d.Callback();
            });
            return d;
        });
        Assert.Equal(0, code);
        Assert.NotNull(firedAt);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void R1_R2_ASynchronousResultStillStartsAndStopsTheReactor(ReactorBackend backend)
    {
        bool ran = false;
        int code = React(backend, (reactor, _) =>
        {
            reactor.CallWhenRunning(() => ran = true);
            return Deferred.Succeed(42);
        });
        Assert.Equal(0, code);
        Assert.True(ran);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void R1_ASynchronousFailureIsLoggedAndGivesExitCodeOne(ReactorBackend backend)
    {
        using var log = new LogCapture("main function encountered error");
        int code = React(backend, (_, _) => Deferred.Fail(new InvalidOperationException("sync main failure")));
        Assert.Equal(1, code);
        var entry = Assert.Single(log.Events);
        Assert.Equal("sync main failure", entry.Failure!.Value.Message);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void R1_AnAsynchronousFailureIsLoggedAndGivesExitCodeOne(ReactorBackend backend)
    {
        using var log = new LogCapture("main function encountered error");
        int code = React(backend, (reactor, _) =>
        {
            var d = new Deferred<Unit>();
            reactor.CallLater(TimeSpan.Zero, () => d.Errback(new InvalidOperationException("async main failure")));
            return d;
        });
        Assert.Equal(1, code);
        Assert.Single(log.Events);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void R1_MainThrowingSynchronouslyIsAFailure(ReactorBackend backend)
    {
        using var log = new LogCapture("main function encountered error");
        int code = React(backend, (_, _) => throw new InvalidOperationException("thrown by main"));
        Assert.Equal(1, code);
        Assert.Single(log.Events);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void R1_SystemExitChoosesTheCode(ReactorBackend backend)
    {
        using var log = new LogCapture("main function encountered error");
        Assert.Equal(3, React(backend, (_, _) => Deferred.Fail(new SystemExitException(3))));
        Assert.Equal(0, React(backend, (_, _) => Deferred.Fail(new SystemExitException(0))));
        Assert.Empty(log.Events);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void R1_ArgumentsArePassedToMain(ReactorBackend backend)
    {
        string[]? seen = null;
        React(backend, (_, args) =>
        {
            seen = args;
            return Deferred.Succeed();
        }, ["a", "b"]);
        Assert.Equal(["a", "b"], seen!);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void R2_MainThatStopsTheReactorItselfIsNotStoppedTwice(ReactorBackend backend)
    {
        // The Deferred fires after shutdown has begun: react must not call Stop again (it would throw).
        int code = React(backend, (reactor, _) =>
        {
            var d = new Deferred<Unit>();
            reactor.AddSystemEventTrigger(SystemEventPhase.During, Reactor.Shutdown, () => d.Callback());
            reactor.CallWhenRunning(reactor.Stop);
            return d;
        });
        Assert.Equal(0, code);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void R2_MainThatStopsAndFailsStillReportsTheFailure(ReactorBackend backend)
    {
        using var log = new LogCapture("main function encountered error");
        int code = React(backend, (reactor, _) =>
        {
            var d = new Deferred<Unit>();
            reactor.AddSystemEventTrigger(SystemEventPhase.During, Reactor.Shutdown, () => d.Errback(new InvalidOperationException("late")));
            reactor.CallWhenRunning(reactor.Stop);
            return d;
        });
        Assert.Equal(1, code);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void R2_ASynchronousStopIsIgnoredWhenTheReactorIsAlreadyStopping(ReactorBackend backend)
    {
        // Stop requested first, then main's result arrives in the same turn: the ReactorNotRunning is swallowed.
        int code = React(backend, (reactor, _) =>
        {
            var d = new Deferred<Unit>();
            reactor.CallWhenRunning(() =>
            {
                reactor.Stop();
                d.Callback();
            });
            return d;
        });
        Assert.Equal(0, code);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void R1_AsyncTaskMainResumesOnTheReactorThread(ReactorBackend backend)
    {
        var threads = new List<bool>();
        async Task Main(Reactor reactor, string[] args)
        {
            threads.Add(reactor.IsInReactorThread);
            await Task.Run(() => { });
            threads.Add(reactor.IsInReactorThread);
            await Task.Yield();
            threads.Add(reactor.IsInReactorThread);
        }
        int code = ReactTask(backend, Main);
        Assert.Equal(0, code);
        Assert.Equal([true, true, true], threads);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void R1_AsyncTaskMainFailureAndExitCode(ReactorBackend backend)
    {
        using var log = new LogCapture("main function encountered error");
        static async Task Fails(Reactor r, string[] a)
        {
            await Task.Run(() => { });
            throw new InvalidOperationException("async task failure");
        }
        static async Task Exits(Reactor r, string[] a)
        {
            await Task.Yield();
            throw new SystemExitException(7);
        }
        Assert.Equal(1, ReactTask(backend, Fails));
        Assert.Equal(7, ReactTask(backend, Exits));
        Assert.Single(log.Events);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void R1_AnAsyncLambdaIsAnAsyncDeferredRunningOnTheReactor(ReactorBackend backend)
    {
        var threads = new List<bool>();
        int code = React(backend, async (reactor, args) =>
        {
            threads.Add(reactor.IsInReactorThread);
            await reactor.Sleep(TimeSpan.FromMilliseconds(1));
            threads.Add(reactor.IsInReactorThread);
            await Task.Run(() => { });
            threads.Add(reactor.IsInReactorThread);
        });
        Assert.Equal(0, code);
        Assert.Equal([true, true, true], threads);
    }

    [Fact]
    public void React_CreatesItsOwnReactor()
    {
        int code = Reactor.React((reactor, args) =>
        {
            var d = new Deferred<Unit>();
            reactor.CallLater(TimeSpan.Zero, () => d.Callback());
            return d;
        }, [], new ReactorOptions { InstallSignalHandlers = false });
        Assert.Equal(0, code);
        Assert.Equal(5, Reactor.React(async (reactor, args) =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(1), reactor.TimeProvider);
            throw new SystemExitException(5);
        }, [], new ReactorOptions { InstallSignalHandlers = false }));
    }
}
