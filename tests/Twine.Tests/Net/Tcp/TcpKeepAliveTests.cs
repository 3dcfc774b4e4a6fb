using Twine.Net;
using Twine.Net.Tcp;
using Twine.Reactors;
using static Twine.Tests.Net.Tcp.NetTesting;

namespace Twine.Tests.Net.Tcp;

/// <summary>TCP keepalive with its timing, so vanished peers are found.</summary>
public sealed class TcpKeepAliveTests
{
    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void SetKeepAliveTurnsItOnWithTheGivenTiming(NetSetup backend)
    {
        using var reactor = Create(backend);
        (int, int, int)? settings = null;
        bool enabled = false;
        Exception? refused = null;
        var (_, number) = ListenLocal(reactor, Factory.ForProtocol(() => new RecordingProtocol()));
        var client = new RecordingProtocol
        {
            OnMade = p =>
            {
                var tcp = (ITcpTransport)p.Transport;
                tcp.SetKeepAlive(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5), 4);
                settings = p.Transport switch
                {
                    TcpConnection native => native.KeepAliveSettings,
                    Twine.Net.Portable.PortableTcpConnection portable => portable.KeepAliveSettings,
                    _ => default,
                };
                enabled = tcp.KeepAlive;
                refused = Record.Exception(() => tcp.SetKeepAlive(TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(1), 1));
                p.Transport.LoseConnection();
            },
            OnLost = (_, _) => reactor.Stop(),
        };
        reactor.ConnectTcp("127.0.0.1", number, Client(client));
        Run(reactor);
        Assert.Equal((30, 5, 4), settings);
        Assert.True(enabled);
        Assert.IsType<ArgumentOutOfRangeException>(refused);
    }
}
