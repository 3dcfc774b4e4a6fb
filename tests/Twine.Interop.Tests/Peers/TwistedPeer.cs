using System.Diagnostics;
using System.Text;

namespace Twine.Interop.Tests.Peers;

/// <summary>
/// One Twisted peer process (a script from peers/ run by Debian's /usr/bin/python3 with python3-twisted): started by
/// a test, read line by line as it runs, and always ended by <see cref="Dispose"/>.
/// </summary>
/// <remarks>
/// The peers exit by themselves when their stdin closes, so <see cref="Dispose"/> closes stdin first and kills only
/// what is still running after a short grace period. Every wait is bounded and fails the test with the peer's stderr.
/// </remarks>
internal sealed class TwistedPeer : IDisposable
{
    /// <summary>Debian's interpreter: the one python3-twisted installs into (a pyenv python3 on PATH has no Twisted).</summary>
    public const string Python = "/usr/bin/python3";

    /// <summary>How long a peer may take to start or to answer before the test fails. A guard, not a timing assertion.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static readonly Lazy<string?> TwistedProblem = new(FindTwistedProblem);

    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly StringBuilder _stderr = new();
    private readonly string _description;
    private readonly string? _tempFile;
    private bool _disposed;

    private TwistedPeer(string script, IReadOnlyList<string> args, string? tempFile)
    {
        _description = $"{script} {string.Join(' ', args)}";
        _tempFile = tempFile;
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = PeersDirectory,
        };
        start.ArgumentList.Add("-u");
        start.ArgumentList.Add(Path.Combine(PeersDirectory, script));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        // The peers import framing.py from their own directory; keep the user's site packages out of the way.
        start.Environment["PYTHONNOUSERSITE"] = "1";
        start.Environment.Remove("PYTHONPATH");
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_lines)
            {
                _lines.Add(e.Data);
                Monitor.PulseAll(_lines);
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_stderr) _stderr.AppendLine(e.Data);
        };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static string PeersDirectory => Path.Combine(AppContext.BaseDirectory, "peers");

    /// <summary>Everything the peer printed on stdout so far.</summary>
    public IReadOnlyList<string> Lines
    {
        get { lock (_lines) return [.. _lines]; }
    }

    /// <summary>What the peer printed on stderr so far (Python tracebacks end up here).</summary>
    public string Stderr
    {
        get { lock (_stderr) return _stderr.ToString(); }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts twisted_server.py for <paramref name="kind"/> and waits for its "PORT n" line; fails the test (with
    /// the peer's stderr) if it does not come within <see cref="Patience"/>.
    /// </summary>
    public static (TwistedPeer Peer, int Port) StartServer(string kind)
    {
        RequireTwisted();
        var peer = new TwistedPeer("twisted_server.py", [kind], tempFile: null);
        try
        {
            var line = peer.WaitForLine(l => l.StartsWith("PORT ", StringComparison.Ordinal), "its PORT line");
            return (peer, int.Parse(line.AsSpan(5), System.Globalization.CultureInfo.InvariantCulture));
        }
        catch
        {
            peer.Dispose();
            throw;
        }
    }

    /// <summary>Starts twisted_client.py for <paramref name="kind"/> against 127.0.0.1:<paramref name="port"/> running <paramref name="script"/>.</summary>
    public static TwistedPeer StartClient(string kind, int port, PeerScript script)
    {
        RequireTwisted();
        var file = Path.Combine(Path.GetTempPath(), $"twine-interop-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, script.ToJson());
        return new TwistedPeer("twisted_client.py", [kind, port.ToString(System.Globalization.CultureInfo.InvariantCulture), file], file);
    }

    /// <summary>Calls <paramref name="action"/> on a thread-pool thread once the process has exited.</summary>
    public void OnExit(Action action)
    {
        int called = 0;
        void Once()
        {
            if (Interlocked.Exchange(ref called, 1) == 0) action();
        }
        _process.Exited += (_, _) => Once();
        if (_process.HasExited) Once();
    }

    /// <summary>Waits for the first stdout line matching <paramref name="match"/>, failing the test after <see cref="Patience"/>.</summary>
    public string WaitForLine(Func<string, bool> match, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        lock (_lines)
        {
            while (true)
            {
                foreach (var line in _lines)
                    if (match(line)) return line;
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || (_process.HasExited && !Monitor.Wait(_lines, TimeSpan.FromMilliseconds(200))))
                    Assert.Fail($"The Twisted peer ({_description}) did not print {what} within {Patience.TotalSeconds} s{Report()}");
                else Monitor.Wait(_lines, left);
            }
        }
    }

    /// <summary>Waits for the process to end and for all its output to be read; fails the test after <see cref="Patience"/>.</summary>
    public void WaitForExit()
    {
        if (!_process.WaitForExit(Patience))
            Assert.Fail($"The Twisted peer ({_description}) did not exit within {Patience.TotalSeconds} s{Report()}");
        _process.WaitForExit();   // drains the asynchronous stdout/stderr readers
    }

    public int ExitCode => _process.ExitCode;

    /// <summary>The peer's stdout and stderr, for failure messages.</summary>
    public string Report() =>
        $".\n--- stdout ---\n{string.Join('\n', Lines.Select(l => l.Length > 300 ? l[..300] + "…" : l))}\n--- stderr ---\n{Stderr}";

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            if (!_process.HasExited)
            {
                try { _process.StandardInput.Close(); } catch (IOException) { }
                if (!_process.WaitForExit(TimeSpan.FromSeconds(2))) _process.Kill(entireProcessTree: true);
            }
            _process.WaitForExit(TimeSpan.FromSeconds(5));
        }
        catch (InvalidOperationException)
        {
            // The process never started or is already gone.
        }
        finally
        {
            _process.Dispose();
            if (_tempFile is not null) File.Delete(_tempFile);
        }
    }

    /// <summary>Fails the test, saying how to fix it, when Debian's python3 with Twisted is not there. Never skips.</summary>
    public static void RequireTwisted()
    {
        if (TwistedProblem.Value is { } problem)
            Assert.Fail($"The interop tests need Debian's python3-twisted at {Python}: {problem}. " +
                        "Install it with `apt-get install python3-twisted` (bash .ci/run does this).");
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
            if (!process.WaitForExit(Patience)) return "checking for Twisted timed out";
            return process.ExitCode == 0 ? null : $"`import twisted` failed: {stderr.Result.Trim()}";
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or IOException)
        {
            return ex.Message;
        }
    }
}
