using System.Net;
using Twine.Defer;
using Twine.Net;
using Twine.Time;

namespace Twine.Tests.Net;

public sealed class ConnectorTests
{
    private sealed class FakeConnector(ClientFactory factory, TimeSpan? timeout, IReactorTime clock)
        : Connector(factory, timeout, clock)
    {
        public int Begun, Cancelled, Dropped;
        public override EndPoint Destination { get; } = new IPEndPoint(IPAddress.Loopback, 80);
        protected override void BeginAttempt() => Begun++;
        protected override void CancelAttempt() => Cancelled++;
        protected override void DropConnection() => Dropped++;
    }

    private sealed class P : Protocol { }

    private sealed class RecordingFactory : ClientFactory
    {
        public readonly List<string> Events = new();
        public Failure? LastReason;
        public bool ReconnectOnFailure, ReconnectOnLoss;

        public RecordingFactory() : base(() => new P()) => Noisy = false;
        protected override void StartFactory() => Events.Add("start");
        protected override void StopFactory() => Events.Add("stop");
        public override void StartedConnecting(IConnector connector) => Events.Add("startedConnecting");

        public override void ClientConnectionFailed(IConnector connector, Failure reason)
        {
            Events.Add("failed");
            LastReason = reason;
            if (ReconnectOnFailure) { ReconnectOnFailure = false; connector.Connect(); }
        }

        public override void ClientConnectionLost(IConnector connector, Failure reason)
        {
            Events.Add("lost");
            LastReason = reason;
            if (ReconnectOnLoss) { ReconnectOnLoss = false; connector.Connect(); }
        }
    }

    [Fact]
    public void PF4_ClientFactoryHooksDoNothingByDefault()
    {
        var f = new ClientFactory(() => new P());
        var c = new FakeConnector(f, null, new Clock());
        f.StartedConnecting(c);
        f.ClientConnectionFailed(c, new Failure(new ConnectException("x")));
        f.ClientConnectionLost(c, Protocol.ConnectionDone);
        Assert.Equal(0, c.Begun);
        Assert.Equal(ConnectorState.Disconnected, c.State);
    }

    [Fact]
    public void PF4_ConnectStartsTheFactoryOnceAndReportsStartedConnecting()
    {
        var f = new RecordingFactory();
        var c = new FakeConnector(f, null, new Clock());
        c.Connect();
        Assert.Equal(ConnectorState.Connecting, c.State);
        Assert.Equal(["start", "startedConnecting"], f.Events);
        Assert.Equal(1, c.Begun);
        Assert.Throws<InvalidOperationException>(c.Connect);
    }

    [Fact]
    public void PF4_FailureStopsTheFactoryUnlessTheHookReconnects()
    {
        var f = new RecordingFactory { ReconnectOnFailure = true };
        var c = new FakeConnector(f, null, new Clock());
        c.Connect();
        c.ConnectionFailed(new Failure(new ConnectException("refused")));
        // The hook connected again: the factory stays started, and no second start happens.
        Assert.Equal(["start", "startedConnecting", "failed", "startedConnecting"], f.Events);
        Assert.Equal(ConnectorState.Connecting, c.State);
        Assert.Equal(1, f.NumPorts);

        c.ConnectionFailed(new Failure(new ConnectException("refused")));
        Assert.Equal("stop", f.Events[^1]);
        Assert.Equal(0, f.NumPorts);
        Assert.Equal(ConnectorState.Disconnected, c.State);
    }

    [Fact]
    public void PF4_LossStopsTheFactoryUnlessTheHookReconnects()
    {
        var f = new RecordingFactory { ReconnectOnLoss = true };
        var c = new FakeConnector(f, null, new Clock());
        c.Connect();
        var p = Assert.IsType<P>(c.BuildProtocol(c.Destination));
        Assert.Same(f, p.Factory);
        Assert.Equal(ConnectorState.Connected, c.State);

        c.ConnectionLost(Protocol.ConnectionDone);
        Assert.DoesNotContain("stop", f.Events);
        Assert.Equal(ConnectorState.Connecting, c.State);

        c.BuildProtocol(c.Destination);
        c.ConnectionLost(Protocol.ConnectionDone);
        Assert.Equal("stop", f.Events[^1]);
        Assert.True(f.LastReason!.Check<ConnectionDoneException>());
    }

    [Fact]
    public void PF4_TimeoutFailsTheAttemptWithConnectTimeout()
    {
        var clock = new Clock();
        var f = new RecordingFactory();
        var c = new FakeConnector(f, TimeSpan.FromSeconds(30), clock);
        c.Connect();
        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.DoesNotContain("failed", f.Events);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, c.Cancelled);
        Assert.True(f.LastReason!.Check<ConnectTimeoutException>());
        Assert.Equal(ConnectorState.Disconnected, c.State);
        Assert.Equal("stop", f.Events[^1]);
    }

    [Fact]
    public void PF4_ConnectingDisarmsTheTimeout()
    {
        var clock = new Clock();
        var f = new RecordingFactory();
        var c = new FakeConnector(f, TimeSpan.FromSeconds(30), clock);
        c.Connect();
        c.BuildProtocol(c.Destination);
        Assert.Empty(clock.GetDelayedCalls());
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.DoesNotContain("failed", f.Events);
    }

    [Fact]
    public void PF4_StopConnectingFailsWithStoppedConnectingAndIsRefusedWhenIdle()
    {
        var f = new RecordingFactory();
        var c = new FakeConnector(f, TimeSpan.FromSeconds(30), new Clock());
        Assert.Throws<NotConnectingException>(c.StopConnecting);
        c.Connect();
        c.StopConnecting();
        Assert.Equal(1, c.Cancelled);
        Assert.True(f.LastReason!.Check<StoppedConnectingException>());
        Assert.Equal(ConnectorState.Disconnected, c.State);
        Assert.Throws<NotConnectingException>(c.StopConnecting);
    }

    [Fact]
    public void PF4_DisconnectStopsAnAttemptOrDropsAConnection()
    {
        var f = new RecordingFactory();
        var c = new FakeConnector(f, null, new Clock());
        c.Disconnect();                         // idle: nothing
        c.Connect();
        c.Disconnect();
        Assert.Equal(1, c.Cancelled);
        c.Connect();
        c.BuildProtocol(c.Destination);
        c.Disconnect();
        Assert.Equal(1, c.Dropped);
    }

    [Fact]
    public void PF4_ALateTimeoutAfterAFailureIsIgnored()
    {
        var clock = new Clock();
        var f = new RecordingFactory();
        var c = new FakeConnector(f, TimeSpan.FromSeconds(1), clock);
        c.Connect();
        c.ConnectionFailed(new Failure(new ConnectException("refused")));
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Single(f.Events, e => e == "failed");
        Assert.Equal(0, c.Cancelled);
    }
}
