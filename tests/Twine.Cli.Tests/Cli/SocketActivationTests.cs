using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Twine.Cli.Tests.Cli;

/// <summary>
/// Socket activation end to end: a launcher (systemd-launcher.py, run by Debian's python3) binds a listening socket,
/// passes it as fd 3 with LISTEN_FDS/LISTEN_PID/LISTEN_FDNAMES set as systemd would, and execs the real twine CLI
/// with a <c>systemd:</c> endpoint; the test talks to the port and stops the server with SIGTERM (SD1).
/// </summary>
public sealed class SocketActivationTests
{
    /// <summary>Generous: a guard against a hang, never a timing assertion.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    private const string Python = "/usr/bin/python3";

    private static string Launcher => Path.Combine(AppContext.BaseDirectory, "systemd-launcher.py");

    /// <summary>The dotnet host running the tests (the SDK sets DOTNET_HOST_PATH), to run the CLI's own assembly with.</summary>
    private static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
        ? host
        : Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";

    private sealed class Child : IDisposable
    {
        private readonly Process _process;
        private readonly BlockingCollectionLines _lines = new();

        public Child(params string[] twineArgs)
        {
            Assert.True(File.Exists(Python), $"{Python} is needed to launch the socket-activated child (Debian's python3).");
            var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(Launcher);
            start.ArgumentList.Add(DotnetHost);
            start.ArgumentList.Add(typeof(TwineCommand).Assembly.Location);
            foreach (var a in twineArgs) start.ArgumentList.Add(a);
            _process = Process.Start(start)!;
            _process.OutputDataReceived += (_, e) => _lines.Add(e.Data);
            _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _lines.Add("stderr: " + e.Data); };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public string All => _lines.Text;

        /// <summary>Waits for a line matching <paramref name="pattern"/>; fails with everything seen so far if none comes.</summary>
        public Match WaitFor(string pattern) =>
            _lines.WaitFor(new Regex(pattern), Limit) ?? throw new Xunit.Sdk.XunitException($"no line matched /{pattern}/ within {Limit.TotalSeconds} s:\n{All}");

        public int Terminate()
        {
            // SIGTERM, as systemd stops a service: the reactors shut down cleanly and the exit code is 0.
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                kill.WaitForExit();
            Assert.True(_process.WaitForExit(Limit), $"the child did not exit after SIGTERM:\n{All}");
            _process.WaitForExit();   // drains the output events
            return _process.ExitCode;
        }

        public void Dispose()
        {
            if (!_process.HasExited) _process.Kill();
            _process.Dispose();
        }
    }

    private static string Echo(int port, string text)
    {
        using var client = new TcpClient();
        client.Connect(IPAddress.Loopback, port);
        return StreamEcho.RoundTrip(client.GetStream(), text);
    }

    [Fact]
    public void SD1_TheEchoServerServesOnTheSocketItWasGivenAsFd3()
    {
        using var child = new Child("echo", "--listen", "systemd:domain=INET:index=0");
        int port = int.Parse(child.WaitFor(@"^port (\d+)$").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        // The address it adopted is the launcher's socket, not one of its own.
        child.WaitFor($@"^twine echo: listening on 127\.0\.0\.1:{port} ");
        Assert.Equal("activated\n", Echo(port, "activated\n"));
        Assert.Equal(0, child.Terminate());
        Assert.Contains("twine echo: stopped", child.All);
    }

    [Fact]
    public void SD1_TwoWorkersAdoptTheNamedSocketAndBothServe()
    {
        using var child = new Child("echo", "--listen", "systemd:domain=INET:name=echo", "--workers", "2", "--verbose");
        int port = int.Parse(child.WaitFor(@"^port (\d+)$").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        child.WaitFor($@"^twine echo: worker 0 listening on 127\.0\.0\.1:{port} ");
        child.WaitFor($@"^twine echo: worker 1 listening on 127\.0\.0\.1:{port} ");
        for (int i = 0; i < 10; i++) Assert.Equal($"n{i}\n", Echo(port, $"n{i}\n"));
        Assert.Equal(0, child.Terminate());
        // The two workers share the inherited socket's accept queue: which one accepts is up to the kernel, so only
        // the total is checked here (the SO_REUSEPORT tests check the spread).
        Assert.Equal(10, Regex.Matches(child.All, @"^twine echo: worker \d: connection from", RegexOptions.Multiline).Count);
    }

    /// <summary>Lines from the child's output, with a wait for one matching a pattern.</summary>
    private sealed class BlockingCollectionLines
    {
        private readonly List<string> _lines = new();
        private readonly object _gate = new();

        public void Add(string? line)
        {
            if (line is null) return;
            lock (_gate)
            {
                _lines.Add(line);
                Monitor.PulseAll(_gate);
            }
        }

        public string Text
        {
            get { lock (_gate) return string.Join('\n', _lines); }
        }

        public Match? WaitFor(Regex pattern, TimeSpan limit)
        {
            var deadline = Stopwatch.StartNew();
            lock (_gate)
            {
                int seen = 0;
                while (true)
                {
                    for (; seen < _lines.Count; seen++)
                        if (pattern.Match(_lines[seen]) is { Success: true } m) return m;
                    var left = limit - deadline.Elapsed;
                    if (left <= TimeSpan.Zero) return null;
                    Monitor.Wait(_gate, left);
                }
            }
        }
    }
}
