using System.Net;
using Twine.Reactors;

namespace Twine.Cli.Tests.Cli;

/// <summary><c>twine ws echo</c> and <c>twine ws connect</c> against each other over real loopback TCP.</summary>
public class WsCommandTests
{
    [Fact]
    public void HelpListsEchoAndConnect()
    {
        var run = CliRun.Invoke("ws", "--help");
        Assert.Contains("echo", run.Output);
        Assert.Contains("connect", run.Output);
    }

    [Theory]
    [InlineData("http://127.0.0.1/")]
    [InlineData("not a url")]
    public void ConnectRefusesANonWebSocketUrl(string url)
    {
        var run = CliRun.Invoke("ws", "connect", url);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("ws or wss", run.Error);
    }

    [Fact]
    public void ConnectSendsStdinLinesToTheEchoServerAndPrintsTheAnswers()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var clientOutput = new StringWriter();
        var clientError = new StringWriter();
        int clientExit = -1;
        int exit = WsCommand.RunEcho("tcp:0:interface=127.0.0.1", output, error, new ReactorOptions { InstallSignalHandlers = false },
            (reactor, port) =>
            {
                reactor.CallLater(TimeSpan.FromSeconds(30), reactor.Stop);      // a hang guard only
                int portNumber = ((IPEndPoint)port.Host).Port;
                // The client runs its own reactor on a worker thread, as the real command would in another process.
                _ = reactor.DeferToThread(() => clientExit = WsCommand.RunConnect($"ws://127.0.0.1:{portNumber}/", [],
                        new StringReader("hello\nwörld\n"), clientOutput, clientError, new ReactorOptions { InstallSignalHandlers = false }))
                    .AddBoth(_ => reactor.Stop());
            });
        Assert.Equal(0, exit);
        Assert.Equal("", clientError.ToString());
        Assert.Equal(0, clientExit);
        var lines = clientOutput.ToString();
        Assert.Contains("< hello", lines);
        Assert.Contains("< wörld", lines);
        Assert.Contains("closed: 1000", lines);
        Assert.Matches(@"listening on 127\.0\.0\.1:\d+", output.ToString());
    }
}
