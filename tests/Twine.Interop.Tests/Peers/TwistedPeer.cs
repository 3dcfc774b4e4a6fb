using System.Diagnostics;
using System.Globalization;

namespace Twine.Interop.Tests.Peers;

/// <summary>
/// Starts the Twisted peers (scripts in peers/, run by Debian's /usr/bin/python3 with python3-twisted). The peers
/// exit by themselves when their stdin closes, so an abandoned one never outlives its test run.
/// </summary>
internal static class TwistedPeer
{
    /// <summary>Debian's interpreter: the one python3-twisted installs into (a pyenv python3 on PATH has no Twisted).</summary>
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<string?> TwistedProblem = new(FindTwistedProblem);

    public static string PeersDirectory => Path.Combine(AppContext.BaseDirectory, "peers");

    /// <summary>
    /// Starts twisted_server.py for <paramref name="kind"/> and waits for its "PORT n" line; fails the test (with the
    /// peer's stderr) if it does not come.
    /// </summary>
    public static (ChildProcess Peer, int Port) StartServer(string kind)
    {
        var peer = Start("twisted_server.py", [kind], cleanup: null);
        try
        {
            var line = peer.WaitForLine(l => l.StartsWith("PORT ", StringComparison.Ordinal), "its PORT line");
            return (peer, int.Parse(line.AsSpan(5), CultureInfo.InvariantCulture));
        }
        catch
        {
            peer.Dispose();
            throw;
        }
    }

    /// <summary>Starts twisted_client.py for <paramref name="kind"/> against 127.0.0.1:<paramref name="port"/> running <paramref name="script"/>.</summary>
    public static ChildProcess StartClient(string kind, int port, PeerScript script)
    {
        var file = Path.Combine(Path.GetTempPath(), $"twine-interop-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, script.ToJson());
        return Start("twisted_client.py", [kind, port.ToString(CultureInfo.InvariantCulture), file], cleanup: () => File.Delete(file));
    }

    /// <summary>Fails the test, saying how to fix it, when Debian's python3 with Twisted is not there. Never skips.</summary>
    public static void RequireTwisted()
    {
        if (TwistedProblem.Value is { } problem)
            Assert.Fail($"The interop tests need Debian's python3-twisted at {Python}: {problem}. " +
                        "Install it with `apt-get install python3-twisted` (bash .ci/run does this).");
    }

    private static ChildProcess Start(string script, string[] args, Action? cleanup)
    {
        RequireTwisted();
        // -u: unbuffered, so each event line reaches the test as it happens. The peers import framing.py from their
        // own directory; the user's site packages and PYTHONPATH stay out of the way.
        return new ChildProcess(Python, ["-u", Path.Combine(PeersDirectory, script), .. args], PeersDirectory,
            new Dictionary<string, string?> { ["PYTHONNOUSERSITE"] = "1", ["PYTHONPATH"] = null }, cleanup);
    }

    private static string? FindTwistedProblem()
    {
        if (!File.Exists(Python)) return $"{Python} does not exist";
        try
        {
            var check = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            check.ArgumentList.Add("-c");
            check.ArgumentList.Add("import twisted, twisted.protocols.basic; print(twisted.__version__)");
            using var process = Process.Start(check)!;
            var stderr = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(ChildProcess.Patience)) return "checking for Twisted timed out";
            return process.ExitCode == 0 ? null : $"`import twisted` failed: {stderr.Result.Trim()}";
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or IOException)
        {
            return ex.Message;
        }
    }
}
