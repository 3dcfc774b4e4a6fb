using System.Net;
using Twine.Defer;
using Twine.Net;
using Twine.Testing;

namespace Twine.Tests.Net;

public sealed class ProtocolTests
{
    private sealed class Recording : Protocol
    {
        public readonly List<string> Events = new();
        public bool ConnectedDuringMade;
        public ITransport? TransportDuringMade;

        public override void ConnectionMade()
        {
            ConnectedDuringMade = Connected;
            TransportDuringMade = Transport;
            Events.Add("made");
        }
    }

    private sealed class Plain : Protocol { }

    [Fact]
    public void PF1_MakeConnectionSetsConnectedAndTransportThenCallsConnectionMade()
    {
        var p = new Recording();
        Assert.False(p.Connected);
        Assert.Null(p.TransportOrNull);
        var t = new MemoryTransport();

        p.MakeConnection(t);

        Assert.True(p.Connected);
        Assert.Same(t, p.Transport);
        Assert.True(p.ConnectedDuringMade);
        Assert.Same(t, p.TransportDuringMade);
        Assert.Equal(["made"], p.Events);
    }

    [Fact]
    public void PF1_DefaultsDoNothingAndLogPrefixIsClassName()
    {
        var p = new Plain();
        var t = new MemoryTransport();
        p.MakeConnection(t);
        p.DataReceived("ignored"u8);
        p.ConnectionLost(Protocol.ConnectionDone);
        Assert.Empty(t.Value());
        Assert.False(t.Disconnecting);
        Assert.Equal("Plain", p.LogPrefix);
    }

    [Fact]
    public void PF1_TransportBeforeConnectionThrows()
    {
        var p = new Plain();
        Assert.Throws<InvalidOperationException>(() => p.Transport);
    }

    [Fact]
    public void ConnectionDoneAndLostAreDistinctClosedReasons()
    {
        var done = Protocol.ConnectionDone;
        Assert.True(done.Check<ConnectionDoneException>());
        Assert.True(done.Check<ConnectionClosedException>());
        Assert.False(done.Check<ConnectionLostException>());

        var lost = new Failure(new ConnectionLostException());
        Assert.False(lost.Check<ConnectionDoneException>());
        Assert.True(lost.Check<ConnectionClosedException>());

        var aborted = new Failure(new ConnectionAbortedException());
        Assert.True(aborted.Check<ConnectionLostException>());
    }

    [Fact]
    public void ConnectionLostIsCalledWithTheReason()
    {
        var p = new AccumulatingProtocol();
        var reason = new Failure(new ConnectionLostException("boom"));
        p.MakeConnection(new MemoryTransport());
        p.ConnectionLost(reason);
        Assert.True(p.Closed);
        Assert.Same(reason, p.ClosedReason);
        Assert.True(p.ClosedDeferred.Called);
    }

    [Fact]
    public void TransportAddressesAreExposedToTheProtocol()
    {
        var p = new Plain();
        var host = new IPEndPoint(IPAddress.Loopback, 1);
        var peer = new IPEndPoint(IPAddress.Loopback, 2);
        p.MakeConnection(new MemoryTransport(host, peer));
        Assert.Equal(host, p.Transport.Host);
        Assert.Equal(peer, p.Transport.Peer);
    }
}
