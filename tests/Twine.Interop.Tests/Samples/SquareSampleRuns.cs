using Twine.Interop.Tests.Amp;
using Twine.Interop.Tests.Peers;
using Twine.Net;

namespace Twine.Interop.Tests.Samples;

/// <summary>
/// What the tests of the two slow-square samples (AmpSquare, WsSquare) share: a Python client script run against the
/// sample's server, and the sample's demo run as the README runs it. Both print the same lines.
/// </summary>
internal static class SquareSampleRuns
{
    /// <summary>Checks the lines a client prints after asking for 3, 1, 2 and the negative <paramref name="refused"/>.</summary>
    public static void AssertAnswered(IReadOnlyList<string> lines, int refused)
    {
        Assert.Contains("SlowSquare(3) = 9", lines);
        Assert.Contains("SlowSquare(1) = 1", lines);
        Assert.Contains("SlowSquare(2) = 4", lines);
        Assert.Contains($"SlowSquare({refused}) refused: cannot wait {refused} units of time", lines);
    }

    /// <summary>
    /// Starts the sample's server with <paramref name="listen"/>, runs <paramref name="script"/> (next to the test
    /// assembly) with the arguments <paramref name="scriptArgs"/> makes from the port, and returns its output lines.
    /// </summary>
    public static IReadOnlyList<string> RunClientScript(Func<Twine.Reactors.Reactor, Twine.Defer.Deferred<IListeningPort>> listen, string script, Func<int, string[]> scriptArgs)
    {
        ChildProcess? client = null;
        try
        {
            AmpInterop.Run(async reactor =>
            {
                var port = await listen(reactor);
                TwistedPeer.RequireTwisted();
                client = new ChildProcess(TwistedPeer.Python,
                    ["-u", Path.Combine(AppContext.BaseDirectory, script), .. scriptArgs(((System.Net.IPEndPoint)port.Host).Port)],
                    environment: new Dictionary<string, string?> { ["PYTHONNOUSERSITE"] = "1", ["PYTHONPATH"] = null });
                var exited = new Twine.Defer.Deferred<Twine.Unit>();
                client.OnExit(() => reactor.CallFromThread(() => exited.Callback(Twine.Unit.Value)));
                await exited;
                await port.StopListening();
            }, () => client?.Report() ?? "");
            client!.WaitForExit();
            Assert.True(client.ExitCode == 0, $"{script} exited with {client.ExitCode}{client.Report()}");
            return client.Lines;
        }
        finally
        {
            client?.Dispose();
        }
    }

    /// <summary>Runs the sample's demo (its default command) with a short unit and checks the squares of 3, 1, 4, 2 come back.</summary>
    public static void RunDemo(string dll)
    {
        var host = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
        using var demo = new ChildProcess(host, [Path.Combine(AppContext.BaseDirectory, dll), "--unit", "0.05"]);
        demo.WaitForExit();
        Assert.True(demo.ExitCode == 0, $"{dll} exited with {demo.ExitCode}{demo.Report()}");
        Assert.Equal("asking for the squares of 3, 1, 4, 2, all at once", demo.Lines[0]);
        Assert.Equal(["SlowSquare(1) = 1", "SlowSquare(2) = 4", "SlowSquare(3) = 9", "SlowSquare(4) = 16"], demo.Lines.Skip(1).Take(4).Order());
        Assert.StartsWith("answered in the order ", demo.Lines[5], StringComparison.Ordinal);
    }
}
