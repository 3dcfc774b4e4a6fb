using System.Net;
using Twine.Net;
using Twine.Testing;

namespace Twine.Tests.Net;

public sealed class DatagramProtocolTests
{
    private sealed class Echo : DatagramProtocol
    {
        public int Starts, Stops, Refused;
        protected override void StartProtocol() => Starts++;
        protected override void StopProtocol() => Stops++;
        public override void DatagramReceived(ReadOnlySpan<byte> data, EndPoint address) => Transport!.Write(data, address);
        public override void ConnectionRefused() => Refused++;
    }

    private static readonly EndPoint Sender = new IPEndPoint(IPAddress.Loopback, 5000);

    [Fact]
    public void MakeConnectionAttachesAndStartsOnce()
    {
        var p = new Echo { Noisy = false };
        var t = new MemoryDatagramTransport { Protocol = p };
        p.MakeConnection(t);
        Assert.Same(t, p.Transport);
        Assert.Equal(1, p.Starts);
        Assert.Throws<InvalidOperationException>(() => p.MakeConnection(new MemoryDatagramTransport()));
    }

    [Fact]
    public void DatagramsCarryTheirSenderAndRepliesGoBack()
    {
        var p = new Echo { Noisy = false };
        var t = new MemoryDatagramTransport { Protocol = p };
        p.MakeConnection(t);
        p.DatagramReceived("ping"u8, Sender);
        var (data, address) = Assert.Single(t.Written);
        Assert.Equal("ping"u8.ToArray(), data);
        Assert.Equal(Sender, address);
    }

    [Fact]
    public void ConnectedTransportOnlySendsToItsPeer()
    {
        var t = new MemoryDatagramTransport();
        Assert.Throws<InvalidOperationException>(() => t.Write("x"u8));
        t.Connect(Sender);
        t.Write("x"u8);
        Assert.Throws<InvalidOperationException>(() => t.Write("x"u8, new IPEndPoint(IPAddress.Loopback, 6000)));
        Assert.Throws<InvalidOperationException>(() => t.Connect(Sender));
        Assert.Equal(Sender, t.Peer);
    }

    [Fact]
    public void LosingTheTransportStopsTheProtocolAndDetachesIt()
    {
        var p = new Echo { Noisy = false };
        var t = new MemoryDatagramTransport { Protocol = p };
        p.MakeConnection(t);
        t.LoseConnection();
        t.LoseConnection();
        Assert.Equal(1, p.Stops);
        Assert.Null(p.Transport);
        p.DoStop();
        Assert.Equal(1, p.Stops);
    }
}
