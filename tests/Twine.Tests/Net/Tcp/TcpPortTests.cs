using System.Net;
using System.Net.Sockets;
using Twine.Defer;
using Twine.Net;
using Twine.Reactors;
using static Twine.Tests.Net.Tcp.NetTesting;

namespace Twine.Tests.Net.Tcp;

/// <summary>ListenTcp: binding, the factory's start/stop (PF3), stopping, errors.</summary>
public sealed class TcpPortTests
{
    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void DisposingAReactorThatNeverRanClosesItsPorts(NetSetup backend)
    {
        var factory = new CountingFactory();
        int number;
        using (var reactor = Create(backend))
        {
            (_, number) = ListenLocal(reactor, factory);
        }
        Assert.Equal(1, factory.Stops);
        // The socket was closed, so the port can be listened on again.
        using var next = Create(backend);
        var again = next.ListenTcp(number, new CountingFactory(), interfaceAddress: "127.0.0.1");
        Assert.Equal(number, ((IPEndPoint)again.Host).Port);
        again.StopListening();
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void PF3_ListeningStartsTheFactoryAndStoppingStopsItAndFreesThePort(NetSetup backend)
    {
        using var reactor = Create(backend);
        var factory = new CountingFactory();
        var (port, number) = ListenLocal(reactor, factory);
        Assert.Equal(1, factory.NumPorts);
        Assert.Equal(1, factory.Starts);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, number), port.Host);

        var stopped = port.StopListening();
        Assert.True(stopped.Called);
        Assert.Equal(0, factory.NumPorts);
        Assert.Equal(1, factory.Stops);
        Assert.True(port.StopListening().Called);   // a second stop is harmless
        Assert.Equal(1, factory.Stops);

        // The port number is free again, and nothing answers on the old socket.
        var again = reactor.ListenTcp(number, factory, interfaceAddress: "127.0.0.1");
        Assert.Equal(number, ((IPEndPoint)again.Host).Port);
        again.StopListening();
        var refused = Client(new RecordingProtocol());
        refused.OnFailed = (_, _) => reactor.Stop();
        reactor.ConnectTcp("127.0.0.1", number, refused);
        Run(reactor);
        Assert.NotNull(refused.Failed!.Check(typeof(ConnectionRefusedException)));
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void ListeningOnAllInterfacesAcceptsLoopbackConnections(NetSetup backend)
    {
        using var reactor = Create(backend);
        var port = reactor.ListenTcp(0, Factory.ForProtocol(() => new RecordingProtocol()));
        var host = (IPEndPoint)port.Host;
        Assert.Equal(IPAddress.Any, host.Address);
        // Stop once the client side is connected: which side hears first is up to the socket layer.
        var client = new RecordingProtocol { OnMade = _ => reactor.Stop() };
        reactor.ConnectTcp("127.0.0.1", host.Port, Client(client));
        Run(reactor);
        Assert.True(client.Made);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void AnAddressInUseCannotBeListenedOn(NetSetup backend)
    {
        using var reactor = Create(backend);
        var factory = new CountingFactory();
        var (port, number) = ListenLocal(reactor, factory);
        var e = Assert.Throws<CannotListenException>(() => reactor.ListenTcp(number, factory, interfaceAddress: "127.0.0.1"));
        Assert.Equal(SocketError.AddressAlreadyInUse, e.SocketErrorCode);
        Assert.Contains($"127.0.0.1:{number}", e.Message);
        Assert.Equal(1, factory.NumPorts);   // the failed port never started the factory
        port.StopListening();
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void TheInterfaceMustBeAnAddressLiteral(NetSetup backend)
    {
        using var reactor = Create(backend);
        Assert.Throws<ArgumentException>(() => reactor.ListenTcp(0, new CountingFactory(), interfaceAddress: "example.org"));
        Assert.Throws<ArgumentOutOfRangeException>(() => reactor.ListenTcp(70000, new CountingFactory()));
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void NetworkCallsMustBeMadeOnTheReactorThread(NetSetup backend)
    {
        using var reactor = Create(backend);
        Exception? listen = null, connect = null;
        var thread = new Thread(() =>
        {
            listen = Record(() => reactor.ListenTcp(0, new CountingFactory()));
            connect = Record(() => reactor.ConnectTcp("127.0.0.1", 1, Client(new RecordingProtocol())));
        });
        thread.Start();
        thread.Join();
        Assert.IsType<InvalidOperationException>(listen);
        Assert.IsType<InvalidOperationException>(connect);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void ReactorShutdownStopsListening(NetSetup backend)
    {
        using var reactor = Create(backend);
        var factory = new CountingFactory();
        ListenLocal(reactor, factory);
        reactor.CallWhenRunning(reactor.Stop);
        Run(reactor);
        Assert.Equal(0, factory.NumPorts);
        Assert.Equal(1, factory.Stops);
        Assert.Equal(0, OpenHandles(reactor));
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void OneReadinessAcceptsAtMostAHundredConnections(NetSetup backend)
    {
        using var reactor = Create(backend);
        var iterations = new List<long>();
        var port = reactor.ListenTcp(0, Factory.ForProtocol(() => new RecordingProtocol
        {
            OnMade = _ =>
            {
                iterations.Add(reactor.Iterations);
                if (iterations.Count == 150) reactor.Stop();
            },
        }), backlog: 200, interfaceAddress: "127.0.0.1");
        // 150 connections complete their handshakes in the kernel and wait in the accept queue before the loop runs.
        var clients = new List<Socket>();
        try
        {
            for (int i = 0; i < 150; i++)
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                clients.Add(s);
                s.Connect(port.Host);
            }
            Run(reactor);
        }
        finally
        {
            foreach (var s in clients) s.Dispose();
        }
        var batches = iterations.GroupBy(i => i).Select(g => g.Count()).ToList();
        Assert.Equal(150, iterations.Count);
        Assert.Equal(StreamPortLimit, batches[0]);
        Assert.All(batches, n => Assert.InRange(n, 1, StreamPortLimit));
    }

    private const int StreamPortLimit = Twine.Net.Sockets.StreamPort.AcceptsPerReadiness;

    private static Exception? Record(Action action)
    {
        try
        {
            action();
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    private sealed class CountingFactory : Factory
    {
        public CountingFactory() : base(() => new RecordingProtocol()) => Noisy = false;

        public int Starts { get; private set; }
        public int Stops { get; private set; }

        protected override void StartFactory() => Starts++;
        protected override void StopFactory() => Stops++;
    }
}
