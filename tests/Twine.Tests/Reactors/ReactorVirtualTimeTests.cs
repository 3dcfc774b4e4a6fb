using Twine.Defer;
using Twine.Net;
using Twine.Reactors;
using Twine.Tests.Net.Tcp;
using Twine.Time;
using static Twine.Tests.Reactors.ReactorTesting;

namespace Twine.Tests.Reactors;

/// <summary>
/// The real reactor on a manual clock (ReactorOptions.Clock) with Trio's auto-jump (VT1, VT2): socket code with
/// timeouts runs on real loopback sockets without waiting for its timeouts. Runs are watched by a thread, not by a
/// timer: on virtual time a guard timer would itself be jumped to.
/// </summary>
public sealed class ReactorVirtualTimeTests
{
    private static Reactor Create(ReactorBackend backend, Clock clock, TimeSpan? threshold) =>
        Reactor.Create(new ReactorOptions { Backend = backend, InstallSignalHandlers = false, Clock = clock, AutoJumpThreshold = threshold });

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void VT1_ATimeoutOnASilentConnectionFiresWithoutWaiting(ReactorBackend backend)
    {
        var clock = new Clock();
        using var reactor = Create(backend, clock, TimeSpan.Zero);
        var server = new RecordingProtocol();   // accepts, never answers
        var (port, number) = NetTesting.ListenLocal(reactor, new Factory(() => server));
        Failure? timedOut = null;
        TimeSpan connectedAt = default;
        var client = new RecordingProtocol
        {
            OnMade = p =>
            {
                connectedAt = reactor.Now;
                // "An answer within 30 seconds": the server never answers, so the timeout decides.
                new Deferred<Unit>().AddTimeout(TimeSpan.FromSeconds(30), reactor).AddErrback(f =>
                {
                    timedOut = f;
                    p.Transport.LoseConnection();
                    reactor.Stop();
                });
            },
        };
        reactor.ConnectTcp("127.0.0.1", number, NetTesting.Client(client));
        RunWatched(reactor);
        Assert.True(client.Made);
        Assert.IsType<DeferredTimeoutException>(timedOut!.Value);
        Assert.Equal(connectedAt + TimeSpan.FromSeconds(30), reactor.Now);
        Assert.True(reactor.AutoJumps >= 1);
        port.StopListening();
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void VT2_AnAnswerThatArrivesBeatsTheTimeout(ReactorBackend backend)
    {
        var clock = new Clock();
        // The threshold is a safety net for a slow machine: the echo is ready long before it, so it is never waited for.
        using var reactor = Create(backend, clock, GuardLimit);
        var (port, number) = NetTesting.ListenLocal(reactor, new Factory(() => new EchoProtocol()));
        bool timedOut = false;
        IDelayedCall? timeout = null;
        var client = new RecordingProtocol
        {
            OnMade = p =>
            {
                timeout = reactor.CallLater(TimeSpan.FromSeconds(30), () =>
                {
                    timedOut = true;
                    reactor.Stop();
                });
                p.Transport.Write("ping"u8);
            },
            OnData = (p, _) =>
            {
                if (p.ReceivedCount < 4) return;
                timeout!.Cancel();
                p.Transport.LoseConnection();
                reactor.Stop();
            },
        };
        reactor.ConnectTcp("127.0.0.1", number, NetTesting.Client(client));
        RunWatched(reactor);
        Assert.False(timedOut);
        Assert.Equal("ping"u8.ToArray(), client.Received);
        Assert.Equal(TimeSpan.Zero, reactor.Now);
        Assert.Equal(0, reactor.AutoJumps);
        port.StopListening();
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void VT1_TimersFireInOrderAtTheirVirtualTimes(ReactorBackend backend)
    {
        var clock = new Clock();
        using var reactor = Create(backend, clock, TimeSpan.Zero);
        var fired = new List<(string, TimeSpan)>();
        reactor.CallLater(TimeSpan.FromHours(2), () => { fired.Add(("two hours", reactor.Now)); reactor.Stop(); });
        reactor.CallLater(TimeSpan.FromMinutes(1), () => fired.Add(("a minute", reactor.Now)));
        RunWatched(reactor);
        Assert.Equal([("a minute", TimeSpan.FromMinutes(1)), ("two hours", TimeSpan.FromHours(2))], fired);
        Assert.Equal(2, reactor.AutoJumps);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void WithoutAutoJumpTheManualClockMovesOnlyWhenAdvanced(ReactorBackend backend)
    {
        var clock = new Clock();
        using var reactor = Create(backend, clock, threshold: null);
        bool fired = false;
        reactor.CallLater(TimeSpan.FromHours(1), () =>
        {
            fired = true;
            reactor.Stop();
        });
        // No timer wait on a manual clock: the loop sleeps for I/O until another thread advances the clock through it.
        reactor.CallWhenRunning(() => new Thread(() => reactor.CallFromThread(() =>
        {
            Assert.False(fired);
            clock.Advance(TimeSpan.FromHours(1));
        })).Start());
        RunWatched(reactor);
        Assert.True(fired);
        Assert.Equal(TimeSpan.FromHours(1), reactor.Now);
        Assert.Equal(0, reactor.TimedWaits);
    }

    [Fact]
    public void AutoJumpNeedsAManualClock()
    {
        var ex = Assert.Throws<ArgumentException>(() => Reactor.Create(new ReactorOptions { AutoJumpThreshold = TimeSpan.Zero }));
        Assert.Contains("Clock", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            Reactor.Create(new ReactorOptions { Clock = new Clock(), AutoJumpThreshold = TimeSpan.FromSeconds(-1) }));
    }
}
