using System.Net;
using System.Net.Sockets;
using System.Text;
using Twine.Reactors;

namespace Twine.Cli.Tests.Cli;

public sealed class WebCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("twine-web-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void TheUrlItPrintsIsHttpsForATlsEndpoint()
    {
        var host = new IPEndPoint(IPAddress.Loopback, 8443);
        Assert.Equal("https://127.0.0.1:8443/", WebCommand.Url(host, "ssl:8443:privateKey=k.pem:certKey=c.pem"));
        Assert.Equal("http://127.0.0.1:8443/", WebCommand.Url(host, "tcp:8443"));
        Assert.Equal("http://127.0.0.1:8080/", WebCommand.Url(new IPEndPoint(IPAddress.Any, 8080)));
    }

    [Fact]
    public void HelpDescribesTheOptions()
    {
        var run = CliRun.Invoke("web", "--help");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("--path", run.Output);
        Assert.Contains("--listen", run.Output);
        Assert.Contains("tcp:PORT", run.Output);
    }

    [Fact]
    public void MissingPathIsAUsageError()
    {
        var run = CliRun.Invoke("web");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--path", run.Error);
    }

    [Fact]
    public void NonexistentPathIsAUsageError()
    {
        var run = CliRun.Invoke("web", "--path", Path.Combine(_dir, "missing"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("bad --path", run.Error);
    }

    [Theory]
    [InlineData("nonsense:1")]
    [InlineData("tcp:notaport")]
    public void BadEndpointIsAUsageError(string listen)
    {
        var run = CliRun.Invoke("web", "--path", _dir, "--listen", listen);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("bad --listen", run.Error);
    }

    [Fact]
    public void ServesTheDirectoryOverRealTcpAndStopsCleanly()
    {
        File.WriteAllText(Path.Combine(_dir, "index.html"), "<h1>twine</h1>");
        var output = new StringWriter();
        var error = new StringWriter();
        string? response = null;
        Exception? clientError = null;
        int exit = WebCommand.Run(_dir, "tcp:0:interface=127.0.0.1", false, output, error,
            new ReactorOptions { InstallSignalHandlers = false },
            (reactor, port) =>
            {
                reactor.CallLater(TimeSpan.FromSeconds(30), reactor.Stop);    // a guard, not the thing waited for
                int portNumber = ((IPEndPoint)port.Host).Port;
                _ = reactor.DeferToThread(() =>
                {
                    using var client = new TcpClient();
                    client.Connect(IPAddress.Loopback, portNumber);
                    var stream = client.GetStream();
                    stream.Write(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"));
                    return new StreamReader(stream, Encoding.ASCII).ReadToEnd();
                }).AddBoth(outcome =>
                {
                    if (outcome.Succeeded) response = outcome.Value; else clientError = outcome.Failure!.Value;
                    reactor.Stop();
                });
            });
        Assert.Null(clientError);
        Assert.Equal(0, exit);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", response);
        Assert.EndsWith("\r\n\r\n<h1>twine</h1>", response);
        Assert.Matches(@"serving .* at http://127\.0\.0\.1:\d+/", output.ToString());
        Assert.Contains("stopped", output.ToString());
    }
}
