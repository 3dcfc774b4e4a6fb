using System.Net;
using Twine.Net;
using Twine.Testing;

namespace Twine.Tests.Testing;

public sealed class MemoryTransportTests
{
    private sealed class Push : IPushProducer
    {
        public void PauseProducing() { }
        public void ResumeProducing() { }
        public void StopProducing() { }
    }

    private sealed class Pull : IPullProducer
    {
        public void ResumeProducing() { }
        public void StopProducing() { }
    }

    private sealed class Bare : IProducer
    {
        public void StopProducing() { }
    }

    [Fact]
    public void ST1_WriteAppendsAndWriteSequenceJoinsAndClearForgets()
    {
        var t = new MemoryTransport();
        t.Write("hello, "u8);
        t.WriteSequence(["wor"u8.ToArray(), "ld"u8.ToArray()]);
        Assert.Equal("hello, world"u8.ToArray(), t.Value());
        Assert.Equal("hello, world", t.ValueAsString());
        t.Clear();
        Assert.Empty(t.Value());
        t.Write("x"u8);
        Assert.Equal("x", t.ValueAsString());
    }

    [Fact]
    public void ST1_LoseConnectionOnlySetsDisconnecting()
    {
        var t = new MemoryTransport();
        var p = new AccumulatingProtocol();
        p.MakeConnection(t);
        t.LoseConnection();
        Assert.True(t.Disconnecting);
        Assert.False(t.Disconnected);
        Assert.False(p.Closed);
    }

    [Fact]
    public void ST1_AbortConnectionSetsDisconnectedAndDisconnecting()
    {
        var t = new MemoryTransport();
        t.AbortConnection();
        Assert.True(t.Disconnected);
        Assert.True(t.Disconnecting);
    }

    [Fact]
    public void ST1_LoseWriteConnectionIsRecorded()
    {
        var t = new MemoryTransport();
        t.LoseWriteConnection();
        Assert.True(t.WriteDisconnected);
        Assert.False(t.Disconnecting);
    }

    [Fact]
    public void ST1_DefaultAndSpecifiedAddresses()
    {
        var t = new MemoryTransport();
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.168.1.1"), 54321), t.Peer);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.0.0.1"), 12345), t.Host);

        var host = new IPEndPoint(IPAddress.Loopback, 1);
        var peer = new IPEndPoint(IPAddress.Loopback, 2);
        var u = new MemoryTransport(host, peer);
        Assert.Same(host, u.Host);
        Assert.Same(peer, u.Peer);
    }

    [Fact]
    public void ST2_RegisterProducerRecordsItAndRefusesASecond()
    {
        var t = new MemoryTransport();
        var first = new Push();
        t.RegisterProducer(first, true);
        Assert.Same(first, t.Producer);
        Assert.True(t.Streaming);
        Assert.Throws<InvalidOperationException>(() => t.RegisterProducer(new Push(), true));
        Assert.Same(first, t.Producer);
        Assert.True(t.Streaming);
    }

    [Fact]
    public void ST2_UnregisterProducer()
    {
        var t = new MemoryTransport();
        Assert.Throws<InvalidOperationException>(t.UnregisterProducer);
        t.RegisterProducer(new Pull(), false);
        Assert.False(t.Streaming);
        t.UnregisterProducer();
        Assert.Null(t.Producer);
        Assert.Null(t.Streaming);
        Assert.Throws<InvalidOperationException>(t.UnregisterProducer);
    }

    [Fact]
    public void ST2_ProducerKindMustMatchStreaming()
    {
        var t = new MemoryTransport();
        Assert.Throws<ArgumentException>(() => t.RegisterProducer(new Pull(), true));
        Assert.Throws<ArgumentException>(() => t.RegisterProducer(new Bare(), false));
        Assert.Null(t.Producer);
        t.RegisterProducer(new Push(), false);    // a push producer may be pulled, as Twisted allows
    }

    [Fact]
    public void ST3_ProducerStateMachine()
    {
        var t = new MemoryTransport();
        Assert.Equal(ProducerState.Producing, t.ProducerState);
        t.PauseProducing();
        Assert.Equal(ProducerState.Paused, t.ProducerState);
        t.ResumeProducing();
        Assert.Equal(ProducerState.Producing, t.ProducerState);
        t.StopProducing();
        Assert.Equal(ProducerState.Stopped, t.ProducerState);
        Assert.Throws<InvalidOperationException>(t.PauseProducing);
        Assert.Throws<InvalidOperationException>(t.ResumeProducing);
        Assert.Equal(ProducerState.Stopped, t.ProducerState);
    }

    [Fact]
    public void ST3_DisconnectingTransportCannotPauseOrResumeUnlessLenient()
    {
        var t = new MemoryTransport();
        t.LoseConnection();
        Assert.Throws<InvalidOperationException>(t.PauseProducing);
        Assert.Throws<InvalidOperationException>(t.ResumeProducing);

        var lenient = new MemoryTransport(lenient: true);
        lenient.LoseConnection();
        lenient.PauseProducing();
        Assert.Equal(ProducerState.Paused, lenient.ProducerState);
        lenient.ResumeProducing();
        Assert.Equal(ProducerState.Producing, lenient.ProducerState);
        Assert.True(lenient.Lenient);
    }

    [Fact]
    public void ST4_WithDisconnectionDeliversConnectionDoneByeOnce()
    {
        var t = new MemoryTransportWithDisconnection();
        var p = new AccumulatingProtocol();
        t.Protocol = p;
        p.MakeConnection(t);
        t.LoseConnection();
        Assert.True(p.Closed);
        Assert.True(p.ClosedReason!.Check<ConnectionDoneException>());
        Assert.Equal("Bye.", p.ClosedReason.Value.Message);
        Assert.False(t.Connected);
        Assert.True(t.Disconnecting);

        var reason = p.ClosedReason;
        t.LoseConnection();
        Assert.Same(reason, p.ClosedReason);
    }

    [Fact]
    public void ST4_AbortDeliversConnectionAbortedOnce()
    {
        var t = new MemoryTransportWithDisconnection();
        var p = new AccumulatingProtocol();
        t.Protocol = p;
        p.MakeConnection(t);
        t.AbortConnection();
        t.LoseConnection();
        Assert.True(p.ClosedReason!.Check<ConnectionAbortedException>());
        Assert.True(t.Disconnected);
    }
}
