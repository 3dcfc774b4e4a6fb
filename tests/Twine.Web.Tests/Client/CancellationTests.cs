using System.Text;
using Twine.Defer;
using Twine.Net;
using Twine.Time;
using Twine.Web.Client;

namespace Twine.Web.Tests.Client;

/// <summary>
/// Cancelling a request in each phase (resolving, connecting, waiting in the pool's queue, sending, waiting for the
/// head, reading the body) fails it with <see cref="CancelledException"/> and leaves no connection, no queued request
/// and no timer behind (HC6).
/// </summary>
public sealed class CancellationTests
{
    /// <summary>Lets the reactor turn a few times, so a connection wrongly left behind would show.</summary>
    private static async Deferred<Unit> Turns(ClientLoopback loop, int count = 10)
    {
        for (int i = 0; i < count; i++) await loop.Reactor.Sleep(TimeSpan.Zero);
        return Unit.Value;
    }

    private static void AssertNothingLeft(HttpConnectionPool pool, Clock clock)
    {
        Assert.Equal(0, pool.OpenConnections);
        Assert.Equal(0, pool.WaitingRequests);
        Assert.Empty(clock.GetDelayedCalls());
    }

    [Theory]
    [InlineData("localhost")]      // resolving on the pool when cancelled
    [InlineData("127.0.0.1")]      // connecting when cancelled
    public void CancellingBeforeTheConnectionIsMadeLeavesNothing_HC6(string host)
    {
        var (error, accepted) = ClientLoopback.Run(async loop =>
        {
            int accepted = 0;
            int port = loop.Listen(Factory.ForProtocol(() =>
            {
                accepted++;
                return new Silent();
            }));
            var clock = new Clock();
            var pool = new HttpConnectionPool(clock);
            var request = new Agent(loop.Reactor, pool).Request("GET", $"http://{host}:{port}/");
            request.Cancel();
            var error = await ClientLoopback.FailureOf(request);
            await Turns(loop);
            AssertNothingLeft(pool, clock);
            return (error, accepted);
        });
        Assert.IsType<CancelledException>(error);
        // A connect already under way in the kernel may complete, but the client must have dropped it.
        Assert.InRange(accepted, 0, 1);
    }

    [Fact]
    public void CancellingAQueuedRequestRemovesItFromTheQueue_HC6()
    {
        var (error, served) = ClientLoopback.Run(async loop =>
        {
            var server = new SilentServer();
            int port = loop.Listen(server);
            var clock = new Clock();
            var pool = new HttpConnectionPool(clock) { MaxConnectionsPerHost = 1 };
            var agent = new Agent(loop.Reactor, pool);
            var first = agent.Request("GET", $"http://127.0.0.1:{port}/");
            var queued = agent.Request("GET", $"http://127.0.0.1:{port}/");
            Assert.Equal(1, pool.WaitingRequests);
            queued.Cancel();
            var error = await ClientLoopback.FailureOf(queued);
            Assert.Equal(0, pool.WaitingRequests);
            await server.RequestArrived;
            first.Cancel();
            await ClientLoopback.FailureOf(first);
            await server.AllLost;
            AssertNothingLeft(pool, clock);
            return (error, server.Requests);
        });
        Assert.IsType<CancelledException>(error);
        Assert.Equal(1, served);
    }

    [Fact]
    public void CancellingWhileTheBodyIsBeingSentAbortsTheConnection_HC6()
    {
        var (error, serverSaw) = ClientLoopback.Run(async loop =>
        {
            var server = new SilentServer();
            int port = loop.Listen(server);
            var clock = new Clock();
            var pool = new HttpConnectionPool(clock);
            var producer = new EndlessProducer();
            var request = new Agent(loop.Reactor, pool).Request("POST", $"http://127.0.0.1:{port}/", null, producer);
            await server.RequestArrived;
            request.Cancel();
            var error = await ClientLoopback.FailureOf(request);
            var reason = await server.AllLost;
            AssertNothingLeft(pool, clock);
            Assert.True(producer.Stopped);
            return (error, reason);
        });
        Assert.IsType<CancelledException>(error);
        Assert.Equal("ConnectionLostException", serverSaw);
    }

    [Fact]
    public void CancellingWhileWaitingForTheHeadAbortsTheConnection_HC6()
    {
        var (error, serverSaw) = ClientLoopback.Run(async loop =>
        {
            var server = new SilentServer();
            int port = loop.Listen(server);
            var clock = new Clock();
            var pool = new HttpConnectionPool(clock);
            var request = new Agent(loop.Reactor, pool).Request("GET", $"http://127.0.0.1:{port}/");
            await server.RequestArrived;
            request.Cancel();
            var error = await ClientLoopback.FailureOf(request);
            var reason = await server.AllLost;
            AssertNothingLeft(pool, clock);
            return (error, reason);
        });
        Assert.IsType<CancelledException>(error);
        Assert.Equal("ConnectionLostException", serverSaw);
    }

    [Fact]
    public void CancellingTheBodyReadAbortsThePooledConnection_HC6()
    {
        var (error, serverSaw) = ClientLoopback.Run(async loop =>
        {
            var server = new SilentServer("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part");
            int port = loop.Listen(server);
            var clock = new Clock();
            var pool = new HttpConnectionPool(clock);
            var response = await new Agent(loop.Reactor, pool).Request("GET", $"http://127.0.0.1:{port}/");
            var read = response.ReadBody(1000);
            read.Cancel();
            var error = await ClientLoopback.FailureOf(read);
            var reason = await server.AllLost;
            AssertNothingLeft(pool, clock);
            return (error, reason);
        });
        Assert.IsType<CancelledException>(error);
        Assert.Equal("ConnectionLostException", serverSaw);
    }

    [Fact]
    public void ATimeoutCancelsTheRequestAndLeavesNothing_HC6()
    {
        var error = ClientLoopback.Run(async loop =>
        {
            var server = new SilentServer();
            int port = loop.Listen(server);
            var clock = new Clock();
            var pool = new HttpConnectionPool(clock);
            var request = new Agent(loop.Reactor, pool).Request("GET", $"http://127.0.0.1:{port}/").AddTimeout(TimeSpan.FromSeconds(5), clock);
            await server.RequestArrived;
            clock.Advance(TimeSpan.FromSeconds(5));
            var error = await ClientLoopback.FailureOf(request);
            await server.AllLost;
            AssertNothingLeft(pool, clock);
            return error;
        });
        Assert.IsType<DeferredTimeoutException>(error);
    }

    /// <summary>A body producer that never finishes by itself.</summary>
    private sealed class EndlessProducer : IBodyProducer
    {
        public bool Stopped { get; private set; }
        public long? Length => null;

        public Deferred<Unit> StartProducing(IConsumer consumer)
        {
            consumer.Write(Encoding.ASCII.GetBytes("start of a long body"));
            return new Deferred<Unit>();
        }

        public void PauseProducing() { }
        public void ResumeProducing() { }
        public void StopProducing() => Stopped = true;
    }

    /// <summary>Reads a request head, optionally answers, never closes by itself.</summary>
    private sealed class Silent(SilentServer? owner = null) : Protocol
    {
        private readonly MemoryStream _received = new();
        private bool _seen;

        public override void DataReceived(ReadOnlySpan<byte> data)
        {
            if (_seen) return;
            _received.Write(data);
            if (_received.GetBuffer().AsSpan(0, (int)_received.Length).IndexOf("\r\n\r\n"u8) < 0) return;
            _seen = true;
            owner?.Arrived(this);
        }

        public override void ConnectionLost(Failure reason) => owner?.Lost(reason);
    }

    /// <summary>Counts requests and connections; fires when the first request arrives and when all connections closed.</summary>
    private sealed class SilentServer(string? answer = null) : IProtocolFactory
    {
        private int _open;

        public Deferred<Unit> RequestArrived { get; } = new();
        public Deferred<string> AllLost { get; } = new();
        public int Requests { get; private set; }

        public IProtocol? BuildProtocol(System.Net.EndPoint address)
        {
            _open++;
            return new Silent(this);
        }

        public void DoStart() { }
        public void DoStop() { }

        internal void Arrived(Silent protocol)
        {
            Requests++;
            if (answer is not null) protocol.Transport.Write(Encoding.ASCII.GetBytes(answer));
            if (!RequestArrived.Called) RequestArrived.Callback(Unit.Value);
        }

        internal void Lost(Failure reason)
        {
            if (--_open == 0 && !AllLost.Called) AllLost.Callback(reason.Type.Name);
        }
    }
}
