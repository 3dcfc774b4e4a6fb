using System.Runtime.InteropServices;
using Twine.Defer;
using Twine.Reactors;
using Twine.Testing;
using static Twine.Tests.Reactors.ReactorTesting;

namespace Twine.Tests.Reactors;


/// <summary>SIGINT/SIGTERM stop the reactor cleanly (RE9).</summary>
[Collection(ReactLogCollection.Name)]
public sealed class ReactorSignalTests
{
    private static Reactor CreateWith(ReactorBackend backend, ManualSignalSource signals) =>
        Reactor.Create(new ReactorOptions { Backend = backend, SignalSource = signals });

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void RE9_ASignalFromAnotherThreadStopsTheReactorCleanly(ReactorBackend backend)
    {
        var signals = new ManualSignalSource();
        using var reactor = CreateWith(backend, signals);
        bool shutdownRan = false;
        Assert.False(signals.IsRegistered(PosixSignal.SIGTERM));   // installed only once running (RE4)
        reactor.AddSystemEventTrigger(SystemEventPhase.Before, Reactor.Shutdown, () => { shutdownRan = true; });
        reactor.CallWhenRunning(() => new Thread(() => Assert.True(signals.Raise(PosixSignal.SIGTERM))).Start());
        RunGuarded(reactor);
        Assert.True(shutdownRan);
        Assert.Equal(15, reactor.ExitSignal);
        Assert.False(reactor.SignalHandlersInstalled);
        Assert.False(signals.IsRegistered(PosixSignal.SIGTERM));
        Assert.False(signals.IsRegistered(PosixSignal.SIGINT));
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void RE9_TwoSignalsStopOnce(ReactorBackend backend)
    {
        var signals = new ManualSignalSource();
        using var reactor = CreateWith(backend, signals);
        using var log = new Twine.Tests.Reactors.ReactorTesting.LogCapture("Can't stop");
        reactor.CallWhenRunning(() =>
        {
            signals.Raise(PosixSignal.SIGINT);
            signals.Raise(PosixSignal.SIGINT);
        });
        RunGuarded(reactor);
        Assert.Equal(2, reactor.ExitSignal);
        Assert.Empty(log.Events);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void RE9_ASignalDuringReactGivesExitCode128PlusTheSignal(ReactorBackend backend)
    {
        foreach (var (signal, code) in new[] { (PosixSignal.SIGINT, 130), (PosixSignal.SIGTERM, 143) })
        {
            var signals = new ManualSignalSource();
            using var reactor = CreateWith(backend, signals);
            var guard = reactor.CallLater(GuardLimit, reactor.Crash);
            int exit = Reactor.React(reactor, (r, _) =>
            {
                r.CallWhenRunning(() => signals.Raise(signal));
                return new Deferred<Unit>();   // never fires: only the signal can end this
            }, []);
            Assert.True(guard.IsActive, "guard tripped");
            guard.Cancel();
            Assert.Equal(code, exit);
        }
    }

    [Fact]
    public void RE9_WithoutSignalHandlersASignalIsNotTheReactorsToHandle()
    {
        var signals = new ManualSignalSource();
        using var reactor = Reactor.Create(new ReactorOptions { SignalSource = signals, InstallSignalHandlers = false });
        reactor.CallWhenRunning(() =>
        {
            Assert.False(signals.Raise(PosixSignal.SIGTERM));
            reactor.Stop();
        });
        RunGuarded(reactor);
        Assert.Null(reactor.ExitSignal);
    }

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);

    [Fact]
    public void RE9_ARealSigintStopsAReactedProgramWithCode130()
    {
        // A real signal to this very process: the reactor's registration cancels the default termination.
        using var reactor = Create(ReactorBackend.Epoll, signals: true);
        var guard = reactor.CallLater(GuardLimit, reactor.Crash);
        int code = Reactor.React(reactor, (r, _) =>
        {
            r.CallWhenRunning(() => Assert.Equal(0, Kill(Environment.ProcessId, 2)));
            return new Deferred<Unit>();   // never fires: only the signal can end this
        }, []);
        Assert.True(guard.IsActive, "guard tripped: the signal did not stop the reactor");
        guard.Cancel();
        Assert.Equal(130, code);
    }
}
