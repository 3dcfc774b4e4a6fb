using Microsoft.Win32.SafeHandles;
using Twine.Net;
using Twine.Reactors;
using static Twine.Tests.Net.Tcp.NetTesting;

namespace Twine.Tests.Net.Tcp;

/// <summary>
/// <see cref="IFileSendingTransport"/> on real sockets: a file region queued between writes leaves in order, costs no
/// buffer memory, pauses producers like written bytes, and a file shorter than its region aborts the connection.
/// </summary>
public sealed class TcpSendFileTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "twine-sendfile-" + Guid.NewGuid().ToString("N"));
    private readonly byte[] _content = Pattern(300_000, seed: 7);

    public TcpSendFileTests() => File.WriteAllBytes(_path, _content);

    public void Dispose() => File.Delete(_path);

    private SafeFileHandle Open() => File.OpenHandle(_path);

    /// <summary>A server that records what arrives and stops the reactor when the client's connection ends.</summary>
    private static RecordingProtocol Listen(Reactor reactor, out int number, bool stopWhenLost = true)
    {
        var server = new RecordingProtocol { OnLost = (_, _) => { if (stopWhenLost) reactor.Stop(); } };
        (_, number) = ListenLocal(reactor, Factory.ForProtocol(() => server));
        return server;
    }

    [Theory, MemberData(nameof(NativeBackends), MemberType = typeof(NetTesting))]
    public void ARegionLeavesInOrderWithTheWritesAroundIt(NetSetup backend)
    {
        using var reactor = Create(backend);
        var server = Listen(reactor, out int number);
        SafeFileHandle? handle = null;
        reactor.ConnectTcp("127.0.0.1", number, Client(new RecordingProtocol
        {
            OnMade = p =>
            {
                var files = Assert.IsAssignableFrom<IFileSendingTransport>(p.Transport);
                p.Transport.Write("head:"u8);
                files.WriteFile(handle = Open(), offset: 1000, count: 250_000);
                p.Transport.Write(":middle:"u8);
                files.WriteFile(Open(), offset: 0, count: 10);
                p.Transport.Write(":tail"u8);
                Assert.Equal(5 + 250_000 + 8 + 10 + 5, ((ISocketTransport)p.Transport).BufferedBytes);
                p.Transport.LoseConnection();
            },
        }));
        Run(reactor);
        byte[] expected = [.. "head:"u8, .. _content.AsSpan(1000, 250_000), .. ":middle:"u8, .. _content.AsSpan(0, 10), .. ":tail"u8];
        Assert.Equal(expected, server.Received);
        Assert.True(handle!.IsClosed, "The transport disposes a region's file once it is sent.");
    }

    [Theory, MemberData(nameof(NativeBackends), MemberType = typeof(NetTesting))]
    public void APullProducerIsAskedForMoreOnlyOnceTheRegionHasGone(NetSetup backend)
    {
        using var reactor = Create(backend);
        var server = Listen(reactor, out int number);
        long bufferedAtPull = -1;
        reactor.ConnectTcp("127.0.0.1", number, Client(new RecordingProtocol
        {
            OnMade = p =>
            {
                // A pull producer is pulled once on registration (it queues the region), then again once that drained.
                var producer = new TwoPulls(() => ((IFileSendingTransport)p.Transport).WriteFile(Open(), 0, _content.Length), () =>
                {
                    bufferedAtPull = ((ISocketTransport)p.Transport).BufferedBytes;
                    p.Transport.UnregisterProducer();
                    p.Transport.Write("done"u8);
                    p.Transport.LoseConnection();
                });
                p.Transport.RegisterProducer(producer, streaming: false);
            },
        }));
        Run(reactor);
        Assert.Equal(0, bufferedAtPull);
        Assert.Equal([.. _content, .. "done"u8], server.Received);
    }

    [Theory, MemberData(nameof(NativeBackends), MemberType = typeof(NetTesting))]
    public void AFileShorterThanItsRegionAbortsTheConnection(NetSetup backend)
    {
        using var reactor = Create(backend);
        var server = Listen(reactor, out int number);
        var client = new RecordingProtocol();
        reactor.ConnectTcp("127.0.0.1", number, Client(client));
        client.OnMade = p =>
        {
            ((IFileSendingTransport)p.Transport).WriteFile(Open(), offset: _content.Length - 100, count: 1000);
            p.Transport.Write("never sent: it would pose as the missing file bytes"u8);
        };
        Run(reactor);
        // The reset may overtake bytes the server had not read yet; what does arrive is the file's, never the later write.
        Assert.True(server.Received.Length <= 100);
        Assert.Equal(_content.AsSpan(_content.Length - 100, server.Received.Length).ToArray(), server.Received);
        Assert.IsType<IOException>(client.LostReason!.Value);
        Assert.Contains("ended 900 bytes early", client.LostReason.Value.Message);
    }

    [Theory, MemberData(nameof(NativeBackends), MemberType = typeof(NetTesting))]
    public void AClosedTransportDisposesTheFileAtOnce(NetSetup backend)
    {
        using var reactor = Create(backend);
        Listen(reactor, out int number, stopWhenLost: false);
        var client = new RecordingProtocol();
        SafeFileHandle? late = null;
        client.OnMade = p => p.Transport.AbortConnection();
        client.OnLost = (p, _) =>
        {
            ((IFileSendingTransport)p.Transport).WriteFile(late = Open(), 0, 10);
            ((IFileSendingTransport)p.Transport).WriteFile(Open(), 0, 0);
            reactor.Stop();
        };
        reactor.ConnectTcp("127.0.0.1", number, Client(client));
        Run(reactor);
        Assert.True(late!.IsClosed);
    }

    [Fact]
    public void NegativeOffsetsAndCountsAreRefused()
    {
        using var reactor = Create(ReactorBackend.Auto);
        Listen(reactor, out int number);
        Exception? offset = null, count = null;
        var client = new RecordingProtocol
        {
            OnMade = p =>
            {
                using var handle = Open();
                offset = Record.Exception(() => ((IFileSendingTransport)p.Transport).WriteFile(handle, -1, 1));
                count = Record.Exception(() => ((IFileSendingTransport)p.Transport).WriteFile(handle, 0, -1));
                p.Transport.LoseConnection();
            },
        };
        reactor.ConnectTcp("127.0.0.1", number, Client(client));
        Run(reactor);
        Assert.IsType<ArgumentOutOfRangeException>(offset);
        Assert.IsType<ArgumentOutOfRangeException>(count);
    }

    private sealed class TwoPulls(Action first, Action second) : IPullProducer
    {
        private int _pulls;

        public void ResumeProducing()
        {
            switch (++_pulls)
            {
                case 1: first(); break;
                case 2: second(); break;
            }
        }

        public void StopProducing() { }
    }
}
