using System.Net;
using Twine.Defer;
using Twine.Net;
using Twine.Testing;
using Twine.Time;

namespace Twine.Tests.Net;

public sealed class ReconnectingClientFactoryTests
{
    private sealed class P : Protocol { }

    /// <summary>Returns the given uniforms in order, so the normal variate can be computed by hand.</summary>
    private sealed class ScriptedRandom(params double[] values) : Random
    {
        private int _next;
        public override double NextDouble() => values[_next++ % values.Length];
    }

    private sealed class FakeConnector : IConnector
    {
        public int Connects;
        public int StopCalls;
        public Action? OnStopConnecting;
        public bool ThrowNotConnecting;
        public EndPoint Destination { get; } = new DnsEndPoint("example.org", 80);
        public void Connect() => Connects++;
        public void Disconnect() { }
        public void StopConnecting()
        {
            StopCalls++;
            OnStopConnecting?.Invoke();
            if (ThrowNotConnecting) throw new NotConnectingException();
        }
    }

    private static ReconnectingClientFactory NewFactory(Clock clock, double jitter = 0) =>
        new(() => new P()) { Clock = clock, Jitter = jitter, Noisy = false };

    private static Failure Lost => new(new ConnectionLostException());

    [Fact]
    public void PF6_Defaults()
    {
        var f = new ReconnectingClientFactory();
        Assert.Equal(TimeSpan.FromSeconds(3600), f.MaxDelay);
        Assert.Equal(TimeSpan.FromSeconds(1), f.InitialDelay);
        Assert.Equal(2.718281828459045, f.Factor);
        Assert.Equal(0.119626565582, f.Jitter);
        Assert.Null(f.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(1), f.Delay);
        Assert.Equal(0, f.Retries);
        Assert.True(f.ContinueTrying);
        Assert.Null(f.Clock);
    }

    [Fact]
    public void PF6_FirstRetryWaitsInitialTimesFactorNotInitialDelay()
    {
        var clock = new Clock();
        var f = NewFactory(clock);
        var connector = new FakeConnector();
        f.ClientConnectionFailed(connector, new Failure(new ConnectException("refused")));

        var call = Assert.Single(clock.GetDelayedCalls());
        Assert.Equal(Math.E, call.Time.TotalSeconds, 6);
        clock.Advance(TimeSpan.FromSeconds(2.7));
        Assert.Equal(0, connector.Connects);
        clock.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal(1, connector.Connects);
        Assert.Null(f.PendingRetry);
    }

    [Fact]
    public void PF6_BackoffGrowsByEAndIsCappedAtMaxDelayWithoutJitter()
    {
        var clock = new Clock();
        var f = NewFactory(clock);
        var connector = new FakeConnector();
        var expected = 1.0;
        for (var i = 1; i <= 12; i++)
        {
            var before = clock.Now;
            f.ClientConnectionLost(connector, Lost);
            expected = Math.Min(expected * Math.E, 3600);
            Assert.Equal(i, f.Retries);
            Assert.Equal(expected, f.Delay.TotalSeconds, 6);
            var call = Assert.Single(clock.GetDelayedCalls());
            Assert.Equal(expected, (call.Time - before).TotalSeconds, 6);
            clock.Advance(call.Time - clock.Now);
            Assert.Equal(i, connector.Connects);
        }
        // e^8 ≈ 2981 is under the cap, e^9 ≈ 8103 is not.
        Assert.Equal(3600, f.Delay.TotalSeconds, 6);
    }

    [Fact]
    public void PF6_JitterIsANormalVariateFromTheInjectedRandom()
    {
        // Kinderman–Monahan with u1 = 0.7 and 1 - u2 = 0.5 accepts at once: z = C * 0.2 / 0.5.
        var c = 4 * Math.Exp(-0.5) / Math.Sqrt(2.0);
        var z = c * 0.2 / 0.5;
        var clock = new Clock();
        var f = NewFactory(clock, jitter: ReconnectingClientFactory.DefaultJitter);
        f.Random = new ScriptedRandom(0.7, 0.5);

        f.ClientConnectionLost(new FakeConnector(), Lost);

        var mean = Math.E;
        var expected = mean + z * mean * 0.119626565582;
        Assert.Equal(expected, f.Delay.TotalSeconds, 6);
        Assert.Equal(expected, Assert.Single(clock.GetDelayedCalls()).Time.TotalSeconds, 6);
    }

    [Fact]
    public void PF6_NormalVariateRejectsDrawsOutsideTheAcceptanceRegion()
    {
        // u1 = 0.999, 1 - u2 = 0.99 gives z² / 4 far above -log(0.99): rejected; the next pair (0.5, 0.5) gives z = 0.
        var random = new ScriptedRandom(0.999, 0.01, 0.5, 0.5);
        Assert.Equal(10.0, ReconnectingClientFactory.NormalVariate(random, 10.0, 3.0), 12);
    }

    [Fact]
    public void PF6_SeededJitterIsReproducibleAndHasTheRightSpread()
    {
        var a = new Random(1234);
        var b = new Random(1234);
        var samples = new double[20000];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = ReconnectingClientFactory.NormalVariate(a, 100, 100 * ReconnectingClientFactory.DefaultJitter);
            Assert.Equal(samples[i], ReconnectingClientFactory.NormalVariate(b, 100, 100 * ReconnectingClientFactory.DefaultJitter));
        }
        var mean = samples.Average();
        var sd = Math.Sqrt(samples.Sum(s => (s - mean) * (s - mean)) / (samples.Length - 1));
        Assert.InRange(mean, 99.5, 100.5);
        Assert.InRange(sd, 11.5, 12.4);
    }

    [Fact]
    public void PF6_JitterIsAppliedAfterTheCapSoDelaysCanExceedMaxDelay()
    {
        var clock = new Clock();
        var f = NewFactory(clock, jitter: ReconnectingClientFactory.DefaultJitter);
        f.Random = new Random(42);
        f.MaxDelay = TimeSpan.FromSeconds(10);
        var connector = new FakeConnector();
        var above = 0;
        for (var i = 0; i < 200; i++)
        {
            f.ClientConnectionLost(connector, Lost);
            if (f.Delay.TotalSeconds > 10) above++;
            clock.Advance(TimeSpan.FromHours(1));
        }
        Assert.True(above > 0, "with the jitter after the cap, some delays must exceed MaxDelay");
    }

    [Fact]
    public void PF6_MaxRetriesGivesUp()
    {
        var clock = new Clock();
        var f = NewFactory(clock);
        f.MaxRetries = 2;
        var connector = new FakeConnector();
        f.ClientConnectionFailed(connector, Lost);
        clock.Advance(TimeSpan.FromHours(1));
        f.ClientConnectionFailed(connector, Lost);
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(2, connector.Connects);
        f.ClientConnectionFailed(connector, Lost);
        Assert.Empty(clock.GetDelayedCalls());
        Assert.Equal(3, f.Retries);
    }

    [Fact]
    public void PF6_RetryWithoutAConnectorFails()
    {
        var f = NewFactory(new Clock());
        var e = Assert.Throws<InvalidOperationException>(() => f.Retry());
        Assert.Equal("no connector to retry", e.Message);
    }

    [Fact]
    public void PF6_RetryUsesTheStoredConnectorOrTheGivenOne()
    {
        var clock = new Clock();
        var f = NewFactory(clock);
        var stored = new FakeConnector();
        var other = new FakeConnector();
        f.Connector = stored;
        f.Retry();
        f.Retry(other);
        clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(1, stored.Connects);
        Assert.Equal(1, other.Connects);
    }

    private sealed class ClockedConnector(ClientFactory factory, IReactorTime clock) : Connector(factory, null, clock)
    {
        public int Attempts;
        public override EndPoint Destination { get; } = new DnsEndPoint("example.org", 80);
        protected override void BeginAttempt() => Attempts++;
        protected override void CancelAttempt() { }
        protected override void DropConnection() { }
    }

    [Fact]
    public void PF6_WithoutAClockTheConnectorsClockIsUsed()
    {
        var clock = new Clock();
        var f = new ReconnectingClientFactory(() => new P()) { Jitter = 0, Noisy = false };
        var connector = new ClockedConnector(f, clock);
        connector.Connect();
        connector.ConnectionFailed(new Failure(new ConnectException("refused")));
        Assert.Same(clock, f.Clock);
        clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(2, connector.Attempts);

        var orphan = new ReconnectingClientFactory { Noisy = false };
        Assert.Throws<InvalidOperationException>(() => orphan.ClientConnectionLost(new FakeConnector(), Lost));
    }

    [Fact]
    public void PF6_ParametrizedClock()
    {
        var clock = new Clock();
        var f = new ReconnectingClientFactory { Clock = clock, Noisy = false };
        f.ClientConnectionLost(new FakeConnector(), Lost);
        Assert.Single(clock.GetDelayedCalls());
    }

    [Fact]
    public void PF6_StopTryingWhenConnectedDoesNotReconnect()
    {
        var f = NewFactory(new Clock());
        f.BuildProtocol(new IPEndPoint(IPAddress.Loopback, 1));    // pretend we connected
        f.StopTrying();
        var connector = new FakeConnector();
        f.ClientConnectionLost(connector, Lost);
        Assert.False(f.ContinueTrying);
        Assert.Equal(0, connector.Connects);
        Assert.Equal(0, connector.StopCalls);
    }

    [Fact]
    public void PF6_StopTryingCancelsThePendingReconnectAndStopsTheConnector()
    {
        var clock = new Clock();
        var f = NewFactory(clock);
        var connector = new FakeConnector { ThrowNotConnecting = true };
        f.ClientConnectionLost(connector, Lost);
        Assert.Single(clock.GetDelayedCalls());
        f.StopTrying();                      // NotConnectingException is swallowed
        Assert.Empty(clock.GetDelayedCalls());
        Assert.Equal(1, connector.StopCalls);
        clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, connector.Connects);
    }

    [Fact]
    public void PF6_StopTryingDoesNotReconnectEvenIfStopConnectingFailsSynchronously()
    {
        var clock = new Clock();
        var f = NewFactory(clock);
        var connector = new FakeConnector();
        // An attempt in progress fails at once when stopped, and reports to the factory.
        connector.OnStopConnecting = () => f.ClientConnectionFailed(connector, new Failure(new StoppedConnectingException()));
        f.Connector = connector;
        f.StopTrying();
        Assert.Equal(0, connector.Connects);
        Assert.Empty(clock.GetDelayedCalls());
    }

    [Fact]
    public void PF6_ResetDelayRestoresTheInitialState()
    {
        var clock = new Clock();
        var f = NewFactory(clock);
        var connector = new FakeConnector();
        f.ClientConnectionLost(connector, Lost);
        f.ClientConnectionLost(connector, Lost);
        f.StopTrying();
        f.ResetDelay();
        Assert.Equal(TimeSpan.FromSeconds(1), f.Delay);
        Assert.Equal(0, f.Retries);
        Assert.True(f.ContinueTrying);
        Assert.Null(f.PendingRetry);
        f.ClientConnectionLost(connector, Lost);
        Assert.Equal(Math.E, f.Delay.TotalSeconds, 6);
    }

    [Fact]
    public void PF6_BuildProtocolDoesNotResetTheDelay()
    {
        var clock = new Clock();
        var f = NewFactory(clock);
        var connector = new FakeConnector();
        f.ClientConnectionLost(connector, Lost);
        f.BuildProtocol(new IPEndPoint(IPAddress.Loopback, 1));
        Assert.Equal(1, f.Retries);
        f.ClientConnectionLost(connector, Lost);
        Assert.Equal(Math.E * Math.E, f.Delay.TotalSeconds, 6);
    }

    [Fact]
    public void PF6_InitialDelaySetBeforeRetryingIsUsed()
    {
        var clock = new Clock();
        var f = NewFactory(clock);
        f.InitialDelay = TimeSpan.FromSeconds(2);
        f.ClientConnectionLost(new FakeConnector(), Lost);
        Assert.Equal(2 * Math.E, f.Delay.TotalSeconds, 6);
    }

    [Fact]
    public void PF6_WorksWithMemoryReactorClockConnectors()
    {
        var reactor = new MemoryReactorClock();
        var f = new ReconnectingClientFactory(() => new P()) { Clock = reactor, Jitter = 0, Noisy = false };
        var connector = (MemoryConnector)reactor.ConnectTcp("example.org", 80, f);
        f.ClientConnectionFailed(connector, new Failure(new ConnectException("refused")));
        reactor.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(1, connector.ConnectCount);
    }
}
