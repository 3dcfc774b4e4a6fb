using System.Net;
using System.Net.Sockets;
using System.Text;
using Twine.Net;
using Twine.Net.Endpoints;

namespace Twine.Web.Tests;

/// <summary>
/// A request is a consumer: a push producer streaming a large response over a real socket is paused while the client
/// does not read, and resumed as it drains, so the server holds a bounded amount of the body at any time.
/// </summary>
public class RequestProducerTests
{
    private const int Total = 32 * 1024 * 1024;
    private const int Chunk = 16 * 1024;

    private sealed class Flood(Request request) : IPushProducer
    {
        private static readonly byte[] s_chunk = Enumerable.Repeat((byte)'z', Chunk).ToArray();
        private bool _paused;
        private bool _done;
        public int Sent;
        public int Pauses;
        public int MaxWrittenWhileUnpaused;
        public readonly ManualResetEventSlim PausedOnce = new();

        public void Start()
        {
            request.RegisterProducer(this, streaming: true);
            Pump();
        }

        private void Pump()
        {
            int burst = 0;
            while (!_paused && !_done && Sent < Total)
            {
                request.Write(s_chunk);
                Sent += Chunk;
                burst += Chunk;
            }
            MaxWrittenWhileUnpaused = Math.Max(MaxWrittenWhileUnpaused, burst);
            if (!_done && Sent >= Total)
            {
                _done = true;
                request.UnregisterProducer();
                request.Finish();
            }
        }

        public void PauseProducing()
        {
            _paused = true;
            Pauses++;
            PausedOnce.Set();
        }

        public void ResumeProducing()
        {
            _paused = false;
            Pump();
        }

        public void StopProducing() => _done = true;
    }

    [Fact]
    public void PushProducerIsPausedWhileTheClientDoesNotRead()
    {
        Flood? flood = null;
        using var rendered = new ManualResetEventSlim();
        var root = new DelegateResource(r =>
        {
            flood = new Flood(r);
            rendered.Set();
            flood.Start();
            return RenderResult.NotDoneYet;
        });
        var wire = LoopbackServer.Run(
            reactor => Endpoints.Server(reactor, "tcp:0:interface=127.0.0.1").Listen(new Site(root, reactor) { LogRequests = false }),
            port =>
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.ReceiveTimeout = 30_000;
                socket.Connect(IPAddress.Loopback, port);
                socket.Send(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"));
                // Not reading yet: the server must stop producing once the socket's buffers are full.
                Assert.True(rendered.Wait(TimeSpan.FromSeconds(30)), "The request was never rendered.");
                Assert.True(flood!.PausedOnce.Wait(TimeSpan.FromSeconds(30)), "The producer was never paused.");
                var received = new MemoryStream();
                var buffer = new byte[256 * 1024];
                int n;
                while ((n = socket.Receive(buffer)) > 0) received.Write(buffer, 0, n);
                return received.ToArray();
            });
        var response = Assert.Single(WireResponse.ParseAll(wire, ["GET"]));
        Assert.Equal(Total, response.Body.Length);
        Assert.True(flood!.Pauses >= 1);
        // Never more than the socket's buffers plus one high-water mark in flight before a pause: far below the body.
        Assert.True(flood.MaxWrittenWhileUnpaused < Total / 2, $"wrote {flood.MaxWrittenWhileUnpaused} bytes without a pause");
    }
}
