using System.Net;
using Twine.Net;
using Twine.Reactors;
using Twine.Tests.Net.Tcp;
using Twine.Tests.Reactors;
using static Twine.Tests.Net.Tcp.NetTesting;

namespace Twine.Tests.Net.Udp;

/// <summary>ListenUdp on both backends: datagrams with their sender, connected UDP, errors, lifecycle.</summary>
public sealed class UdpPortTests
{
    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void DatagramsArriveWithTheirSenderAndCanBeAnswered(NetSetup backend)
    {
        using var reactor = Create(backend);
        var server = new Recorder { OnDatagram = (p, data, from) => p.Transport!.Write([.. "re:"u8, .. data], from) };
        var serverPort = reactor.ListenUdp(0, server, interfaceAddress: "127.0.0.1");
        var client = new Recorder
        {
            OnStart = p => p.Transport!.Write("ping"u8, serverPort.Host),
            OnDatagram = (_, _, _) => reactor.Stop(),
        };
        var clientPort = reactor.ListenUdp(0, client, interfaceAddress: "127.0.0.1");
        Run(reactor);

        var (data, from) = Assert.Single(server.Received);
        Assert.Equal("ping"u8.ToArray(), data);
        Assert.Equal(clientPort.Host, from);
        var (answer, answeredFrom) = Assert.Single(client.Received);
        Assert.Equal("re:ping"u8.ToArray(), answer);
        Assert.Equal(serverPort.Host, answeredFrom);
        Assert.Equal(1, server.Starts);
        Assert.Equal(1, server.Stops);   // the reactor's shutdown closed the port and stopped the protocol
        Assert.Null(server.Transport);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void ManyDatagramsFromOnePeerShareItsEndpointAndKeepTheirBoundaries(NetSetup backend)
    {
        using var reactor = Create(backend);
        var server = new Recorder();
        server.OnDatagram = (_, _, _) =>
        {
            if (server.Received.Count == 100) reactor.Stop();
        };
        var serverPort = reactor.ListenUdp(0, server, interfaceAddress: "127.0.0.1");
        var client = new Recorder
        {
            OnStart = p =>
            {
                for (int i = 0; i < 100; i++) p.Transport!.Write(Pattern(i + 1, i), serverPort.Host);
            },
        };
        reactor.ListenUdp(0, client, interfaceAddress: "127.0.0.1");
        Run(reactor);

        for (int i = 0; i < 100; i++) Assert.Equal(Pattern(i + 1, i), server.Received[i].Data);
        Assert.All(server.Received, r => Assert.Same(server.Received[0].From, r.From));
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void AConnectedPortSendsToItsPeerAndHearsOfRefusal(NetSetup backend)
    {
        using var reactor = Create(backend);
        // A port that was bound and closed: datagrams to it are refused (ICMP port unreachable).
        var closed = reactor.ListenUdp(0, new Recorder(), interfaceAddress: "127.0.0.1");
        var closedAddress = closed.Host;
        closed.StopListening();

        var client = new Recorder();
        client.OnRefused = _ => reactor.Stop();
        reactor.ListenUdp(0, client, interfaceAddress: "127.0.0.1");
        var transport = client.Transport!;
        transport.Connect(closedAddress);
        Assert.Equal(closedAddress, transport.Peer);
        Assert.Throws<InvalidOperationException>(() => transport.Connect(closedAddress));
        Assert.Throws<InvalidOperationException>(() => transport.Write("x"u8, new IPEndPoint(IPAddress.Loopback, 9)));
        transport.Write("anyone there?"u8);
        Run(reactor);

        Assert.Equal(1, client.Refusals);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void WritingRules(NetSetup backend)
    {
        using var reactor = Create(backend);
        var p = new Recorder();
        var port = reactor.ListenUdp(0, p, interfaceAddress: "127.0.0.1");
        var transport = p.Transport!;
        Assert.Throws<InvalidOperationException>(() => transport.Write("no address"u8));
        Assert.Throws<ArgumentException>(() => transport.Write("x"u8, new DnsEndPoint("localhost", 9)));
        Assert.Throws<MessageLengthException>(() => transport.Write(new byte[70_000], port.Host));
        port.StopListening();
        Assert.Equal(1, p.Stops);
        Assert.Throws<ObjectDisposedException>(() => transport.Write("x"u8, port.Host));
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void AThrowingProtocolIsLoggedAndThePortKeepsReceiving(NetSetup backend)
    {
        using var reactor = Create(backend);
        using var log = new ReactorTesting.LogCapture("udp-boom-3c1d");
        var server = new Recorder();
        server.OnDatagram = (_, data, _) =>
        {
            if (data.AsSpan().SequenceEqual("bad"u8)) throw new InvalidOperationException("udp-boom-3c1d");
            reactor.Stop();
        };
        var serverPort = reactor.ListenUdp(0, server, interfaceAddress: "127.0.0.1");
        reactor.ListenUdp(0, new Recorder
        {
            OnStart = c =>
            {
                c.Transport!.Write("bad"u8, serverPort.Host);
                c.Transport.Write("good"u8, serverPort.Host);
            },
        }, interfaceAddress: "127.0.0.1");
        Run(reactor);

        Assert.Equal(2, server.Received.Count);
        Assert.Single(log.Events);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void DatagramsLargerThanMaxPacketSizeAreTruncatedAndIPv6Works(NetSetup backend)
    {
        using var reactor = Create(backend);
        var server = new Recorder { OnDatagram = (_, _, _) => reactor.Stop() };
        var serverPort = reactor.ListenUdp(0, server, interfaceAddress: "::1", maxPacketSize: 10);
        Assert.Equal(IPAddress.IPv6Loopback, ((IPEndPoint)serverPort.Host).Address);
        reactor.ListenUdp(0, new Recorder { OnStart = c => c.Transport!.Write(Pattern(100), serverPort.Host) }, interfaceAddress: "::1");
        Run(reactor);
        Assert.Equal(Pattern(100)[..10], Assert.Single(server.Received).Data);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void APortBigEnoughForJumboDatagramsReadsThemWhole(NetSetup backend)
    {
        using var reactor = Create(backend);
        var server = new Recorder { OnDatagram = (_, _, _) => reactor.Stop() };
        var serverPort = reactor.ListenUdp(0, server, interfaceAddress: "127.0.0.1", maxPacketSize: 65_507);
        reactor.ListenUdp(0, new Recorder { OnStart = c => c.Transport!.Write(Pattern(65_507), serverPort.Host) }, interfaceAddress: "127.0.0.1");
        Run(reactor);
        Assert.Equal(Pattern(65_507), Assert.Single(server.Received).Data);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void AProtocolAlreadyAttachedIsRefusedWithoutDisturbingItsPort(NetSetup backend)
    {
        using var reactor = Create(backend);
        var p = new Recorder();
        var first = reactor.ListenUdp(0, p, interfaceAddress: "127.0.0.1");
        int registered = OpenHandles(reactor);
        Assert.Throws<InvalidOperationException>(() => reactor.ListenUdp(0, p, interfaceAddress: "127.0.0.1"));
        Assert.Equal(1, p.NumPorts);
        Assert.Equal(0, p.Stops);
        Assert.Equal(registered, OpenHandles(reactor));
        first.StopListening();
        Assert.Equal(1, p.Stops);
    }

    private sealed class Recorder : DatagramProtocol
    {
        public Recorder() => Noisy = false;

        public List<(byte[] Data, EndPoint From)> Received { get; } = [];
        public int Starts { get; private set; }
        public int Stops { get; private set; }
        public int Refusals { get; private set; }
        public Action<Recorder>? OnStart { get; init; }
        public Action<Recorder, byte[], EndPoint>? OnDatagram { get; set; }
        public Action<Recorder>? OnRefused { get; set; }

        protected override void StartProtocol()
        {
            Starts++;
            OnStart?.Invoke(this);
        }

        protected override void StopProtocol() => Stops++;

        public override void DatagramReceived(ReadOnlySpan<byte> data, EndPoint address)
        {
            var copy = data.ToArray();
            Received.Add((copy, address));
            OnDatagram?.Invoke(this, copy, address);
        }

        public override void ConnectionRefused()
        {
            Refusals++;
            OnRefused?.Invoke(this);
        }
    }
}
