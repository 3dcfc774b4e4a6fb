using System.Net;
using Twine.Interop.Tests.Amp;
using Twine.Interop.Tests.Peers;
using Twine.Net;
using Twine.Protocols.Amp;
using Twine.Testing;
using Twine.Time;
using static AmpSquare.SquareService;

namespace Twine.Interop.Tests.Samples;

/// <summary>
/// The AmpSquare sample: the slow-square AMP server with the Twine client (in one reactor and as the README runs it),
/// with its Twisted client script, and on a manual clock, where the out-of-order answers are checked exactly.
/// </summary>
public sealed class AmpSquareTests
{
    private static readonly TimeSpan Unit = TimeSpan.FromMilliseconds(50);

    // On manual time the order is exact: SlowSquare(x) answers after x units, whatever order the calls were made in.
    [Fact]
    public void AnswersArriveInOrderOfCompletion_NotOfAsking_OnAManualClock()
    {
        var clock = new Clock();
        var pair = LoopbackPump.Connect(new AmpProtocol(Responders(clock, TimeSpan.FromSeconds(1))), new AmpProtocol(), clock: clock);
        var answered = new List<(long X, long Y)>();
        foreach (var x in new long[] { 3, 1, 4, 2 })
            pair.Client.CallRemote(SlowSquare, new SquareArgs(x)).AddCallback(r => answered.Add((x, r.Y)));
        var refused = pair.Client.CallRemote(SlowSquare, new SquareArgs(-5));
        pair.Flush();
        Assert.Equal("cannot wait -5 units of time", Assert.IsType<ArgumentOutOfRangeException>(refused.Result.Failure!.Value).Message);

        for (var second = 1; second <= 4; second++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            pair.Flush();
            Assert.Equal(second, answered.Count);
        }
        Assert.Equal([(1L, 1L), (2, 4), (3, 9), (4, 16)], answered);
    }

    [Fact]
    public void TwineClient_OverLoopback_GetsEverySquare()
    {
        var output = new StringWriter { NewLine = "\n" };
        IReadOnlyList<long> answered = [];
        AmpInterop.Run(async reactor =>
        {
            var port = await AmpSquare.Program.Listen(reactor, "tcp:0:interface=127.0.0.1", Unit);
            answered = await AmpSquare.Program.AskConcurrently(reactor, $"tcp:host=127.0.0.1:port={PortOf(port)}", [3, 1, 2, -1], output);
            await port.StopListening();
        });
        Assert.Equal([-1L, 1, 2, 3], answered.Order());
        var lines = output.ToString().Split('\n');
        SquareSampleRuns.AssertAnswered(lines, refused: -1);
    }

    [Fact]
    public void TwistedClientScript_CallsTheTwineServer()
    {
        var lines = SquareSampleRuns.RunClientScript(reactor => AmpSquare.Program.Listen(reactor, "tcp:0:interface=127.0.0.1", Unit),
            "square_client.py", port => [port.ToString(System.Globalization.CultureInfo.InvariantCulture), "3", "1", "2", "-5"]);
        SquareSampleRuns.AssertAnswered(lines, refused: -5);
        Assert.Contains(lines, l => l.StartsWith("answered in the order ", StringComparison.Ordinal));
    }

    [Fact]
    public void Demo_AsTheReadmeRunsIt() => SquareSampleRuns.RunDemo("AmpSquare.dll");

    private static int PortOf(IListeningPort port) => ((IPEndPoint)port.Host).Port;
}
