using System.Text;
using Twine.Defer;
using Twine.Net;
using Twine.Web.Client;

namespace Twine.Web.Tests.Client;

/// <summary>When the body is read, reading it twice, and cancelling: the connection is paused, resumed or dropped.</summary>
public sealed class ResponseFlowTests
{
    [Fact]
    public void TheBodyCanBeReadLaterWhileTheConnectionWaitsPaused()
    {
        var body = Enumerable.Range(0, 300_000).Select(i => (byte)(i % 251)).ToArray();
        var head = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\n\r\n");
        var read = ClientLoopback.Run(async loop =>
        {
            int port = loop.ListenScripted([.. head, .. body]);
            var response = await new Agent(loop.Reactor).Request("GET", $"http://127.0.0.1:{port}/");
            // Let the reactor turn a few times before asking for the body: it must all still arrive.
            for (int i = 0; i < 5; i++)
            {
                var tick = new Deferred<Unit>();
                loop.Reactor.CallLater(TimeSpan.Zero, () => tick.Callback(Unit.Value));
                await tick;
            }
            return await response.ReadBody(body.Length);
        });
        Assert.Equal(body, read);
    }

    [Fact]
    public void ReadingTheBodyTwiceIsAnError()
    {
        var error = ClientLoopback.Run(async loop =>
        {
            int port = loop.ListenScripted("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"u8.ToArray());
            var response = await new Agent(loop.Reactor).Request("GET", $"http://127.0.0.1:{port}/");
            Assert.Equal("ok"u8.ToArray(), await response.ReadBody(10));
            return Record.Exception(() => response.ReadBody(10));
        });
        Assert.IsType<InvalidOperationException>(error);
    }

    [Fact]
    public void CancellingWhileWaitingForTheHeadDropsTheConnection()
    {
        var (error, serverSaw) = ClientLoopback.Run(async loop =>
        {
            var requestArrived = new Deferred<Unit>();
            var connectionLost = new Deferred<string>();
            int port = loop.Listen(Factory.ForProtocol(() => new Mute(requestArrived, connectionLost)));
            var request = new Agent(loop.Reactor).Request("GET", $"http://127.0.0.1:{port}/");
            await requestArrived;
            request.Cancel();
            var error = await ClientLoopback.FailureOf(request);
            return (error, await connectionLost);
        });
        Assert.IsType<CancelledException>(error);
        Assert.Equal("ConnectionLostException", serverSaw);      // an abort, not a clean close
    }

    [Fact]
    public void CancellingTheBodyReadDropsTheConnection()
    {
        var (error, serverSaw) = ClientLoopback.Run(async loop =>
        {
            var requestArrived = new Deferred<Unit>();
            var connectionLost = new Deferred<string>();
            int port = loop.Listen(Factory.ForProtocol(() =>
                new Mute(requestArrived, connectionLost, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part"u8.ToArray())));
            var response = await new Agent(loop.Reactor).Request("GET", $"http://127.0.0.1:{port}/");
            var read = response.ReadBody(1000);
            read.Cancel();
            var error = await ClientLoopback.FailureOf(read);
            return (error, await connectionLost);
        });
        Assert.IsType<CancelledException>(error);
        Assert.Equal("ConnectionLostException", serverSaw);      // an abort, not a clean close
    }

    /// <summary>Answers the request head with <paramref name="answer"/> (if any), then never closes by itself.</summary>
    private sealed class Mute(Deferred<Unit> requestArrived, Deferred<string> connectionLost, byte[]? answer = null) : Protocol
    {
        private readonly MemoryStream _received = new();

        public override void DataReceived(ReadOnlySpan<byte> data)
        {
            if (requestArrived.Called) return;
            _received.Write(data);
            if (_received.GetBuffer().AsSpan(0, (int)_received.Length).IndexOf("\r\n\r\n"u8) < 0) return;
            if (answer is not null) Transport.Write(answer);
            requestArrived.Callback(Unit.Value);
        }

        public override void ConnectionLost(Failure reason) => connectionLost.Callback(reason.Type.Name);
    }
}
