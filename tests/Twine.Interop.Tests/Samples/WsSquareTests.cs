using System.Net;
using Twine.Interop.Tests.Amp;
using Twine.Interop.Tests.Peers;
using Twine.Net;
using Twine.Testing;
using Twine.Time;
using Twine.Web.WebSockets;
using WsSquare;

namespace Twine.Interop.Tests.Samples;

/// <summary>
/// The WsSquare sample: its Site (page and WebSocket service on one port) with its Twine client on a manual clock, where
/// the out-of-order answers are checked exactly; over loopback; with Autobahn's client; and as the README runs it.
/// </summary>
public sealed class WsSquareTests
{
    private static readonly TimeSpan Unit = TimeSpan.FromMilliseconds(50);

    // On manual time the order is exact: x² comes after x units, whatever order the requests were sent in.
    [Fact]
    public void AnswersArriveInOrderOfCompletion_NotOfAsking_OnAManualClock()
    {
        var clock = new Clock();
        var site = WsSquare.Program.BuildSite(clock, TimeSpan.FromSeconds(1));
        var factory = new WebSocketClientFactory(clock, "ws://127.0.0.1:9001/square", () => new SquareClient()) { Subprotocols = [SquareClient.Name] };
        var client = (SquareClient)factory.BuildProtocol(new IPEndPoint(IPAddress.Loopback, 9001))!;
        var pair = LoopbackPump.Connect(site.BuildProtocol(new IPEndPoint(IPAddress.Loopback, 0))!, client, clock: clock);
        Assert.Equal(WebSocketState.Open, client.State);
        Assert.Equal(SquareClient.Name, client.Subprotocol);

        var answered = new List<(long X, long Y)>();
        foreach (var x in new long[] { 3, 1, 4, 2 })
            client.Ask(x).AddCallback(y => answered.Add((x, y)));
        var refused = client.Ask(-5);
        pair.Flush();
        Assert.Equal("cannot wait -5 units of time", Assert.IsType<ArgumentOutOfRangeException>(refused.Result.Failure!.Value).Message);
        Assert.Empty(answered);

        for (var second = 1; second <= 4; second++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            pair.Flush();
            Assert.Equal(second, answered.Count);
        }
        Assert.Equal([(1L, 1L), (2, 4), (3, 9), (4, 16)], answered);

        client.SendClose();
        pair.Flush();
        Assert.Equal(WebSocketState.Closed, client.State);
    }

    [Fact]
    public void AClientWithoutTheSubprotocolIsDenied()
    {
        var clock = new Clock();
        var factory = new WebSocketClientFactory(clock, "ws://127.0.0.1:9001/square", () => new SquareClient());
        var client = (SquareClient)factory.BuildProtocol(new IPEndPoint(IPAddress.Loopback, 9001))!;
        var pair = LoopbackPump.Connect(WsSquare.Program.BuildSite(clock, Unit).BuildProtocol(new IPEndPoint(IPAddress.Loopback, 0))!, client, clock: clock);
        pair.Flush();
        Assert.Equal(WebSocketState.Closed, client.State);
        Assert.Null(client.Subprotocol);
    }

    [Fact]
    public void TwineClient_OverLoopback_GetsEverySquare_SmallestFirst()
    {
        var output = new StringWriter { NewLine = "\n" };
        IReadOnlyList<long> answered = [];
        AmpInterop.Run(async reactor =>
        {
            var port = await WsSquare.Program.Listen(reactor, "tcp:0:interface=127.0.0.1", Unit);
            answered = await WsSquare.Program.AskConcurrently(reactor, $"ws://127.0.0.1:{PortOf(port)}/square", [3, 1, 2, -1], output);
            await port.StopListening();
        });
        // The exact order is checked on the manual clock; real time on a loaded machine only promises every answer.
        Assert.Equal([-1L, 1, 2, 3], answered.Order());
        var lines = output.ToString().Split('\n');
        SquareSampleRuns.AssertAnswered(lines, refused: -1);
        Assert.Contains(lines, l => l.StartsWith("answered in the order ", StringComparison.Ordinal));
    }

    [Fact]
    public void AutobahnClientScript_CallsTheTwineServer()
    {
        var lines = SquareSampleRuns.RunClientScript(reactor => WsSquare.Program.Listen(reactor, "tcp:0:interface=127.0.0.1", Unit),
            "square_ws_client.py", port => [$"ws://127.0.0.1:{port}/square", "3", "1", "2", "-5"]);
        Assert.Equal("asking for the squares of 3, 1, 2, -5 all at once", lines[0]);
        SquareSampleRuns.AssertAnswered(lines, refused: -5);
        Assert.Contains(lines, l => l.StartsWith("answered in the order ", StringComparison.Ordinal));
    }

    [Fact]
    public void Demo_AsTheReadmeRunsIt() => SquareSampleRuns.RunDemo("WsSquare.dll");

    [Fact]
    public void ABadCommandLineExitsWith2()
    {
        var host = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
        using var run = new ChildProcess(host, [Path.Combine(AppContext.BaseDirectory, "WsSquare.dll"), "serve", "everything"]);
        run.WaitForExit();
        Assert.Equal(2, run.ExitCode);
    }

    private static int PortOf(IListeningPort port) => ((IPEndPoint)port.Host).Port;
}
