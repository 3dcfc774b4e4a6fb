using Twine.Reactors;
using Twine.Testing;
using Twine.Time;

namespace Twine.Tests.Testing;

public sealed class GuardedRunTests
{
    [Fact]
    public void AStoppedRunReturnsAndCancelsItsGuard()
    {
        using var reactor = Reactor.Create(new ReactorOptions { InstallSignalHandlers = false });
        reactor.CallWhenRunning(reactor.Stop);
        reactor.RunGuarded(TimeSpan.FromSeconds(30));
        Assert.Empty(reactor.GetDelayedCalls());
    }

    [Fact]
    public void ARunThatNeverStopsTripsTheGuardAndSaysWhy()
    {
        // On a manual clock that jumps, the guard's hour passes at once: the failure path without waiting.
        var options = new ReactorOptions { InstallSignalHandlers = false, Clock = new Clock(), AutoJumpThreshold = TimeSpan.Zero };
        using var reactor = Reactor.Create(options);
        var ex = Assert.Throws<TimeoutException>(() => reactor.RunGuarded(TimeSpan.FromHours(1), () => " peer said: bye"));
        Assert.Equal("The reactor was still running after 3600 s: guard tripped. peer said: bye", ex.Message);
        Assert.False(reactor.IsRunning);
    }
}
