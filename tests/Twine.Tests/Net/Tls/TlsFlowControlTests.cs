using System.Text;
using Twine.Defer;
using Twine.Net;
using Twine.Net.Tls;
using Twine.Testing;
using Twine.Tests.Net.Tcp;

namespace Twine.Tests.Net.Tls;

/// <summary>Flow control through the TLS layer in both directions, half-close, and producers.</summary>
public sealed class TlsFlowControlTests
{
    [Fact]
    public void TLS5_AFullTransportBelowPausesTheWrappedStreamingProducerAndADrainedOneResumesIt()
    {
        var server = new RecordingProtocol();
        var client = new RecordingProtocol();
        var pair = TlsProtocolTests.Connect(server, client);
        var producer = new CountingPushProducer();
        server.Transport.RegisterProducer(producer, streaming: true);

        var chunk = new byte[16 * 1024];
        while (!producer.Paused && pair.ServerTransport.PendingOutgoing < 1024 * 1024) server.Transport.Write(chunk);

        Assert.True(producer.Paused);
        Assert.InRange(pair.ServerTransport.PendingOutgoing, pair.ServerTransport.BufferSize, pair.ServerTransport.BufferSize + 2 * chunk.Length);
        pair.Pump.Pump();
        Assert.False(producer.Paused);
        Assert.Equal(1, producer.Resumes);
    }

    [Fact]
    public void PausingTheTlsTransportPausesTheTransportBelowAndHoldsThePlaintext()
    {
        var server = new RecordingProtocol();
        var client = new RecordingProtocol();
        var pair = TlsProtocolTests.Connect(server, client);
        client.Transport.PauseProducing();
        Assert.True(pair.ClientTransport.ReadingPaused);

        server.Transport.Write("held back"u8);
        pair.Flush();
        Assert.Empty(client.Received);
        Assert.True(pair.ClientTransport.PendingIncoming > 0);   // still ciphertext, still in the transport below

        client.Transport.ResumeProducing();
        pair.Flush();
        Assert.Equal("held back", Encoding.ASCII.GetString(client.Received));
    }

    [Fact]
    public void PausingInsideDataReceivedStopsFurtherDeliveryUntilResumed()
    {
        var server = new RecordingProtocol();
        var client = new RecordingProtocol();
        client.OnData = (p, _) => p.Transport.PauseProducing();
        var pair = TlsProtocolTests.Connect(server, client);
        server.Transport.Write("first"u8);
        pair.Flush();
        server.Transport.Write("second"u8);
        pair.Flush();
        Assert.Equal("first", Encoding.ASCII.GetString(client.Received));

        client.OnData = null;
        client.Transport.ResumeProducing();
        pair.Flush();
        Assert.Equal("firstsecond", Encoding.ASCII.GetString(client.Received));
    }

    [Fact]
    public void TLS7_APullProducerIsAskedForMoreAsTheTransportBelowDrains()
    {
        var data = NetTesting.Pattern(300_000);
        var server = new RecordingProtocol();
        var client = new RecordingProtocol();
        var pair = TlsProtocolTests.Connect(server, client);
        var producer = new ChunkPullProducer(client.Transport, data, 10_000);
        client.Transport.RegisterProducer(producer, streaming: false);
        pair.Flush();
        Assert.Equal(data, server.Received);
        Assert.True(producer.Pulls >= 30);
    }

    [Fact]
    public void APullProducerRegisteredBeforeTheHandshakeWaitsForIt()
    {
        var data = NetTesting.Pattern(50_000);
        var server = new RecordingProtocol();
        ChunkPullProducer? producer = null;
        var client = new RecordingProtocol
        {
            OnMade = p =>
            {
                producer = new ChunkPullProducer(p.Transport, data, 5_000);
                p.Transport.RegisterProducer(producer, streaming: false);
            },
        };
        var pair = TlsProtocolTests.Connect(server, client);
        pair.Flush();
        Assert.Equal(data, server.Received);
        Assert.True(producer!.Finished);
    }

    [Fact]
    public void TLS6_LoseConnectionWaitsForTheProducerToUnregister()
    {
        var server = new RecordingProtocol();
        var client = new RecordingProtocol();
        var pair = TlsProtocolTests.Connect(server, client);
        var producer = new CountingPushProducer();
        client.Transport.RegisterProducer(producer, streaming: true);
        client.Transport.Write("before close"u8);
        client.Transport.LoseConnection();
        pair.Flush();
        Assert.Null(client.LostReason);
        Assert.Equal("before close", Encoding.ASCII.GetString(server.Received));

        client.Transport.UnregisterProducer();
        pair.Flush();
        Assert.True(client.LostReason!.Check<ConnectionDoneException>());
        Assert.True(server.LostReason!.Check<ConnectionDoneException>());
    }

    [Fact]
    public void TLS5_TheProducerIsStoppedWhenTheConnectionIsLost()
    {
        var server = new RecordingProtocol();
        var client = new RecordingProtocol();
        var pair = TlsProtocolTests.Connect(server, client);
        var producer = new CountingPushProducer();
        client.Transport.RegisterProducer(producer, streaming: true);
        server.Transport.AbortConnection();
        pair.Flush();
        Assert.True(producer.Stopped);
        Assert.NotNull(client.LostReason);
    }

    [Fact]
    public void HalfCloseSendsCloseNotifyAndTheOtherDirectionGoesOn()
    {
        var server = new HalfCloseRecordingProtocol();
        server.OnReadLost = p =>
        {
            // The request is complete: answer it, then close.
            p.Transport.Write(Encoding.ASCII.GetBytes($"got {p.Received.Length} bytes"));
            p.Transport.LoseConnection();
        };
        var client = new HalfCloseRecordingProtocol();
        var pair = TlsProtocolTests.Connect(server, client);
        client.Transport.Write("the whole request"u8);
        client.Transport.LoseWriteConnection();
        pair.Flush();

        Assert.True(client.WriteLost);
        Assert.True(server.ReadLost);
        Assert.Equal("got 17 bytes", Encoding.ASCII.GetString(client.Received));
        Assert.True(client.LostReason!.Check<ConnectionDoneException>(), client.LostReason.ToString());
        Assert.True(server.LostReason!.Check<ConnectionDoneException>(), server.LostReason.ToString());
    }

    [Fact]
    public void CloseNotifyToAProtocolThatIsNotHalfCloseableClosesTheConnection()
    {
        var server = new RecordingProtocol();
        var client = new HalfCloseRecordingProtocol();
        var pair = TlsProtocolTests.Connect(server, client);
        client.Transport.LoseWriteConnection();
        pair.Flush();
        Assert.True(server.LostReason!.Check<ConnectionDoneException>());
        Assert.True(client.LostReason!.Check<ConnectionDoneException>());
    }

    [Fact]
    public void WritesAfterCloseNotifyAreDropped()
    {
        var server = new HalfCloseRecordingProtocol();
        var client = new HalfCloseRecordingProtocol();
        var pair = TlsProtocolTests.Connect(server, client);
        client.Transport.LoseWriteConnection();
        client.Transport.Write("too late"u8);
        pair.Flush();
        Assert.Empty(server.Received);
        Assert.True(server.ReadLost);
    }

    internal sealed class CountingPushProducer : IPushProducer
    {
        public bool Paused { get; private set; }
        public bool Stopped { get; private set; }
        public int Resumes { get; private set; }
        public void PauseProducing() => Paused = true;
        public void ResumeProducing()
        {
            Paused = false;
            Resumes++;
        }
        public void StopProducing() => Stopped = true;
    }

    internal sealed class ChunkPullProducer(ITransport transport, byte[] data, int chunk) : IPullProducer
    {
        private int _offset;
        public int Pulls { get; private set; }
        public bool Finished { get; private set; }

        public void ResumeProducing()
        {
            Pulls++;
            if (_offset >= data.Length)
            {
                if (!Finished) transport.UnregisterProducer();
                Finished = true;
                return;
            }
            int n = Math.Min(chunk, data.Length - _offset);
            transport.Write(data.AsSpan(_offset, n));
            _offset += n;
        }

        public void StopProducing() => Finished = true;
    }
}
