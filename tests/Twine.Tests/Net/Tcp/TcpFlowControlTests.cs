using Twine.Net.Sockets;
using Twine.Defer;
using Twine.Net;
using Twine.Net.Tcp;
using Twine.Protocols;
using Twine.Reactors;
using static Twine.Tests.Net.Tcp.NetTesting;

namespace Twine.Tests.Net.Tcp;


/// <summary>Flow control on real sockets: producers paused at the high-water mark, resumed at the low one; paused reading.</summary>
public sealed class TcpFlowControlTests
{
    private const int Chunk = 16 * 1024;

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void FastWriterToSlowReaderKeepsTheBufferBounded(NetSetup backend)
    {
        using var reactor = Create(backend);
        const long total = 32L * 1024 * 1024;
        long serverReceivedBeforeResume = -1;
        bool mismatch = false;
        long serverPosition = 0;
        CountingReader? server = null;
        var (_, number) = ListenLocal(reactor, Factory.ForProtocol(() => server = new CountingReader(
            onMade: p => p.Transport.PauseProducing(),   // a slow reader: not reading at all, for now
            onData: data =>
            {
                foreach (var b in data)
                {
                    if (b != (byte)(serverPosition % 251)) mismatch = true;
                    serverPosition++;
                }
                if (serverPosition == total) reactor.Stop();
            })));

        FloodProducer? producer = null;
        ISocketTransport? connection = null;
        var client = new RecordingProtocol
        {
            OnMade = p =>
            {
                connection = (ISocketTransport)p.Transport;
                producer = new FloodProducer(reactor, p.Transport, total);
                p.Transport.RegisterProducer(producer, streaming: true);
                producer.Start();
            },
        };
        reactor.ConnectTcp("127.0.0.1", number, Client(client));

        // Once the writer is held back (producer paused) and the kernel's buffers are full (Writable interest on), the
        // reader starts reading.
        void Watch()
        {
            if (producer is { Paused: true } && connection is not null && WaitingForKernel(connection))
            {
                serverReceivedBeforeResume = server!.ReceivedCount;
                server.Transport.ResumeProducing();
                return;
            }
            reactor.CallLater(TimeSpan.FromMilliseconds(1), Watch);
        }
        reactor.CallLater(TimeSpan.FromMilliseconds(1), Watch);
        Run(reactor);

        Assert.Equal(0, serverReceivedBeforeResume);     // paused reading really stopped reading
        Assert.Equal(total, serverPosition);
        Assert.False(mismatch, "bytes arrived out of order or corrupted");
        Assert.True(producer!.Pauses >= 2, $"paused {producer.Pauses} times");
        Assert.True(producer.Resumes >= 1, $"resumed {producer.Resumes} times");
        // Memory stays bounded: the buffer never held more than the high-water mark plus the write that crossed it.
        Assert.InRange(producer.MaxBuffered, 1, connection!.HighWaterMark + Chunk);
        // And the producer was resumed only once the buffer had drained to the low-water mark.
        Assert.InRange(producer.MaxBufferedAtResume, 0, connection.LowWaterMark);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void APullProducerIsAskedForMoreEachTimeTheBufferEmpties(NetSetup backend)
    {
        using var reactor = Create(backend);
        var payload = Pattern(1024 * 1024 + 7);
        Deferred<byte?>? sent = null;
        byte? lastByte = null;
        var (_, number) = ListenLocal(reactor, Factory.ForProtocol(() => new RecordingProtocol
        {
            OnMade = p =>
            {
                var stream = new MemoryStream(payload);
                sent = new FileSender().BeginFileTransfer(stream, p.Transport);
                sent.AddCallback(b =>
                {
                    lastByte = b;
                    p.Transport.LoseConnection();
                });
            },
        }));
        var client = new RecordingProtocol { OnLost = (_, _) => reactor.Stop() };
        reactor.ConnectTcp("127.0.0.1", number, Client(client));
        Run(reactor);

        Assert.Equal(payload, client.Received);
        Assert.Equal(payload[^1], lastByte);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void LoseConnectionWaitsForARegisteredPullProducerToFinish(NetSetup backend)
    {
        using var reactor = Create(backend);
        var (_, number) = ListenLocal(reactor, Factory.ForProtocol(() => new RecordingProtocol
        {
            OnMade = p =>
            {
                var producer = new CountingPullProducer(p.Transport, pieces: 5);
                p.Transport.RegisterProducer(producer, streaming: false);
                p.Transport.LoseConnection();   // Twisted: the close waits until the producer unregisters
            },
        }));
        var client = new RecordingProtocol { OnLost = (_, _) => reactor.Stop() };
        reactor.ConnectTcp("127.0.0.1", number, Client(client));
        Run(reactor);

        Assert.Equal("piece0piece1piece2piece3piece4"u8.ToArray(), client.Received);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void ProducerRegistrationRules(NetSetup backend)
    {
        using var reactor = Create(backend);
        var (_, number) = ListenLocal(reactor, Factory.ForProtocol(() => new RecordingProtocol()));
        var stoppedOnLoss = false;
        var client = new RecordingProtocol
        {
            OnMade = p =>
            {
                var first = new FloodProducer(reactor, p.Transport, 0);
                p.Transport.RegisterProducer(first, streaming: true);
                Assert.Throws<InvalidOperationException>(() => p.Transport.RegisterProducer(new FloodProducer(reactor, p.Transport, 0), true));
                p.Transport.UnregisterProducer();
                p.Transport.UnregisterProducer();   // nothing registered: allowed, as in Twisted (TCP1)
                Assert.Throws<ArgumentException>(() => p.Transport.RegisterProducer(new NotAPushProducer(), streaming: true));
                var last = new FloodProducer(reactor, p.Transport, 0) { OnStop = () => stoppedOnLoss = true };
                p.Transport.RegisterProducer(last, streaming: true);
                p.Transport.AbortConnection();
            },
            OnLost = (_, _) => reactor.Stop(),
        };
        reactor.ConnectTcp("127.0.0.1", number, Client(client));
        Run(reactor);

        Assert.True(stoppedOnLoss, "the registered producer was not stopped when the connection was lost");
    }

    /// <summary>A streaming producer that writes 16 KiB chunks (byte i of the stream is i mod 251) while not paused.</summary>
    internal sealed class FloodProducer(Reactor reactor, ITransport transport, long total) : IPushProducer
    {
        private long _written;
        private bool _scheduled;

        public bool Paused { get; private set; }
        public int Pauses { get; private set; }
        public int Resumes { get; private set; }
        public long MaxBuffered { get; private set; }
        public long MaxBufferedAtResume { get; private set; }
        public bool Stopped { get; private set; }
        public Action? OnStop { get; init; }

        public void Start() => Schedule();

        public void PauseProducing()
        {
            Paused = true;
            Pauses++;
        }

        public void ResumeProducing()
        {
            MaxBufferedAtResume = Math.Max(MaxBufferedAtResume, ((ISocketTransport)transport).BufferedBytes);
            Paused = false;
            Resumes++;
            Schedule();
        }

        public void StopProducing()
        {
            Stopped = true;
            OnStop?.Invoke();
        }

        private void Schedule()
        {
            if (_scheduled || Stopped) return;
            _scheduled = true;
            reactor.CallLater(TimeSpan.Zero, Pump);
        }

        private void Pump()
        {
            _scheduled = false;
            var chunk = new byte[Chunk];
            // Several writes per turn: a writer much faster than one flush per iteration.
            for (int n = 0; n < 16 && !Paused && !Stopped && _written < total; n++)
            {
                int size = (int)Math.Min(Chunk, total - _written);
                for (int i = 0; i < size; i++) chunk[i] = (byte)((_written + i) % 251);
                transport.Write(chunk.AsSpan(0, size));
                _written += size;
                MaxBuffered = Math.Max(MaxBuffered, ((ISocketTransport)transport).BufferedBytes);
            }
            if (_written < total && !Paused) Schedule();
        }
    }

    /// <summary>Counts and checks bytes without keeping them (32 MiB pass through).</summary>
    private sealed class CountingReader(Action<CountingReader> onMade, Action<ReadOnlySpan<byte>> onData) : Protocol
    {
        public long ReceivedCount { get; private set; }

        public override void ConnectionMade() => onMade(this);

        public override void DataReceived(ReadOnlySpan<byte> data)
        {
            ReceivedCount += data.Length;
            onData(data);
        }
    }

    private sealed class CountingPullProducer(IConsumer consumer, int pieces) : IPullProducer
    {
        private int _next;

        public void ResumeProducing()
        {
            if (_next < pieces) consumer.Write(System.Text.Encoding.ASCII.GetBytes($"piece{_next++}"));
            else consumer.UnregisterProducer();
        }

        public void StopProducing() { }
    }

    private sealed class NotAPushProducer : IProducer
    {
        public void StopProducing() { }
    }
}
