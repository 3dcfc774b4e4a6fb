using Twine.Net;
using Twine.Net.Tls;
using Twine.Tests.Net.Tcp;
using static Twine.Tests.Net.Tcp.NetTesting;
using static Twine.Tests.Reactors.ReactorThreadRuleTests;

namespace Twine.Tests.Net.Tls;

/// <summary>
/// The thread rule (TH7) on TLS transports: every call that touches the layer's state fails fast from another thread,
/// before it changes anything, and the connection goes on working from the reactor thread.
/// </summary>
public sealed class TlsThreadRuleTests
{
    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void TH7_TlsTransportCallsFromAnotherThreadFailFastAndTheConnectionStaysUsable(NetSetup backend)
    {
        using var reactor = Create(backend);
        var results = new Dictionary<string, Exception?>();
        var server = new RecordingProtocol();
        var (_, number) = ListenLocal(reactor, TlsFactory.ForServer(TlsProtocolTests.ServerOptions(), Factory.ForProtocol(() => server)));
        var client = new RecordingProtocol
        {
            OnMade = p =>
            {
                var t = p.Transport;
                Assert.IsAssignableFrom<ITlsTransport>(t);
                results["Write"] = OnOtherThread(() => t.Write("x"u8));
                results["WriteSequence"] = OnOtherThread(() => t.WriteSequence([new byte[] { 1 }]));
                results["LoseConnection"] = OnOtherThread(t.LoseConnection);
                results["LoseWriteConnection"] = OnOtherThread(t.LoseWriteConnection);
                results["AbortConnection"] = OnOtherThread(t.AbortConnection);
                results["PauseProducing"] = OnOtherThread(t.PauseProducing);
                results["ResumeProducing"] = OnOtherThread(t.ResumeProducing);
                results["StopProducing"] = OnOtherThread(t.StopProducing);
                results["RegisterProducer"] = OnOtherThread(() => t.RegisterProducer(new IdleProducer(), streaming: true));
                results["UnregisterProducer"] = OnOtherThread(t.UnregisterProducer);
                // Still connected and writable from the right thread: nothing above changed the layer's state.
                t.Write("hello"u8);
            },
        };
        Failure? lostBeforeData = null;
        server.OnData = (_, _) =>
        {
            if (server.ReceivedCount != 5) return;
            lostBeforeData = client.LostReason;
            reactor.Stop();
        };
        reactor.ConnectTcp("127.0.0.1", number, Client(TlsProtocol.ForClient(client, TlsProtocolTests.ClientOptions())));
        Run(reactor);

        Assert.Equal(10, results.Count);
        foreach (var (member, thrown) in results)
        {
            // StopProducing is LoseConnection under another name, and says so.
            AssertRuleBroken(thrown, member == "StopProducing" ? "LoseConnection" : member);
            Assert.Contains("this TLS transport", thrown!.Message);
        }
        Assert.Equal("hello"u8.ToArray(), server.Received);
        Assert.Null(lostBeforeData);   // the refused LoseConnection/AbortConnection did not take effect
    }

    [Theory, MemberData(nameof(NativeBackends), MemberType = typeof(NetTesting))]
    public void TH7_StartTlsFromAnotherThreadFailsFastAndLeavesThePlaintextConnectionAlone(NetSetup backend)
    {
        using var reactor = Create(backend);
        var server = new RecordingProtocol();
        var (_, number) = ListenLocal(reactor, Factory.ForProtocol(() => server));
        Exception? thrown = null;
        var client = new RecordingProtocol
        {
            OnMade = p =>
            {
                thrown = OnOtherThread(() => p.Transport.StartTls(TlsProtocolTests.ClientOptions()));
                Assert.IsNotAssignableFrom<ITlsTransport>(p.Transport);
                p.Transport.Write("plain"u8);
            },
        };
        server.OnData = (_, _) =>
        {
            if (server.ReceivedCount == 5) reactor.Stop();
        };
        reactor.ConnectTcp("127.0.0.1", number, Client(client));
        Run(reactor);

        AssertRuleBroken(thrown, "StartTls");
        Assert.Equal("plain"u8.ToArray(), server.Received);
    }
}
