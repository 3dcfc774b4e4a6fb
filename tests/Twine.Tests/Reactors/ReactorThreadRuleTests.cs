using System.Net;
using Twine.Net;
using Twine.Reactors;
using Twine.Tests.Net.Tcp;
using static Twine.Tests.Net.Tcp.NetTesting;

namespace Twine.Tests.Reactors;

/// <summary>
/// The thread rule (TH7, in docs/behaviours.md): calls that touch reactor state fail fast from other threads, with a message that names the
/// rule, both threads and <c>CallFromThread</c>; setup before <c>Run</c> on the creating thread is allowed.
/// </summary>
public sealed class ReactorThreadRuleTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("twine-rule-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Runs <paramref name="action"/> on a new thread and returns what it threw (the caller waits for it: no sleeping).</summary>
    internal static Exception? OnOtherThread(Action action)
    {
        Exception? thrown = null;
        var thread = new Thread(() =>
        {
            try
            {
                action();
            }
            catch (Exception ex)
            {
                thrown = ex;
            }
        });
        thread.Start();
        thread.Join();
        return thrown;
    }

    internal static void AssertRuleBroken(Exception? thrown, string member)
    {
        var e = Assert.IsType<InvalidOperationException>(thrown);
        Assert.StartsWith($"Twine: {member} was called from thread ", e.Message);
        Assert.Contains($"reactor thread {Environment.CurrentManagedThreadId}", e.Message);
        Assert.Contains("reactor.CallFromThread(", e.Message);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void ReactorCallsFromAnotherThreadFailFastAndTheReactorKeepsRunning(NetSetup backend)
    {
        using var reactor = Create(backend);
        var results = new Dictionary<string, Exception?>();
        reactor.CallWhenRunning(() =>
        {
            results["ListenTcp"] = OnOtherThread(() => reactor.ListenTcp(0, Factory.ForProtocol(() => new RecordingProtocol()), interfaceAddress: "127.0.0.1"));
            results["ConnectTcp"] = OnOtherThread(() => reactor.ConnectTcp("127.0.0.1", 9, Client(new RecordingProtocol())));
            results["ListenUnix"] = OnOtherThread(() => reactor.ListenUnix(Path.Combine(_directory, "s"), Factory.ForProtocol(() => new RecordingProtocol())));
            results["ConnectUnix"] = OnOtherThread(() => reactor.ConnectUnix(Path.Combine(_directory, "s"), Client(new RecordingProtocol())));
            results["ListenUdp"] = OnOtherThread(() => reactor.ListenUdp(0, new SilentDatagrams(), interfaceAddress: "127.0.0.1"));
            results["CallLater"] = OnOtherThread(() => reactor.CallLater(TimeSpan.Zero, () => { }));
            results["CallLater<T>"] = OnOtherThread(() => reactor.CallLater(TimeSpan.Zero, static _ => { }, 1));
            // The reactor is unharmed: a timer scheduled the right way still fires.
            reactor.CallLater(TimeSpan.Zero, reactor.Stop);
        });
        Run(reactor);

        foreach (var member in new[] { "ListenTcp", "ConnectTcp", "ListenUnix", "ConnectUnix", "ListenUdp" })
            AssertRuleBroken(results[member], member);
        AssertRuleBroken(results["CallLater"], "CallLater");
        AssertRuleBroken(results["CallLater<T>"], "CallLater");
        Assert.Empty(Directory.GetFileSystemEntries(_directory));   // nothing was bound
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void TransportCallsFromAnotherThreadFailFastAndTheConnectionStaysUsable(NetSetup backend)
    {
        using var reactor = Create(backend);
        var results = new Dictionary<string, Exception?>();
        var server = new RecordingProtocol();
        var (port, number) = ListenLocal(reactor, Factory.ForProtocol(() => server));
        var client = new RecordingProtocol
        {
            OnMade = p =>
            {
                var t = p.Transport;
                results["Write"] = OnOtherThread(() => t.Write("x"u8));
                results["WriteSequence"] = OnOtherThread(() => t.WriteSequence([new byte[] { 1 }]));
                results["LoseConnection"] = OnOtherThread(t.LoseConnection);
                results["LoseWriteConnection"] = OnOtherThread(t.LoseWriteConnection);
                results["AbortConnection"] = OnOtherThread(t.AbortConnection);
                results["PauseProducing"] = OnOtherThread(t.PauseProducing);
                results["ResumeProducing"] = OnOtherThread(t.ResumeProducing);
                results["RegisterProducer"] = OnOtherThread(() => t.RegisterProducer(new IdleProducer(), streaming: true));
                results["UnregisterProducer"] = OnOtherThread(t.UnregisterProducer);
                results["StopListening"] = OnOtherThread(() => port.StopListening());
                // Still connected and writable from the right thread.
                t.Write("hello"u8);
            },
        };
        server.OnData = (_, _) =>
        {
            if (server.ReceivedCount == 5) reactor.Stop();
        };
        reactor.ConnectTcp("127.0.0.1", number, Client(client));
        Run(reactor);

        foreach (var (member, thrown) in results) AssertRuleBroken(thrown, member);
        Assert.Equal(10, results.Count);
        Assert.Equal("hello"u8.ToArray(), server.Received);
        Assert.Null(client.LostReason is { } lost && lost.Value is not ConnectionLostException ? lost : null);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void ConnectorCallsFromAnotherThreadFailFastAndTheConnectorStaysUsable(NetSetup backend)
    {
        using var reactor = Create(backend);
        var results = new Dictionary<string, Exception?>();
        var factory = Client(new RecordingProtocol());
        factory.OnFailed = (_, _) => reactor.Stop();
        ConnectorState stateAfter = default;
        reactor.CallWhenRunning(() =>
        {
            // Nothing listens on port 9, but the refusal comes on a later turn: the connector is still connecting here.
            var connector = (Connector)reactor.ConnectTcp("127.0.0.1", 9, factory);
            results["StopConnecting"] = OnOtherThread(connector.StopConnecting);
            results["Disconnect"] = OnOtherThread(connector.Disconnect);
            results["Connect"] = OnOtherThread(connector.Connect);
            stateAfter = connector.State;
            // The connector is unharmed: stopping it the right way works, and the factory hears of it.
            connector.StopConnecting();
        });
        Run(reactor);

        foreach (var (member, thrown) in results) AssertRuleBroken(thrown, member);
        Assert.Equal(ConnectorState.Connecting, stateAfter);
        Assert.NotNull(factory.Failed!.Check(typeof(StoppedConnectingException)));
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void UdpCallsFromAnotherThreadFailFast(NetSetup backend)
    {
        using var reactor = Create(backend);
        var protocol = new SilentDatagrams();
        var port = reactor.ListenUdp(0, protocol, interfaceAddress: "127.0.0.1");
        var transport = protocol.Transport!;
        Exception? write = null, connect = null, lose = null;
        reactor.CallWhenRunning(() =>
        {
            write = OnOtherThread(() => transport.Write("x"u8, port.Host));
            connect = OnOtherThread(() => transport.Connect(port.Host));
            lose = OnOtherThread(transport.LoseConnection);
            reactor.Stop();
        });
        Run(reactor);

        AssertRuleBroken(write, "Write");
        AssertRuleBroken(connect, "Connect");
        AssertRuleBroken(lose, "LoseConnection");
    }

    [Fact]
    public void SetupBeforeRunIsAllowedOnTheCreatingThreadOnlyAndRunMovesTheReactorToItsThread()
    {
        using var reactor = ReactorTesting.Create(ReactorBackend.Epoll);
        int creator = Environment.CurrentManagedThreadId;
        // Before Run: the creating thread may set up; any other thread may not.
        var early = reactor.CallLater(TimeSpan.FromHours(1), () => { });
        var fromElsewhere = OnOtherThread(() => reactor.CallLater(TimeSpan.Zero, () => { }));
        var e = Assert.IsType<InvalidOperationException>(fromElsewhere);
        Assert.Contains($"reactor thread {creator}", e.Message);

        // Run on another thread: that thread now owns the reactor, and the creating thread is "another thread".
        using var running = new ManualResetEventSlim();
        using var mayStop = new ManualResetEventSlim();
        int runner = -1;
        var loop = new Thread(() =>
        {
            runner = Environment.CurrentManagedThreadId;
            reactor.CallWhenRunning(running.Set);
            reactor.Run();
        });
        loop.Start();
        Assert.True(running.Wait(TimeSpan.FromSeconds(10)), "the reactor did not start");
        var late = Record.Exception(() => reactor.CallLater(TimeSpan.Zero, () => { }));
        var rule = Assert.IsType<InvalidOperationException>(late);
        Assert.Contains($"reactor thread {runner}", rule.Message);
        // CallFromThread is the way in, and it works.
        int answeredOn = -1;
        reactor.CallFromThread(() => reactor.CallLater(TimeSpan.Zero, () =>
        {
            answeredOn = Environment.CurrentManagedThreadId;
            reactor.Stop();
        }));
        Assert.True(loop.Join(TimeSpan.FromSeconds(10)), "the reactor did not stop");
        Assert.Equal(runner, answeredOn);
        early.Cancel();
    }

    /// <summary>A datagram protocol that ignores what it receives.</summary>
    private sealed class SilentDatagrams : DatagramProtocol
    {
        public SilentDatagrams() => Noisy = false;

        public override void DatagramReceived(ReadOnlySpan<byte> data, EndPoint address) { }
    }

    /// <summary>A push producer that never produces: only its registration matters here.</summary>
    internal sealed class IdleProducer : IPushProducer
    {
        public void PauseProducing() { }
        public void ResumeProducing() { }
        public void StopProducing() { }
    }
}
