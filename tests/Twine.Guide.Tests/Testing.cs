using System.Text;
using Twine.Net;
using Twine.Protocols;
using Twine.Testing;
using Twine.Time;

namespace Twine.Guide.Tests;

// docs/guide/testing.md: protocols on manual time and in-memory transports.

/// <summary>Says hello, echoes lines in upper case, and hangs up on a client silent for 30 seconds.</summary>
public sealed class ShoutProtocol : LineReceiver
{
    public static readonly TimeSpan IdleLimit = TimeSpan.FromSeconds(30);

    private readonly IReactorTime _time;
    private IDelayedCall? _idle;

    // The protocol asks for the time role, not a whole reactor: tests hand it a Clock.
    public ShoutProtocol(IReactorTime time) => _time = time;

    public override void ConnectionMade()
    {
        SendLine("hello");
        _idle = _time.CallLater(IdleLimit, () => Transport.LoseConnection());
    }

    protected override void LineReceived(ReadOnlySpan<byte> line)
    {
        _idle?.Reset(IdleLimit);
        SendLine(Encoding.UTF8.GetString(line).ToUpperInvariant());
    }

    public override void ConnectionLost(Failure reason)
    {
        if (_idle is { IsActive: true }) _idle.Cancel();
    }
}

/// <summary>Collects the lines it receives.</summary>
public sealed class LineCollector : LineReceiver
{
    public List<string> Lines { get; } = new();

    public Failure? LostBecause { get; private set; }

    protected override void LineReceived(ReadOnlySpan<byte> line) => Lines.Add(Encoding.UTF8.GetString(line));

    public override void ConnectionLost(Failure reason) => LostBecause = reason;
}

public sealed class Testing
{
    [Fact]
    public void ShoutsBackEachLine()
    {
        var clock = new Clock();
        var transport = new MemoryTransport();
        var protocol = new ShoutProtocol(clock);
        protocol.MakeConnection(transport);
        protocol.DataReceived("hi there\r\n"u8);
        Assert.Equal("hello\r\nHI THERE\r\n", transport.ValueAsString());
    }

    [Fact]
    public void HangsUpOnASilentClient()
    {
        var clock = new Clock();
        var transport = new MemoryTransport();
        new ShoutProtocol(clock).MakeConnection(transport);

        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.False(transport.Disconnecting);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(transport.Disconnecting);
    }

    [Fact]
    public void EachLineRestartsTheIdleTimer()
    {
        var clock = new Clock();
        var transport = new MemoryTransport();
        var protocol = new ShoutProtocol(clock);
        protocol.MakeConnection(transport);

        clock.Advance(TimeSpan.FromSeconds(20));
        protocol.DataReceived("still here\r\n"u8);
        clock.Advance(TimeSpan.FromSeconds(20));
        Assert.False(transport.Disconnecting);
    }

    [Fact]
    public void AWholeConversationInMemory()
    {
        var clock = new Clock();
        var pair = LoopbackPump.Connect(new ShoutProtocol(clock), new LineCollector());
        pair.Client.SendLine("quiet please");
        pair.Flush();
        Assert.Equal(["hello", "QUIET PLEASE"], pair.Client.Lines);

        clock.Advance(ShoutProtocol.IdleLimit);
        pair.Flush();
        Assert.IsType<ConnectionDoneException>(pair.Client.LostBecause?.Value);
    }
}
