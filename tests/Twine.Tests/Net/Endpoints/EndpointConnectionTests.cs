using System.Net;
using Twine.Defer;
using Twine.Net;
using Twine.Reactors;
using Twine.Tests.Net.Tcp;
using static Twine.Tests.Net.Tcp.NetTesting;
using Twine.Net.Endpoints;

namespace Twine.Tests.Net;

/// <summary>Endpoints from strings listening and connecting on real loopback sockets, on both backends.</summary>
public sealed class EndpointConnectionTests
{
    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void ListenAndConnectFromDescriptionStrings(NetSetup backend)
    {
        using var reactor = Create(backend);
        IListeningPort? port = null;
        Endpoints.Server(reactor, "tcp:0:interface=127.0.0.1").Listen(Factory.ForProtocol(() => new EchoProtocol()))
            .AddCallback(p => port = p);
        Assert.NotNull(port);   // listening is synchronous underneath: the Deferred has fired already
        int number = ((IPEndPoint)port!.Host).Port;

        var client = new RecordingProtocol { OnData = (_, _) => reactor.Stop() };
        bool madeWhenDelivered = false;
        IProtocol? delivered = null;
        Endpoints.Client(reactor, $"tcp:127.0.0.1:{number}:timeout=5").Connect(Factory.ForProtocol(() => client))
            .AddCallback(p =>
            {
                delivered = p;
                madeWhenDelivered = client.Made;
                client.Transport.Write("via endpoints"u8);
            });
        Run(reactor);

        Assert.Same(client, delivered);
        Assert.True(madeWhenDelivered);
        Assert.Equal("via endpoints"u8.ToArray(), client.Received);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void ConnectProtocolDeliversTheGivenInstanceOverIPv6(NetSetup backend)
    {
        using var reactor = Create(backend);
        IListeningPort? port = null;
        Endpoints.Server(reactor, @"tcp6:0:interface=\:\:1").Listen(Factory.ForProtocol(() => new EchoProtocol())).AddCallback(p => port = p);
        int number = ((IPEndPoint)port!.Host).Port;
        var mine = new RecordingProtocol();
        RecordingProtocol? delivered = null;
        Endpoints.ConnectProtocol(Endpoints.Client(reactor, $@"tcp:host=\:\:1:port={number}"), mine).AddCallback(p =>
        {
            delivered = p;
            reactor.Stop();
        });
        Run(reactor);
        Assert.Same(mine, delivered);
        Assert.Equal(IPAddress.IPv6Loopback, ((IPEndPoint)mine.Transport.Peer).Address);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void ListenAndConnectFailuresArriveThroughTheDeferreds(NetSetup backend)
    {
        using var reactor = Create(backend);
        var (port, number) = ListenLocal(reactor, Factory.ForProtocol(() => new RecordingProtocol()));
        Failure? listenFailure = null, connectFailure = null;
        Endpoints.Server(reactor, $"tcp:{number}:interface=127.0.0.1").Listen(Factory.ForProtocol(() => new RecordingProtocol()))
            .AddErrback(f => listenFailure = f);
        port.StopListening();
        Endpoints.Client(reactor, $"tcp:127.0.0.1:{number}").Connect(Factory.ForProtocol(() => new RecordingProtocol()))
            .AddErrback(f =>
            {
                connectFailure = f;
                reactor.Stop();
            });
        Run(reactor);
        Assert.NotNull(listenFailure!.Check(typeof(CannotListenException)));
        Assert.NotNull(connectFailure!.Check(typeof(ConnectionRefusedException)));
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void CancellingAConnectStopsTheAttempt(NetSetup backend)
    {
        using var reactor = Create(backend);
        var (_, number) = ListenLocal(reactor, Factory.ForProtocol(() => new RecordingProtocol()));
        var client = new RecordingProtocol();
        var userFactory = new Factory(() => client) { Noisy = false };
        Failure? failure = null;
        var d = Endpoints.Client(reactor, $"tcp:127.0.0.1:{number}").Connect(userFactory);
        d.AddErrback(f => failure = f);
        Assert.Equal(1, userFactory.NumPorts);   // the user's factory is started with the attempt
        d.Cancel();
        reactor.CallLater(TimeSpan.FromMilliseconds(50), reactor.Stop);
        Run(reactor);
        var cancelled = Assert.IsType<ConnectingCancelledException>(failure!.Value);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, number), cancelled.Address);
        Assert.False(client.Made);
        Assert.Equal(0, userFactory.NumPorts);   // and stopped with it
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void AFactoryBuildingNothingFailsTheConnectWithNoProtocol(NetSetup backend)
    {
        using var reactor = Create(backend);
        var (_, number) = ListenLocal(reactor, Factory.ForProtocol(() => new RecordingProtocol()));
        Failure? failure = null;
        Endpoints.Client(reactor, $"tcp:127.0.0.1:{number}").Connect(new Factory(() => null!))
            .AddErrback(f =>
            {
                failure = f;
                reactor.Stop();
            });
        Run(reactor);
        Assert.IsType<NoProtocolException>(failure!.Value);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void HalfCloseReachesAWrappedProtocol(NetSetup backend)
    {
        using var reactor = Create(backend);
        var (_, number) = ListenLocal(reactor, Factory.ForProtocol(() => new RecordingProtocol { OnMade = p => p.Transport.LoseWriteConnection() }));
        var client = new HalfCloseRecordingProtocol { OnReadLost = _ => reactor.Stop() };
        Endpoints.Client(reactor, $"tcp:127.0.0.1:{number}").Connect(Factory.ForProtocol(() => client));
        Run(reactor);
        Assert.True(client.ReadLost);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void UnixEndpointsWithALockFile(NetSetup backend)
    {
        using var reactor = Create(backend);
        var dir = Directory.CreateTempSubdirectory("twine-ep-").FullName;
        try
        {
            string path = Path.Combine(dir, "ep.sock");
            string quoted = Endpoints.QuoteStringArgument(path);
            IListeningPort? port = null;
            Endpoints.Server(reactor, $"unix:{quoted}:mode=600").Listen(Factory.ForProtocol(() => new EchoProtocol())).AddCallback(p => port = p);
            Assert.NotNull(port);
            Assert.True(File.Exists(path + ".lock"));   // lockfile=1 is the server default
            var client = new RecordingProtocol { OnData = (_, _) => reactor.Stop() };
            Endpoints.Client(reactor, $"unix:{quoted}:lockfile=1").Connect(Factory.ForProtocol(() => client))
                .AddCallback(_ => client.Transport.Write("unix"u8));
            Run(reactor);
            Assert.Equal("unix"u8.ToArray(), client.Received);
            Assert.False(File.Exists(path));
            Assert.False(File.Exists(path + ".lock"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
