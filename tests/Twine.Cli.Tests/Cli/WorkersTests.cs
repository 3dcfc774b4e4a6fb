using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Twine.Net;
using Twine.Reactors;

namespace Twine.Cli.Tests.Cli;

/// <summary>
/// <c>--workers N</c> on <c>twine echo</c> and <c>twine web</c>: N reactors, each on its own SO_REUSEPORT socket, all
/// serving, with a line per worker on start and (with --verbose) per connection naming the worker.
/// </summary>
public sealed class WorkersTests
{
    private static readonly ReactorOptions Quiet = new() { InstallSignalHandlers = false };

    /// <summary>Runs a client on a worker thread once every worker listens, then stops the group.</summary>
    private static Action<Reactor, IListeningPort> WhenAllListening(int workers, Action<int> client, Action<Exception> onError)
    {
        int listening = 0;
        return (reactor, port) =>
        {
            // A guard, not the thing waited for: a stuck client fails the test rather than hanging it.
            reactor.CallLater(TimeSpan.FromSeconds(60), reactor.Stop);
            if (Interlocked.Increment(ref listening) != workers) return;
            int number = ((IPEndPoint)port.Host).Port;
            _ = reactor.DeferToThread(() => { client(number); return 0; }).AddBoth(outcome =>
            {
                if (!outcome.Succeeded) onError(outcome.Failure!.Value);
                reactor.Stop();
            });
        };
    }

    private static int Count(string text, string pattern) => Regex.Matches(text, pattern, RegexOptions.Multiline).Count;

    [Fact]
    public void TwoEchoWorkersShareOnePortAndBothServe()
    {
        const int Connections = 40;
        var output = new StringWriter();
        var error = new StringWriter();
        Exception? clientError = null;
        int exit = EchoCommand.Run("tcp:0:interface=127.0.0.1", output, error, Quiet,
            WhenAllListening(2, port =>
            {
                for (int i = 0; i < Connections; i++)
                {
                    using var client = new TcpClient();
                    client.Connect(IPAddress.Loopback, port);
                    Assert.Equal($"hello {i}\n", StreamEcho.RoundTrip(client.GetStream(), $"hello {i}\n"));
                }
            }, e => clientError = e),
            workers: 2, verbose: true);
        string text = output.ToString();
        Assert.True(clientError is null, $"{clientError}\n{text}\n{error}");
        Assert.Equal(0, exit);
        var ports = Regex.Matches(text, @"^twine echo: worker (\d) listening on 127\.0\.0\.1:(\d+) ", RegexOptions.Multiline);
        Assert.Equal(["0", "1"], ports.Select(m => m.Groups[1].Value).Order());
        Assert.Single(ports.Select(m => m.Groups[2].Value).Distinct());   // one port, two sockets
        int first = Count(text, @"^twine echo: worker 0: connection from 127\.0\.0\.1:\d+$");
        int second = Count(text, @"^twine echo: worker 1: connection from 127\.0\.0\.1:\d+$");
        Assert.Equal(Connections, first + second);
        // The kernel hashes each connection onto a socket: all 40 on one worker would have probability 2^-39.
        Assert.True(first > 0 && second > 0, $"worker 0 got {first}, worker 1 got {second}");
        Assert.Contains("twine echo: stopped", text);
    }

    [Fact]
    public void TwoWebWorkersBothServeRequests()
    {
        var dir = Directory.CreateTempSubdirectory("twine-workers-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "index.html"), "<p>workers</p>");
            var output = new StringWriter();
            var error = new StringWriter();
            Exception? clientError = null;
            int exit = WebCommand.Run(dir.FullName, "tcp:0:interface=127.0.0.1", false, output, error, Quiet,
                WhenAllListening(2, port =>
                {
                    for (int i = 0; i < 30; i++)
                    {
                        using var client = new TcpClient();
                        client.Connect(IPAddress.Loopback, port);
                        var stream = client.GetStream();
                        stream.Write(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"));
                        var response = new StreamReader(stream, Encoding.ASCII).ReadToEnd();
                        Assert.StartsWith("HTTP/1.1 200 OK\r\n", response);
                        Assert.EndsWith("<p>workers</p>", response);
                    }
                }, e => clientError = e),
                workers: 2, verbose: true);
            string text = output.ToString();
            Assert.True(clientError is null, $"{clientError}\n{text}\n{error}");
            Assert.Equal(0, exit);
            Assert.Equal(2, Count(text, @"^twine web: worker \d serving .* at http://127\.0\.0\.1:\d+/ "));
            Assert.True(Count(text, "^twine web: worker 0: connection from") > 0, text);
            Assert.True(Count(text, "^twine web: worker 1: connection from") > 0, text);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("echo")]
    [InlineData("web")]
    public void HelpDescribesWorkersVerboseAndSocketActivation(string command)
    {
        var run = CliRun.Invoke(command, "--help");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("--workers", run.Output);
        Assert.Contains("SO_REUSEPORT", run.Output);
        Assert.Contains("--verbose", run.Output);
        Assert.Contains("systemd:domain=INET:index=0", run.Output);
        if (command == "web") Assert.Contains("--quiet", run.Output);
    }

    [Theory]
    [InlineData("echo", "--workers", "0")]
    [InlineData("echo", "--workers", "-2")]
    public void FewerThanOneWorkerIsAUsageError(params string[] args)
    {
        var run = CliRun.Invoke(args);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--workers must be at least 1", run.Error);
    }

    [Fact]
    public void AUnixSocketCannotBeSharedByWorkers()
    {
        var run = CliRun.Invoke("echo", "--workers", "2", "--listen", "unix:/tmp/twine-never.sock");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("a Unix socket's path can be bound once", run.Error);
    }

    [Fact]
    public void APortInUseIsReportedOnceAndNoWorkerKeepsRunning()
    {
        // A plain listener (no SO_REUSEPORT) holds the port, so no worker may join it.
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        holder.Listen(1);
        int port = ((IPEndPoint)holder.LocalEndPoint!).Port;
        var run = CliRun.Invoke("echo", "--workers", "3", "--listen", $"tcp:{port}:interface=127.0.0.1");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal(1, Count(run.Error, "cannot listen on"));
        Assert.DoesNotContain("stopped", run.Output);
    }

    [Fact]
    public void SystemdWithoutInheritedSocketsIsAClearUsageError()
    {
        // The test process was not socket-activated: the message says so rather than "index out of range".
        var run = CliRun.Invoke("echo", "--listen", "systemd:domain=INET:index=0");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("LISTEN_PID and LISTEN_FDS are not set", run.Error);
    }

    [Theory]
    [InlineData("tcp:0:interface=127.0.0.1", 1, null, "tcp:0:interface=127.0.0.1")]
    [InlineData("tcp:0:interface=127.0.0.1", 2, null, "tcp:0:interface=127.0.0.1:reusePort=true")]
    [InlineData("tcp:0:interface=127.0.0.1", 2, 8123, "tcp:8123:interface=127.0.0.1:reusePort=true")]
    [InlineData("tcp:port=0:reusePort=false", 2, 8123, "tcp:port=8123:reusePort=true")]
    [InlineData(@"tcp6:0:interface=\:\:1", 2, 8123, @"tcp6:8123:interface=\:\:1:reusePort=true")]
    [InlineData("systemd:domain=INET:index=0", 2, 8123, "systemd:domain=INET:index=0")]
    public void EachWorkerGetsTheFirstWorkersPortWithReusePort(string listen, int workers, int? firstPort, string expected)
    {
        EndPoint? host = firstPort is { } p ? new IPEndPoint(IPAddress.Loopback, p) : null;
        Assert.Equal(expected, ServerWorkers.ForWorker(listen, workers, host));
    }
}
