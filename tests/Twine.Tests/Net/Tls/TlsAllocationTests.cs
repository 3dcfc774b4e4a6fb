using Twine.Net;
using Twine.Net.Tls;
using Twine.Reactors;
using Twine.Tests.Net.Tcp;
using Xunit.Abstractions;

namespace Twine.Tests.Net.Tls;

/// <summary>
/// What a warm TLS connection allocates per 1 KiB echo round trip (both layers, both directions), measured with
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/>: counts bytes, not time, so the machine's load cannot move it.
/// </summary>
public sealed class TlsAllocationTests(ITestOutputHelper output)
{
    private const int Message = 1024;
    private const int WarmUp = 200;
    private const int Measured = 2000;

    /// <summary>
    /// The budget per round trip. Steady state is 0 B; the margin absorbs a one-off growth of a reused buffer during the
    /// window, while one allocation per record (a 1 KiB array, a task, a closure) would exceed it many times over.
    /// </summary>
    private const double BudgetPerRoundTrip = 16;

    private sealed class Echo : Protocol
    {
        public override void DataReceived(ReadOnlySpan<byte> data) => Transport.Write(data);
    }

    /// <summary>Keeps one message in flight: sends the next as soon as the last one has come back whole.</summary>
    private sealed class PingPong : Protocol
    {
        private static readonly byte[] s_message = new byte[Message];
        private int _got;

        public int RoundTrips { get; private set; }

        /// <summary>Called after each completed round trip; the test decides whether to send again.</summary>
        public Action<PingPong>? OnRoundTrip { get; init; }

        /// <summary>Sends the first message from <c>ConnectionMade</c> (it waits for the handshake in the TLS layer).</summary>
        public bool SendOnConnect { get; init; }

        public void Send() => Transport.Write(s_message);

        public override void ConnectionMade()
        {
            if (SendOnConnect) Send();
        }

        public override void DataReceived(ReadOnlySpan<byte> data)
        {
            _got += data.Length;
            while (_got >= Message)
            {
                _got -= Message;
                RoundTrips++;
                OnRoundTrip?.Invoke(this);
            }
        }
    }

    [Fact]
    public void AWarmEchoRoundTripAllocatesNothingInMemory()
    {
        var client = new PingPong();
        var pair = TlsProtocolTests.Connect(new Echo(), client);
        Assert.True(pair.Client.IsHandshakeComplete);
        for (int i = 0; i < WarmUp; i++)
        {
            client.Send();
            pair.Flush();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Measured; i++)
        {
            client.Send();
            pair.Flush();
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(WarmUp + Measured, client.RoundTrips);
        double perRoundTrip = allocated / (double)Measured;
        output.WriteLine($"{perRoundTrip:F1} B per round trip ({allocated} B over {Measured})");
        Assert.True(perRoundTrip <= BudgetPerRoundTrip, $"{perRoundTrip:F1} B per round trip, budget {BudgetPerRoundTrip} B");
    }

    [Fact]
    public void AWarmEchoRoundTripOverLoopbackSocketsAllocatesNothingOnTheReactorThread()
    {
        using var reactor = NetTesting.Create(ReactorBackend.Epoll);
        var (_, number) = NetTesting.ListenLocal(reactor, TlsFactory.ForServer(TlsProtocolTests.ServerOptions(), Factory.ForProtocol(() => new Echo())));
        long before = 0, allocated = -1;
        var client = new PingPong
        {
            SendOnConnect = true,
            OnRoundTrip = p =>
            {
                // Both ends and the loop run on this thread, so this counts the reactor, both sockets and both TLS layers.
                if (p.RoundTrips == WarmUp) before = GC.GetAllocatedBytesForCurrentThread();
                if (p.RoundTrips == WarmUp + Measured)
                {
                    allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                    p.Transport.LoseConnection();
                    reactor.Stop();
                    return;
                }
                p.Send();
            },
        };
        var tls = TlsProtocol.ForClient(client, TlsProtocolTests.ClientOptions());
        reactor.CallWhenRunning(() => reactor.ConnectTcp("127.0.0.1", number, NetTesting.Client(tls)));
        NetTesting.Run(reactor);

        Assert.Equal(WarmUp + Measured, client.RoundTrips);
        double perRoundTrip = allocated / (double)Measured;
        output.WriteLine($"{perRoundTrip:F1} B per round trip ({allocated} B over {Measured})");
        Assert.True(perRoundTrip <= BudgetPerRoundTrip, $"{perRoundTrip:F1} B per round trip, budget {BudgetPerRoundTrip} B");
    }
}
