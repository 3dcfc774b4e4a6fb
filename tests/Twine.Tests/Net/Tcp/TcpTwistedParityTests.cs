using Twine.Defer;
using Twine.Net;
using Twine.Reactors;
using static Twine.Tests.Net.Tcp.NetTesting;

namespace Twine.Tests.Net.Tcp;

/// <summary>Places where Twine's TCP transport once differed from Twisted's test_tcp (TCP1, TCP2 in docs/behaviours.md).</summary>
public sealed class TcpTwistedParityTests
{
    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void TCP1_UnregisteringTheProducerInConnectionLostAfterLoseConnectionDoesNotRaise(NetSetup backend)
    {
        using var reactor = Create(backend);
        Exception? raised = null;
        bool lost = false;
        var server = new RecordingProtocol
        {
            OnMade = p =>
            {
                p.Transport.RegisterProducer(new IdleProducer(), streaming: true);
                p.Transport.LoseConnection();
            },
            OnLost = (p, _) =>
            {
                lost = true;
                try
                {
                    p.Transport.UnregisterProducer();
                    p.Transport.UnregisterProducer();   // and again, with nothing registered
                }
                catch (Exception ex)
                {
                    raised = ex;
                }
                reactor.Stop();
            },
        };
        var (_, number) = ListenLocal(reactor, Factory.ForProtocol(() => server));
        reactor.ConnectTcp("127.0.0.1", number, Client(new RecordingProtocol()));
        Run(reactor);
        Assert.True(lost);
        Assert.Null(raised);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void TCP2_StopListeningReturnsAFailedDeferredWhenTheFactoryFailsToStop(NetSetup backend)
    {
        using var reactor = Create(backend);
        var (port, _) = ListenLocal(reactor, new FailingStopFactory());
        var stopped = port.StopListening();
        var error = Assert.IsType<InvalidOperationException>(DeferredFailure(stopped)?.Value);
        Assert.Equal("stopFactory failed", error.Message);
        // The port is closed all the same: stopping again succeeds and does not call the factory again.
        Assert.Null(DeferredFailure(port.StopListening()));
    }

    private static Failure? DeferredFailure(Deferred d)
    {
        Failure? failure = null;
        d.AddErrback(f => { failure = f; });
        return failure;
    }

    private sealed class IdleProducer : IPushProducer
    {
        public void PauseProducing() { }
        public void ResumeProducing() { }
        public void StopProducing() { }
    }

    private sealed class FailingStopFactory : Factory
    {
        public override IProtocol? BuildProtocol(System.Net.EndPoint address) => new RecordingProtocol();

        protected override void StopFactory() => throw new InvalidOperationException("stopFactory failed");
    }
}
