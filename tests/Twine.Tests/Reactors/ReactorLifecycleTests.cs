using Twine.Reactors.Io;
using Twine.Defer;
using Twine.Reactors;
using static Twine.Tests.Reactors.ReactorTesting;

namespace Twine.Tests.Reactors;


/// <summary>Run, Stop, Crash, Iterate, CallWhenRunning and the startup/shutdown events on a real reactor (RE1–RE7).</summary>
[Collection(ReactLogCollection.Name)]
public sealed class ReactorLifecycleTests
{
    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void RE1_StopWhenNeverStartedThrows(ReactorBackend backend)
    {
        using var reactor = Create(backend);
        Assert.Throws<ReactorNotRunningException>(reactor.Stop);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void RE1_StopWhenAlreadyStoppedThrows(ReactorBackend backend)
    {
        using var reactor = Create(backend);
        Exception? second = null;
        reactor.CallWhenRunning(() =>
        {
            reactor.Stop();
            second = Record.Exception(reactor.Stop);
        });
        RunGuarded(reactor);
        Assert.IsType<ReactorNotRunningException>(second);
        Assert.Throws<ReactorNotRunningException>(reactor.Stop);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void RE2_RunWhileRunningThrows(ReactorBackend backend)
    {
        using var reactor = Create(backend);
        Exception? nested = null;
        reactor.CallWhenRunning(() =>
        {
            nested = Record.Exception(reactor.Run);
            reactor.Stop();
        });
        RunGuarded(reactor);
        Assert.IsType<ReactorAlreadyRunningException>(nested);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void RE2_RunAfterStopThrowsNotRestartable(ReactorBackend backend)
    {
        using var reactor = Create(backend);
        reactor.CallWhenRunning(reactor.Stop);
        RunGuarded(reactor);
        Assert.Throws<ReactorNotRestartableException>(reactor.Run);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void RE2_RunAfterCrashIsAllowedAndNewWhenRunningHooksRun(ReactorBackend backend)
    {
        using var reactor = Create(backend);
        var events = new List<string>();
        reactor.CallWhenRunning(() =>
        {
            events.Add("first run");
            reactor.Crash();
        });
        RunGuarded(reactor);
        Assert.False(reactor.IsRunning);

        reactor.CallWhenRunning(() =>
        {
            events.Add("second run");
            reactor.Stop();
        });
        RunGuarded(reactor);
        Assert.Equal(["first run", "second run"], events);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void RE3_CallWhenRunningRunsInOrderThenImmediatelyOnceRunning(ReactorBackend backend)
    {
        using var reactor = Create(backend);
        var events = new List<string>();
        Assert.NotNull(reactor.CallWhenRunning(() => events.Add("a")));
        Assert.NotNull(reactor.CallWhenRunning(() => events.Add("b")));
        reactor.CallWhenRunning(() =>
        {
            var handle = reactor.CallWhenRunning(() => events.Add("immediate"));
            Assert.Null(handle);
            events.Add("after immediate");
            reactor.Stop();
        });
        RunGuarded(reactor);
        Assert.Equal(["a", "b", "immediate", "after immediate"], events);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void RE4_BeforeStartupSeesNotRunningDuringAndAfterSeeRunning(ReactorBackend backend)
    {
        using var reactor = Create(backend);
        var seen = new List<(string, bool)>();
        reactor.AddSystemEventTrigger(SystemEventPhase.Before, Reactor.Startup, () => seen.Add(("before", reactor.IsRunning)));
        reactor.AddSystemEventTrigger(SystemEventPhase.During, Reactor.Startup, () => seen.Add(("during", reactor.IsRunning)));
        reactor.AddSystemEventTrigger(SystemEventPhase.After, Reactor.Startup, () => seen.Add(("after", reactor.IsRunning)));
        reactor.CallWhenRunning(reactor.Stop);
        RunGuarded(reactor);
        Assert.Equal([("before", false), ("during", true), ("after", true)], seen);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void RE4_AsynchronousBeforeStartupTriggerHoldsStartupWhileTheLoopRuns(ReactorBackend backend)
    {
        using var reactor = Create(backend);
        var events = new List<string>();
        var gate = new Deferred<Unit>();
        reactor.AddSystemEventTrigger(SystemEventPhase.Before, Reactor.Startup, () => gate);
        // The loop must turn (timers run) while startup waits; the reactor is not running yet.
        reactor.CallLater(TimeSpan.Zero, () =>
        {
            events.Add($"timer running={reactor.IsRunning}");
            gate.Callback();
        });
        reactor.CallWhenRunning(() =>
        {
            events.Add($"when running running={reactor.IsRunning}");
            reactor.Stop();
        });
        RunGuarded(reactor);
        Assert.Equal(["timer running=False", "when running running=True"], events);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void RE4_RE9_SignalHandlersAreInstalledDuringStartupAndRemovedAtShutdown(ReactorBackend backend)
    {
        using var reactor = Create(backend, signals: true);
        var seen = new List<(string, bool)>();
        reactor.AddSystemEventTrigger(SystemEventPhase.Before, Reactor.Startup, () => seen.Add(("before", reactor.SignalHandlersInstalled)));
        reactor.AddSystemEventTrigger(SystemEventPhase.After, Reactor.Startup, () => seen.Add(("after", reactor.SignalHandlersInstalled)));
        reactor.CallWhenRunning(reactor.Stop);
        RunGuarded(reactor);
        Assert.Equal([("before", false), ("after", true)], seen);
        Assert.False(reactor.SignalHandlersInstalled);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void RE5_StopIsAsynchronous(ReactorBackend backend)
    {
        using var reactor = Create(backend);
        var events = new List<string>();
        reactor.AddSystemEventTrigger(SystemEventPhase.Before, Reactor.Shutdown, () => events.Add("before shutdown"));
        reactor.CallWhenRunning(() =>
        {
            reactor.Stop();
            events.Add("stopped");
        });
        RunGuarded(reactor);
        Assert.Equal(["stopped", "before shutdown"], events);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void RE5_AllShutdownPhasesFinishBeforeRunReturns(ReactorBackend backend)
    {
        using var reactor = Create(backend);
        var events = new List<string>();
        reactor.AddSystemEventTrigger(SystemEventPhase.Before, Reactor.Shutdown, () =>
        {
            events.Add("before");
            var d = new Deferred<Unit>();
            // Fired by a timer: the loop keeps turning while shutdown waits.
            reactor.CallLater(TimeSpan.Zero, () =>
            {
                events.Add($"timer running={reactor.IsRunning}");
                d.Callback();
            });
            return d;
        });
        reactor.AddSystemEventTrigger(SystemEventPhase.During, Reactor.Shutdown, () => events.Add($"during running={reactor.IsRunning}"));
        reactor.AddSystemEventTrigger(SystemEventPhase.After, Reactor.Shutdown, () => events.Add("after"));
        reactor.CallWhenRunning(reactor.Stop);
        RunGuarded(reactor);
        // The reactor's own crash trigger is the first "during" trigger, so user during triggers see it not running.
        Assert.Equal(["before", "timer running=True", "during running=False", "after"], events);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void RE6_ShutdownDisconnectsEveryRegisteredDescriptorEvenIfOneThrows(ReactorBackend backend)
    {
        using var reactor = Create(backend);
        using var a = SocketPair.Create();
        using var b = SocketPair.Create();
        using var log = new LogCapture("disconnect boom");
        var first = new RecordingHandler { ThrowOnShutdown = new InvalidOperationException("disconnect boom") };
        var second = new RecordingHandler();
        reactor.CallWhenRunning(() =>
        {
            first.Registration = reactor.Io.RegisterIo(a.Left, IoEvents.None, first);
            second.Registration = reactor.Io.RegisterIo(b.Left, IoEvents.None, second);
            reactor.Stop();
        });
        RunGuarded(reactor);
        Assert.Equal(1, first.ShutdownCalls);
        Assert.Equal(1, second.ShutdownCalls);
        Assert.Equal(0, reactor.RegisteredIoCount);
        Assert.Single(log.Events);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void RE7_CrashStopsAtOnceWithoutShutdownTriggers(ReactorBackend backend)
    {
        using var reactor = Create(backend);
        bool shutdownRan = false;
        reactor.AddSystemEventTrigger(SystemEventPhase.Before, Reactor.Shutdown, () => { shutdownRan = true; });
        reactor.CallWhenRunning(reactor.Crash);
        RunGuarded(reactor);
        Assert.False(shutdownRan);
        Assert.False(reactor.IsRunning);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void RE7_IterateRunsDueCallsWithoutRunning(ReactorBackend backend)
    {
        using var reactor = Create(backend);
        int calls = 0;
        reactor.CallLater(TimeSpan.Zero, () => calls++);
        reactor.Iterate();
        Assert.Equal(1, calls);
        Assert.False(reactor.IsRunning);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void FireSystemEventBeforeRunDestroysTheThreadPool(ReactorBackend backend)
    {
        // TH2: firing "shutdown" before run() also cleans up the pool.
        using var reactor = Create(backend);
        var pool = reactor.GetThreadPool();
        reactor.FireSystemEvent(Reactor.Shutdown);
        Assert.Null(reactor.ThreadPoolIfCreated);
        Assert.Throws<InvalidOperationException>(() => pool.CallInThread(() => { }));
    }

    [Fact]
    public void BackendIsChosenByOptionThenEnvironmentThenOs()
    {
        Assert.Equal(ReactorBackend.Poll, Reactor.ResolveBackend(ReactorBackend.Poll, "epoll"));
        Assert.Equal(ReactorBackend.Epoll, Reactor.ResolveBackend(ReactorBackend.Auto, "epoll"));
        Assert.Equal(ReactorBackend.Poll, Reactor.ResolveBackend(ReactorBackend.Auto, " POLL "));
        Assert.Equal(OperatingSystem.IsLinux() ? ReactorBackend.Epoll : ReactorBackend.Poll, Reactor.ResolveBackend(ReactorBackend.Auto, null));
        Assert.Throws<ArgumentException>(() => Reactor.ResolveBackend(ReactorBackend.Auto, "kqueue"));
        using var epoll = Create(ReactorBackend.Epoll);
        using var poll = Create(ReactorBackend.Poll);
        Assert.Equal("epoll", epoll.BackendName);
        Assert.Equal("poll", poll.BackendName);
    }

    [Fact]
    public void DisposeWhileRunningThrowsAndDisposedReactorRefusesToRun()
    {
        var reactor = Create(ReactorBackend.Epoll);
        Exception? disposeError = null;
        reactor.CallWhenRunning(() =>
        {
            disposeError = Record.Exception(reactor.Dispose);
            reactor.Stop();
        });
        RunGuarded(reactor);
        Assert.IsType<InvalidOperationException>(disposeError);
        reactor.Dispose();
        Assert.Throws<ObjectDisposedException>(reactor.Run);
        reactor.CallFromThread(() => { });   // waking a disposed reactor is harmless
    }
}
