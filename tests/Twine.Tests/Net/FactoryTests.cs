using System.Net;
using Twine.Logging;
using Twine.Net;

namespace Twine.Tests.Net;

public sealed class FactoryTests
{
    private static readonly EndPoint Address = new IPEndPoint(IPAddress.Loopback, 1234);

    private sealed class P : Protocol { }

    private sealed class CountingFactory : Factory
    {
        public int Started, Stopped;
        public CountingFactory() : base(() => new P()) { }
        protected override void StartFactory() => Started++;
        protected override void StopFactory() => Stopped++;
    }

    private sealed class Refusing : Factory
    {
        public override IProtocol? BuildProtocol(EndPoint address) => null;
    }

    [Fact]
    public void PF2_BuildProtocolCreatesAProtocolAndSetsItsFactory()
    {
        var f = Factory.ForProtocol<P>();
        var p = Assert.IsType<P>(f.BuildProtocol(Address));
        Assert.Same(f, p.Factory);
        Assert.NotSame(p, f.BuildProtocol(Address));
    }

    [Fact]
    public void PF2_ForProtocolWithBuilderAndConstructor()
    {
        var built = 0;
        var f = Factory.ForProtocol(() => { built++; return new P(); });
        f.BuildProtocol(Address);
        Assert.Equal(1, built);

        var g = new Factory(() => new P());
        Assert.IsType<P>(g.BuildProtocol(Address));
        Assert.IsType<ClientFactory>(ClientFactory.ForProtocol<P>());
        Assert.IsType<ReconnectingClientFactory>(ReconnectingClientFactory.ForProtocol<P>());
    }

    [Fact]
    public void PF2_BuildProtocolMayRefuseWithNull()
    {
        Assert.Null(new Refusing().BuildProtocol(Address));
    }

    [Fact]
    public void PF2_NoBuilderThrowsAClearError()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new Factory().BuildProtocol(Address));
        Assert.Contains("ProtocolBuilder", e.Message);
    }

    [Fact]
    public void PF2_LogPrefixIsClassName()
    {
        Assert.Equal("CountingFactory", new CountingFactory().LogPrefix);
        Assert.Equal("Factory", new Factory().LogPrefix);
    }

    [Fact]
    public void PF3_StartAndStopRunOnlyOnTheZeroTransitions()
    {
        var f = new CountingFactory { Noisy = false };
        f.DoStop();                       // at zero: nothing
        Assert.Equal(0, f.Stopped);
        f.DoStart();
        f.DoStart();
        Assert.Equal(1, f.Started);
        Assert.Equal(2, f.NumPorts);
        f.DoStop();
        Assert.Equal(0, f.Stopped);
        f.DoStop();
        Assert.Equal(1, f.Stopped);
        Assert.Equal(0, f.NumPorts);
        f.DoStop();
        Assert.Equal(1, f.Stopped);
        Assert.Equal(0, f.NumPorts);
    }

    [Fact]
    public void PF3_NoisyFactoryLogsStartingAndStopping()
    {
        var events = new List<LogEvent>();
        // Other tests may log at the same time: collect under a lock and look only at this factory's messages.
        void Observe(LogEvent e) { lock (events) events.Add(e); }
        List<LogEvent> Mine() { lock (events) return events.Where(e => e.Message.Contains("CountingFactory")).ToList(); }
        Log.Observed += Observe;
        try
        {
            var f = new CountingFactory();
            f.DoStart();
            f.DoStart();
            f.DoStop();
            f.DoStop();
            var mine = Mine();
            Assert.Equal(2, mine.Count);
            Assert.All(mine, e => Assert.Equal(LogLevel.Info, e.Level));
            Assert.StartsWith("Starting factory ", mine[0].Message);
            Assert.StartsWith("Stopping factory ", mine[1].Message);

            lock (events) events.Clear();
            var quiet = new CountingFactory { Noisy = false };
            quiet.DoStart();
            quiet.DoStop();
            Assert.Empty(Mine());
        }
        finally
        {
            Log.Observed -= Observe;
        }
    }
}
