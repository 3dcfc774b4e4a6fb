using System.Net;
using Twine.Defer;
using Twine.Net;
using Twine.Net.Endpoints;
using Twine.Reactors;
using Twine.Tests.Net.Tcp;
using Twine.Tests.Reactors;
using Twine.Time;

namespace Twine.Tests.Net;

/// <summary>
/// HostnameEndpoint on real loopback sockets: a name resolves on the reactor's pool and each address is tried in turn
/// (HE1-HE4). 127.0.0.2 is loopback too, but nothing listens there, so connecting to it is refused at once.
/// </summary>
public sealed class HostnameEndpointTests
{
    private static Outcome<T> RunScenario<T>(Func<Reactor, Deferred<T>> scenario)
    {
        using var reactor = ReactorTesting.Create(ReactorBackend.Epoll);
        Outcome<T>? outcome = null;
        reactor.CallWhenRunning(() => Deferred.MaybeDeferred(() => scenario(reactor)).AddBoth(o =>
        {
            outcome = o;
            reactor.Stop();
        }));
        NetTesting.Run(reactor);
        return outcome!.Value;
    }

    [Fact]
    public void EachResolvedAddressIsTriedInTurnUntilOneConnects_HE1()
    {
        var lookedUp = new List<string>();
        var outcome = RunScenario(async reactor =>
        {
            var (port, number) = NetTesting.ListenLocal(reactor, Factory.ForProtocol(() => new Quiet()));
            try
            {
                var endpoint = new HostnameEndpoint(reactor, "twine.test", number)
                {
                    Lookup = host =>
                    {
                        lock (lookedUp) lookedUp.Add(host);
                        return [IPAddress.Parse("127.0.0.2"), IPAddress.Parse("127.0.0.1")];
                    },
                };
                var protocol = (Quiet)await endpoint.Connect(Factory.ForProtocol(() => new Quiet()));
                var peer = (IPEndPoint)protocol.Transport.Peer;
                protocol.Transport.LoseConnection();
                return peer;
            }
            finally
            {
                await port.StopListening();
            }
        });
        Assert.Null(outcome.Failure);
        Assert.Equal(IPAddress.Parse("127.0.0.1"), outcome.Value.Address);
        Assert.Equal(["twine.test"], lookedUp);
    }

    [Fact]
    public void WhenEveryAddressFailsTheLastErrorIsReported_HE2()
    {
        var outcome = RunScenario(async reactor =>
        {
            // A port that was just free: listen, note it, stop.
            var (port, number) = NetTesting.ListenLocal(reactor, Factory.ForProtocol(() => new Quiet()));
            await port.StopListening();
            return await new HostnameEndpoint(reactor, "twine.test", number)
            {
                Lookup = _ => [IPAddress.Parse("127.0.0.2"), IPAddress.Parse("127.0.0.1")],
            }.Connect(Factory.ForProtocol(() => new Quiet()));
        });
        Assert.IsType<ConnectionRefusedException>(outcome.Failure?.Value);
    }

    [Fact]
    public void AFailedLookupIsADnsLookupError_HE3()
    {
        var outcome = RunScenario(reactor =>
            new HostnameEndpoint(reactor, "twine.test", 80) { Lookup = _ => throw new System.Net.Sockets.SocketException(11001) }
                .Connect(Factory.ForProtocol(() => new Quiet())));
        var error = Assert.IsType<DnsLookupException>(outcome.Failure?.Value);
        Assert.Contains("twine.test", error.Message);
    }

    [Fact]
    public void AnEmptyAnswerIsADnsLookupError_HE3()
    {
        var outcome = RunScenario(reactor =>
            new HostnameEndpoint(reactor, "twine.test", 80) { Lookup = _ => [] }.Connect(Factory.ForProtocol(() => new Quiet())));
        Assert.IsType<DnsLookupException>(outcome.Failure?.Value);
    }

    [Fact]
    public void CancellingWhileResolvingFailsWithConnectingCancelledAndConnectsNothing_HE4()
    {
        int built = 0;
        var outcome = RunScenario(async reactor =>
        {
            var (port, number) = NetTesting.ListenLocal(reactor, Factory.ForProtocol(() =>
            {
                built++;
                return new Quiet();
            }));
            var release = new ManualResetEventSlim();
            var endpoint = new HostnameEndpoint(reactor, "twine.test", number)
            {
                Lookup = _ =>
                {
                    release.Wait(TimeSpan.FromSeconds(30));
                    return [IPAddress.Loopback];
                },
            };
            var connecting = endpoint.Connect(Factory.ForProtocol(() => new Quiet()));
            connecting.Cancel();
            Exception? error = null;
            try
            {
                await connecting;
            }
            catch (Exception e)
            {
                error = e;
            }
            // Let the lookup return; its answer must be ignored. A few turns give a wrongly started connect time to land.
            release.Set();
            for (int i = 0; i < 20; i++) await reactor.Sleep(TimeSpan.Zero);
            await port.StopListening();
            return error;
        });
        Assert.IsType<ConnectingCancelledException>(outcome.Value);
        Assert.Equal(0, built);
    }

    [Fact]
    public void AnAddressLiteralIsNotLookedUp_HE1()
    {
        bool looked = false;
        var outcome = RunScenario(async reactor =>
        {
            var (port, number) = NetTesting.ListenLocal(reactor, Factory.ForProtocol(() => new Quiet()));
            var protocol = (Quiet)await new HostnameEndpoint(reactor, "127.0.0.1", number)
            {
                Lookup = _ =>
                {
                    looked = true;
                    return [];
                },
            }.Connect(Factory.ForProtocol(() => new Quiet()));
            protocol.Transport.LoseConnection();
            await port.StopListening();
            return Unit.Value;
        });
        Assert.Null(outcome.Failure);
        Assert.False(looked);
    }

    private sealed class Quiet : Protocol;
}
