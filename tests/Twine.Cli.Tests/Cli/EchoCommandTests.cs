using System.Net;
using System.Net.Sockets;
using System.Text;
using Twine.Net;
using Twine.Reactors;

namespace Twine.Cli.Tests.Cli;

public class EchoCommandTests
{
    [Fact]
    public void HelpDescribesTheListenOption()
    {
        var run = CliRun.Invoke("echo", "--help");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("--listen", run.Output);
        Assert.Contains("tcp:PORT", run.Output);
    }

    [Theory]
    [InlineData("nonsense:1")]
    [InlineData("tcp:notaport")]
    public void ABadEndpointIsAUsageError(string listen)
    {
        var run = CliRun.Invoke("echo", "--listen", listen);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("bad --listen", run.Error);
    }

    [Fact]
    public void EchoesBytesBackOverRealTcpAndStopsCleanly()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        string? echoed = null;
        Exception? clientError = null;
        int exit = EchoCommand.Run("tcp:0:interface=127.0.0.1", output, error,
            new ReactorOptions { InstallSignalHandlers = false },
            (reactor, port) =>
            {
                // A guard, not a timing assertion: the test fails rather than hangs if the echo never comes.
                reactor.CallLater(TimeSpan.FromSeconds(20), reactor.Stop);
                int portNumber = ((IPEndPoint)port.Host).Port;
                // A plain blocking client on a worker thread: a peer that is not Twine.
                _ = reactor.DeferToThread(() =>
                {
                    using var client = new TcpClient();
                    client.Connect(IPAddress.Loopback, portNumber);
                    var stream = client.GetStream();
                    return StreamEcho.RoundTrip(stream, "hello, twine\n");
                }).AddBoth(outcome =>
                {
                    if (outcome.Succeeded) echoed = outcome.Value; else clientError = outcome.Failure!.Value;
                    reactor.Stop();
                });
            });
        Assert.Null(clientError);
        Assert.Equal(0, exit);
        Assert.Equal("hello, twine\n", echoed);
        Assert.Matches(@"listening on 127\.0\.0\.1:\d+", output.ToString());
        Assert.Contains("stopped", output.ToString());
    }
}
