using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Twine.Interop.Tests.Peers;

/// <summary>
/// A process a test starts and always ends: stdout is collected line by line as it runs, stderr kept for failure
/// messages, and <see cref="Dispose"/> closes stdin, then kills whatever is still running after a short grace period.
/// Every wait is bounded by <see cref="Patience"/> and fails the test with the process's output.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    /// <summary>How long a process may take to start or answer before the test fails. A guard, not a timing assertion.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly StringBuilder _stderr = new();
    private readonly string _description;
    private readonly Action? _cleanup;
    private bool _disposed;

    public ChildProcess(string executable, IEnumerable<string> args, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null, Action? cleanup = null)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }
        _description = $"{Path.GetFileName(executable)} {string.Join(' ', start.ArgumentList.Select(a => a.Length > 80 ? a[..80] + "…" : a))}";
        _cleanup = cleanup;
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
            lock (_stderr)
            {
                _stderr.AppendLine(e.Data);
                Monitor.PulseAll(_stderr);
            }
        };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Everything the process printed on stdout so far.</summary>
    public IReadOnlyList<string> Lines
    {
        get { lock (_lines) return [.. _lines]; }
    }

    /// <summary>What the process printed on stderr so far.</summary>
    public string Stderr
    {
        get { lock (_stderr) return _stderr.ToString(); }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The process id (for /proc).</summary>
    public int Pid => _process.Id;

    /// <summary>Waits until stderr contains <paramref name="text"/>; fails the test after <see cref="Patience"/> or if the process exits first.</summary>
    public void WaitForStderr(string text)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            lock (_stderr)
            {
                if (_stderr.ToString().Contains(text, StringComparison.Ordinal)) return;
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero) Assert.Fail($"{_description} did not print \"{text}\" on stderr within {Patience.TotalSeconds} s{Report()}");
                if (!_process.HasExited)
                {
                    // Wake up now and then: an exit does not pulse.
                    Monitor.Wait(_stderr, left < TimeSpan.FromMilliseconds(500) ? left : TimeSpan.FromMilliseconds(500));
                    continue;
                }
            }
            DrainAfterExit();
            lock (_stderr)
            {
                if (_stderr.ToString().Contains(text, StringComparison.Ordinal)) return;
            }
            Assert.Fail($"{_description} exited (code {_process.ExitCode}) without printing \"{text}\"{Report()}");
        }
    }

    public int ExitCode => _process.ExitCode;

    public StreamWriter StandardInput => _process.StandardInput;

    /// <summary>Calls <paramref name="action"/>, once, on a thread-pool thread when the process has exited.</summary>
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
        while (true)
        {
            lock (_lines)
            {
                if (FirstLine(match) is { } found) return found;
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                    Assert.Fail($"{_description} did not print {what} within {Patience.TotalSeconds} s{Report()}");
                if (!_process.HasExited)
                {
                    // Wake up now and then: an exit without output does not pulse.
                    Monitor.Wait(_lines, left < TimeSpan.FromMilliseconds(500) ? left : TimeSpan.FromMilliseconds(500));
                    continue;
                }
            }
            DrainAfterExit();
            lock (_lines)
            {
                if (FirstLine(match) is { } found) return found;
            }
            Assert.Fail($"{_description} exited (code {_process.ExitCode}) without printing {what}{Report()}");
        }
    }

    private string? FirstLine(Func<string, bool> match)
    {
        foreach (var line in _lines)
            if (match(line)) return line;
        return null;
    }

    /// <summary>
    /// The process has exited: waits until the readers have delivered the last of its output (they may still be behind
    /// on a loaded machine), so a check after this sees everything it printed. Called without holding a lock the
    /// readers' handlers take.
    /// </summary>
    private void DrainAfterExit() => _process.WaitForExit();

    /// <summary>Waits for the process to end and for all its output to be read; fails the test after <see cref="Patience"/>.</summary>
    public void WaitForExit()
    {
        if (!_process.WaitForExit(Patience))
            Assert.Fail($"{_description} did not exit within {Patience.TotalSeconds} s{Report()}");
        _process.WaitForExit();   // drains the asynchronous stdout/stderr readers
    }

    /// <summary>Sends a POSIX signal (2 = SIGINT, as Ctrl-C does; 15 = SIGTERM).</summary>
    public void Signal(int signal)
    {
        if (Kill(_process.Id, signal) != 0)
            Assert.Fail($"kill({_process.Id}, {signal}) failed with errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>The process's stdout and stderr, for failure messages.</summary>
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
            // The process is already gone.
        }
        finally
        {
            _process.Dispose();
            _cleanup?.Invoke();
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
