using System.Net;
using System.Text;
using Twine.Defer;
using Twine.Net;
using Twine.Time;
using Twine.Web.Client;

namespace Twine.Web.Tests.Client;

/// <summary>
/// The persistent connection pool over loopback against Twine's own server and scripted servers: reuse, the per-host
/// cap and its queue, the idle timeout on a manual clock, and the one retry of idempotent requests (HC1-HC5).
/// </summary>
public sealed class PoolTests
{
    private static IResource Root()
    {
        var root = new Resource();
        root.PutChild("hello", new DelegateResource(_ => "hello"));
        root.PutChild("peer", new DelegateResource(r => ((IPEndPoint)r.ClientAddress).Port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        root.PutChild("echo", new DelegateResource(r => r.ReadBody()));
        return root;
    }

    /// <summary>Counts the connections a server factory accepts.</summary>
    private sealed class Counting(IProtocolFactory inner) : IProtocolFactory
    {
        public int Connections { get; private set; }

        public IProtocol? BuildProtocol(EndPoint address)
        {
            Connections++;
            return inner.BuildProtocol(address);
        }

        public void DoStart() => inner.DoStart();

        public void DoStop() => inner.DoStop();
    }

    [Fact]
    public void AThousandRequestsShareAtMostTenConnectionsAndAllSucceed_HC1()
    {
        var (bodies, connections, idle) = ClientLoopback.Run(async loop =>
        {
            var server = new Counting(new Site(Root(), loop.Reactor) { LogRequests = false });
            int port = loop.Listen(server);
            var pool = new HttpConnectionPool(loop.Reactor) { MaxConnectionsPerHost = 10 };
            var agent = new Agent(loop.Reactor, pool);
            var pages = Enumerable.Range(0, 1000).Select(_ => agent.GetPage($"http://127.0.0.1:{port}/hello")).ToList();
            var all = await Deferred.GatherResults(pages);
            int idle = pool.IdleConnections;
            await pool.CloseIdleConnections();
            return (all, server.Connections, idle);
        });
        Assert.Equal(1000, bodies.Count);
        Assert.All(bodies, b => Assert.Equal("hello", Encoding.UTF8.GetString(b)));
        Assert.InRange(connections, 1, 10);
        Assert.InRange(idle, 1, 10);
    }

    [Fact]
    public void SequentialRequestsReuseOneConnection_HC1()
    {
        var (first, second) = ClientLoopback.Run(async loop =>
        {
            int port = loop.ListenSite(Root());
            var pool = new HttpConnectionPool(loop.Reactor);
            var agent = new Agent(loop.Reactor, pool);
            var a = Encoding.UTF8.GetString(await agent.GetPage($"http://127.0.0.1:{port}/peer"));
            var b = Encoding.UTF8.GetString(await agent.GetPage($"http://127.0.0.1:{port}/peer"));
            await pool.CloseIdleConnections();
            Assert.Equal(0, pool.OpenConnections);
            return (a, b);
        });
        Assert.Equal(first, second);
    }

    [Fact]
    public void ANonPersistentAgentUsesAConnectionPerRequest_HC1()
    {
        var (first, second) = ClientLoopback.Run(async loop =>
        {
            int port = loop.ListenSite(Root());
            var agent = new Agent(loop.Reactor);
            var a = Encoding.UTF8.GetString(await agent.GetPage($"http://127.0.0.1:{port}/peer"));
            var b = Encoding.UTF8.GetString(await agent.GetPage($"http://127.0.0.1:{port}/peer"));
            return (a, b);
        });
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void RequestsBeyondTheCapWaitForAConnection_HC2()
    {
        var (bodies, connections, waitingAtStart) = ClientLoopback.Run(async loop =>
        {
            var server = new Counting(new Site(Root(), loop.Reactor) { LogRequests = false });
            int port = loop.Listen(server);
            var pool = new HttpConnectionPool(loop.Reactor) { MaxConnectionsPerHost = 1 };
            var agent = new Agent(loop.Reactor, pool);
            var pages = Enumerable.Range(0, 5).Select(_ => agent.GetPage($"http://127.0.0.1:{port}/hello")).ToList();
            int waiting = pool.WaitingRequests;
            var all = await Deferred.GatherResults(pages);
            await pool.CloseIdleConnections();
            return (all, server.Connections, waiting);
        });
        Assert.Equal(5, bodies.Count);
        Assert.Equal(1, connections);
        Assert.Equal(4, waitingAtStart);
    }

    [Fact]
    public void AnIdleConnectionClosesAfterTheIdleTimeoutOnThePoolsClock_HC3()
    {
        var (idleBefore, openAfter, timersAfter) = ClientLoopback.Run(async loop =>
        {
            var lost = new Deferred<Unit>();
            int port = loop.Listen(Factory.ForProtocol(() => new KeepAliveServer(lost)));
            var clock = new Clock();
            var pool = new HttpConnectionPool(clock) { IdleTimeout = TimeSpan.FromSeconds(30) };
            var agent = new Agent(loop.Reactor, pool);
            await agent.GetPage($"http://127.0.0.1:{port}/");
            int idle = pool.IdleConnections;
            clock.Advance(TimeSpan.FromSeconds(29));
            Assert.Equal(1, pool.IdleConnections);
            clock.Advance(TimeSpan.FromSeconds(1));
            await lost;                                  // the server saw the close
            return (idle, pool.OpenConnections, clock.GetDelayedCalls().Count);
        });
        Assert.Equal(1, idleBefore);
        Assert.Equal(0, openAfter);
        Assert.Equal(0, timersAfter);
    }

    [Theory]
    [InlineData("GET", true)]
    [InlineData("HEAD", true)]
    [InlineData("PUT", true)]
    [InlineData("DELETE", true)]
    [InlineData("POST", false)]
    [InlineData("PATCH", false)]
    public void AReusedConnectionTheServerClosedIsRetriedOnlyForIdempotentMethods_HC4(string method, bool retried)
    {
        var (outcome, connections) = ClientLoopback.Run(async loop =>
        {
            // Answers the first request of each connection and drops the connection on the second (an idle close
            // that crossed the client's next request on the wire).
            int connections = 0;
            int port = loop.Listen(Factory.ForProtocol(() =>
            {
                connections++;
                return new OneAnswerServer();
            }));
            var pool = new HttpConnectionPool(loop.Reactor);
            var agent = new Agent(loop.Reactor, pool);
            var first = await agent.Request(method, $"http://127.0.0.1:{port}/", null, method is "PUT" or "POST" or "PATCH" ? "x"u8.ToArray() : null);
            await first.ReadBody(100);
            string outcome;
            try
            {
                var second = await agent.Request(method, $"http://127.0.0.1:{port}/", null, method is "PUT" or "POST" or "PATCH" ? "x"u8.ToArray() : null);
                await second.ReadBody(100);
                outcome = "ok";
            }
            catch (ResponseNeverReceivedException)
            {
                outcome = "never received";
            }
            await pool.CloseIdleConnections();
            return (outcome, connections);
        });
        Assert.Equal(retried ? "ok" : "never received", outcome);
        Assert.Equal(retried ? 2 : 1, connections);
    }

    [Fact]
    public void AStreamedBodyIsNotRetried_HC4()
    {
        var outcome = ClientLoopback.Run(async loop =>
        {
            int port = loop.Listen(Factory.ForProtocol(() => new OneAnswerServer()));
            var agent = new Agent(loop.Reactor, new HttpConnectionPool(loop.Reactor));
            await (await agent.Request("GET", $"http://127.0.0.1:{port}/")).ReadBody(100);
            return await ClientLoopback.FailureOf(agent.Request("PUT", $"http://127.0.0.1:{port}/", null, new ChunksProducer(["a", "b"])));
        });
        Assert.IsType<ResponseNeverReceivedException>(outcome);
    }

    [Fact]
    public void AChunkedRequestBodyFromAProducerArrives_HC5()
    {
        var echoed = ClientLoopback.Run(async loop =>
        {
            int port = loop.ListenSite(Root());
            var response = await new Agent(loop.Reactor).Request("POST", $"http://127.0.0.1:{port}/echo", null, new ChunksProducer(["one ", "two ", "three"]));
            return Encoding.UTF8.GetString(await response.ReadBody(1000));
        });
        Assert.Equal("one two three", echoed);
    }

    [Fact]
    public void AProducerWritingMoreThanItsLengthFailsTheRequest_HC5()
    {
        var error = ClientLoopback.Run(loop =>
        {
            int port = loop.ListenSite(Root());
            return ClientLoopback.FailureOf(new Agent(loop.Reactor).Request("POST", $"http://127.0.0.1:{port}/echo", null,
                new ChunksProducer(["too long"], length: 3)));
        });
        Assert.IsType<RequestTransmissionFailedException>(error);
    }

    /// <summary>Writes its pieces, as a body of unknown (or a stated) length.</summary>
    private sealed class ChunksProducer(string[] pieces, long? length = null) : IBodyProducer
    {
        public long? Length => length;

        public Deferred<Unit> StartProducing(IConsumer consumer)
        {
            foreach (var piece in pieces) consumer.Write(Encoding.UTF8.GetBytes(piece));
            return Deferred.Succeed();
        }

        public void PauseProducing() { }
        public void ResumeProducing() { }
        public void StopProducing() { }
    }

    /// <summary>Answers every request with a keep-alive "ok"; reports when the client closes.</summary>
    private sealed class KeepAliveServer(Deferred<Unit> lost) : Protocol
    {
        private readonly MemoryStream _received = new();

        public override void DataReceived(ReadOnlySpan<byte> data)
        {
            _received.Write(data);
            while (true)
            {
                var buffer = _received.GetBuffer().AsSpan(0, (int)_received.Length);
                int end = buffer.IndexOf("\r\n\r\n"u8);
                if (end < 0) return;
                var rest = buffer[(end + 4)..].ToArray();
                _received.SetLength(0);
                _received.Write(rest);
                Transport.Write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"u8);
            }
        }

        public override void ConnectionLost(Failure reason) => lost.Callback(Unit.Value);
    }

    /// <summary>Answers one request per connection (reading a 1-byte body if announced); drops the connection on the next.</summary>
    private sealed class OneAnswerServer : Protocol
    {
        private readonly MemoryStream _received = new();
        private bool _answered;

        public override void DataReceived(ReadOnlySpan<byte> data)
        {
            _received.Write(data);
            var buffer = _received.GetBuffer().AsSpan(0, (int)_received.Length);
            int end = buffer.IndexOf("\r\n\r\n"u8);
            if (end < 0) return;
            if (_answered)
            {
                Transport.LoseConnection();
                return;
            }
            var head = Encoding.Latin1.GetString(buffer[..end]);
            int bodyLength = head.Contains("Content-Length: 1", StringComparison.Ordinal) ? 1 : 0;
            if (buffer.Length < end + 4 + bodyLength) return;
            _answered = true;
            _received.SetLength(0);
            Transport.Write(head.StartsWith("HEAD ", StringComparison.Ordinal)
                ? "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n"u8
                : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"u8);
        }
    }
}
