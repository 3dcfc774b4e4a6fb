using System.Net;
using System.Text;
using Twine.Defer;
using Twine.Net;
using Twine.Protocols;
using Twine.Testing;
using Twine.Time;

namespace Twine.Tests.Testing;

public sealed class LoopbackPumpTests
{
    private sealed class EchoServer : Protocol
    {
        public override void DataReceived(ReadOnlySpan<byte> data) => Transport.Write(data);
    }

    private sealed class Greeter : LineReceiver
    {
        public readonly List<string> Lines = new();
        public override void ConnectionMade() => SendLine("hello");
        protected override void LineReceived(ReadOnlySpan<byte> line) => Lines.Add(Encoding.UTF8.GetString(line));
    }

    private sealed class HalfCloser : AccumulatingProtocol, IHalfCloseableProtocol
    {
        public bool ReadLost, WriteLost;
        public void ReadConnectionLost()
        {
            ReadLost = true;
            Transport.Write(Encoding.ASCII.GetBytes($"got {Data.Length}"));
            Transport.LoseConnection();
        }
        public void WriteConnectionLost() => WriteLost = true;
    }

    [Fact]
    public void MR3_ConnectMakesBothConnectionsServerFirstAndGreets()
    {
        var order = new List<string>();
        var server = new OrderProbe("server", order);
        var client = new OrderProbe("client", order);
        var pair = LoopbackPump.Connect(server, client);
        Assert.Equal(["server", "client"], order);
        Assert.Same(pair.ServerTransport, server.Transport);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 8000), pair.ClientTransport.Peer);
        Assert.Equal(pair.ServerTransport.Host, pair.ClientTransport.Peer);
        Assert.Equal(pair.ClientTransport.Host, pair.ServerTransport.Peer);
    }

    private sealed class OrderProbe(string name, List<string> order) : Protocol
    {
        public override void ConnectionMade() => order.Add(name);
    }

    [Fact]
    public void MR3_FlushPumpsBothWaysUntilQuiet()
    {
        var pair = LoopbackPump.Connect(new EchoServer(), new Greeter());
        Assert.Equal(["hello"], pair.Client.Lines);      // greeted, echoed, delivered
        pair.Client.SendLine("again");
        Assert.Equal(["hello"], pair.Client.Lines);      // nothing moves until pumped
        Assert.True(pair.Pump.Pump());
        Assert.True(pair.Flush());
        Assert.Equal(["hello", "again"], pair.Client.Lines);
        Assert.False(pair.Flush());
    }

    [Fact]
    public void MR3_GreetFalseLeavesTheGreetingUnsent()
    {
        var pair = LoopbackPump.Connect(new EchoServer(), new Greeter(), greet: false);
        Assert.Empty(pair.Client.Lines);
        Assert.Equal(7, pair.ClientTransport.PendingOutgoing);
        pair.Flush();
        Assert.Equal(["hello"], pair.Client.Lines);
    }

    [Fact]
    public void MR3_LoseConnectionDeliversConnectionDoneToBothSidesAfterTheDataArrives()
    {
        var pair = LoopbackPump.Connect(new AccumulatingProtocol(), new AccumulatingProtocol());
        pair.ClientTransport.Write("last words"u8);
        pair.ClientTransport.LoseConnection();
        Assert.True(pair.ClientTransport.Disconnecting);
        pair.Flush();
        Assert.Equal("last words"u8.ToArray(), pair.Server.Data);
        Assert.True(pair.Client.ClosedReason!.Check<ConnectionDoneException>());
        Assert.True(pair.Server.ClosedReason!.Check<ConnectionDoneException>());
        Assert.True(pair.ServerTransport.Closed);
        Assert.True(pair.ClientTransport.Closed);
    }

    [Fact]
    public void MR3_AbortDiscardsBufferedDataAndBothSidesSeeAnUncleanLoss()
    {
        var pair = LoopbackPump.Connect(new AccumulatingProtocol(), new AccumulatingProtocol());
        pair.ClientTransport.Write("never sent"u8);
        pair.ClientTransport.AbortConnection();
        pair.Flush();
        Assert.Empty(pair.Server.Data);
        Assert.True(pair.Client.ClosedReason!.Check<ConnectionAbortedException>());
        Assert.True(pair.Server.ClosedReason!.Check<ConnectionLostException>());
        Assert.False(pair.Server.ClosedReason.Check<ConnectionAbortedException>());
    }

    [Fact]
    public void MR3_HalfCloseLetsTheServerAnswerAfterTheClientFinishesWriting()
    {
        var pair = LoopbackPump.Connect(new HalfCloser(), new HalfCloser());
        pair.ClientTransport.Write("12345"u8);
        pair.ClientTransport.LoseWriteConnection();
        pair.Flush();
        Assert.True(pair.Client.WriteLost);
        Assert.True(pair.Server.ReadLost);
        Assert.Equal("got 5"u8.ToArray(), pair.Client.Data);
        Assert.True(pair.Server.Closed);
        // The client heard end-of-stream as a half-closeable protocol; it closes itself when it chooses to.
        Assert.True(pair.Client.ReadLost);
        Assert.True(pair.Client.Closed);
    }

    [Fact]
    public void MR3_HalfCloseTowardsAPlainProtocolClosesTheConnection()
    {
        var pair = LoopbackPump.Connect(new AccumulatingProtocol(), new HalfCloser());
        pair.ClientTransport.Write("x"u8);
        pair.ClientTransport.LoseWriteConnection();
        pair.Flush();
        Assert.Equal("x"u8.ToArray(), pair.Server.Data);
        Assert.True(pair.Server.ClosedReason!.Check<ConnectionDoneException>());
        Assert.True(pair.Client.Closed);
    }

    [Fact]
    public void MR3_PausingReadingHoldsDataAndTheCloseUntilResumed()
    {
        var pair = LoopbackPump.Connect(new AccumulatingProtocol(), new AccumulatingProtocol());
        pair.ServerTransport.PauseProducing();
        pair.ClientTransport.Write("held"u8);
        pair.ClientTransport.LoseConnection();
        pair.Flush();
        Assert.Empty(pair.Server.Data);
        Assert.Equal(4, pair.ServerTransport.PendingIncoming);
        Assert.True(pair.Client.Closed);
        Assert.False(pair.Server.Closed);
        pair.ServerTransport.ResumeProducing();
        pair.Flush();
        Assert.Equal("held"u8.ToArray(), pair.Server.Data);
        Assert.True(pair.Server.Closed);
    }

    private sealed class Firehose : Protocol, IPushProducer
    {
        public int Pauses, Resumes, Chunks;
        public bool Paused, Stopped;
        private readonly int _total;
        public Firehose(int total) => _total = total;
        public override void ConnectionMade()
        {
            Transport.RegisterProducer(this, streaming: true);
            Produce();
        }
        private void Produce()
        {
            while (!Paused && !Stopped && Chunks < _total)
            {
                Chunks++;
                Transport.Write(new byte[1000]);
            }
            if (Chunks == _total && !Stopped)
            {
                Stopped = true;
                Transport.UnregisterProducer();
                Transport.LoseConnection();
            }
        }
        public void PauseProducing() { Pauses++; Paused = true; }
        public void ResumeProducing() { Resumes++; Paused = false; Produce(); }
        public void StopProducing() => Stopped = true;
    }

    [Fact]
    public void MR3_AStreamingProducerIsPausedAtTheHighWaterMarkAndResumedWhenDrained()
    {
        var server = new Firehose(500);
        var pair = LoopbackPump.Connect(server, new AccumulatingProtocol(), greet: false);
        // 64 KiB high-water mark with 1000-byte writes: paused after the 66th write, before the pump runs.
        Assert.Equal(1, server.Pauses);
        Assert.Equal(66, server.Chunks);
        Assert.True(pair.ServerTransport.PendingOutgoing <= pair.ServerTransport.BufferSize + 1000);
        pair.Flush();
        Assert.Equal(500_000, pair.Client.Data.Length);
        Assert.True(server.Resumes >= 7);
        Assert.True(pair.Client.Closed);
    }

    [Fact]
    public void MR3_TheProducerIsStoppedWhenTheConnectionCloses()
    {
        var server = new Firehose(int.MaxValue);
        var pair = LoopbackPump.Connect(server, new AccumulatingProtocol(), greet: false);
        pair.ClientTransport.AbortConnection();
        pair.Flush();
        Assert.True(server.Stopped);
        Assert.Null(pair.ServerTransport.Producer);
    }

    [Fact]
    public void MR3_WritesAfterCloseAreIgnoredAndRegisteringOnAClosedTransportStopsTheProducer()
    {
        var pair = LoopbackPump.Connect(new AccumulatingProtocol(), new AccumulatingProtocol());
        pair.ClientTransport.LoseConnection();
        pair.Flush();
        pair.ClientTransport.Write("late"u8);
        Assert.Equal(0, pair.ClientTransport.PendingOutgoing);
        var producer = new NonStreamingProducer(pair.ClientTransport);
        pair.ClientTransport.RegisterProducer(producer, false);
        Assert.True(producer.Stopped);
    }

    [Fact]
    public void MR3_ANonStreamingProducerIsPulledEachTimeTheBufferDrains()
    {
        var pair = LoopbackPump.Connect(new AccumulatingProtocol(), new AccumulatingProtocol());
        var producer = new NonStreamingProducer(pair.ServerTransport);
        pair.ServerTransport.RegisterProducer(producer, false);
        Assert.Equal(1, producer.Counter);          // asked once on registration
        pair.Flush();
        Assert.Equal("0123456789", Encoding.ASCII.GetString(pair.Client.Data));
        Assert.True(producer.Result.Called);
    }

    [Fact]
    public void MR3_ClockAdvancesBetweenRoundsSoZeroDelayCallsRun()
    {
        var clock = new Clock();
        var pair = LoopbackPump.Connect(new EchoServer(), new AccumulatingProtocol(), clock: clock);
        clock.CallLater(TimeSpan.Zero, () => pair.ClientTransport.Write("later"u8));
        pair.Flush();
        Assert.Equal("later"u8.ToArray(), pair.Client.Data);
    }

    private sealed class EndlessSource : Protocol, IPullProducer
    {
        public int Pulls;
        public bool Stopped;
        public override void ConnectionMade() => Transport.RegisterProducer(this, streaming: false);
        public void ResumeProducing() { Pulls++; Transport.Write("more"u8); }
        public void StopProducing() => Stopped = true;
    }

    [Fact]
    public void MR3_WritingToAClosedPeerEndsInsteadOfSpinning()
    {
        var server = new EndlessSource();
        var pair = LoopbackPump.Connect(server, new AccumulatingProtocol(), greet: false);
        pair.Pump.MaxFlushRounds = 10_000;
        pair.ClientTransport.LoseConnection();
        pair.Flush();
        Assert.True(pair.Client.Closed);
        Assert.True(pair.ServerTransport.Closed);
        Assert.True(pair.ServerTransport.CloseReason!.Check<ConnectionDoneException>());
        Assert.True(server.Stopped);
        Assert.True(server.Pulls < 100);
    }

    private sealed class PingPong : Protocol
    {
        public override void ConnectionMade() => Transport.Write("x"u8);
        public override void DataReceived(ReadOnlySpan<byte> data) => Transport.Write(data);
    }

    [Fact]
    public void MR3_FlushRefusesToLoopForever()
    {
        var pair = LoopbackPump.Connect(new PingPong(), new PingPong(), greet: false);
        pair.Pump.MaxFlushRounds = 1000;
        Assert.Throws<InvalidOperationException>(() => pair.Flush());
    }

    [Fact]
    public void MR3_NetstringConversationOverThePump()
    {
        var pair = LoopbackPump.Connect(new NetstringEcho(), new NetstringCollector());
        pair.Client.SendString("one"u8);
        pair.Client.SendString("two"u8);
        pair.Flush();
        Assert.Equal(["one", "two"], pair.Client.Received);
    }

    private sealed class NetstringEcho : NetstringReceiver
    {
        protected override void StringReceived(ReadOnlySpan<byte> payload) => SendString(payload);
    }

    private sealed class NetstringCollector : NetstringReceiver
    {
        public readonly List<string> Received = new();
        protected override void StringReceived(ReadOnlySpan<byte> payload) => Received.Add(Encoding.ASCII.GetString(payload));
    }
}
