using System.Runtime.InteropServices;
using Twine.Defer;
using Twine.Reactors;
using static Twine.Tests.Reactors.ReactorTesting;

namespace Twine.Tests.Reactors;


/// <summary>SIGINT/SIGTERM stop the reactor cleanly (RE9).</summary>
public sealed class ReactorSignalTests
{
    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void RE9_ASignalFromAnotherThreadStopsTheReactorCleanly(ReactorBackend backend)
    {
        using var reactor = Create(backend, signals: true);
        bool shutdownRan = false;
        reactor.AddSystemEventTrigger(SystemEventPhase.Before, Reactor.Shutdown, () => { shutdownRan = true; });
        reactor.CallWhenRunning(() => new Thread(() => reactor.SimulateSignal(PosixSignal.SIGTERM)).Start());
        RunGuarded(reactor);
        Assert.True(shutdownRan);
        Assert.Equal(15, reactor.ExitSignal);
        Assert.False(reactor.SignalHandlersInstalled);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void RE9_TwoSignalsStopOnce(ReactorBackend backend)
    {
        using var reactor = Create(backend, signals: true);
        using var log = new Twine.Tests.Reactors.ReactorTesting.LogCapture("Can't stop");
        reactor.CallWhenRunning(() =>
        {
            reactor.SimulateSignal(PosixSignal.SIGINT);
            reactor.SimulateSignal(PosixSignal.SIGINT);
        });
        RunGuarded(reactor);
        Assert.Equal(2, reactor.ExitSignal);
        Assert.Empty(log.Events);
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
