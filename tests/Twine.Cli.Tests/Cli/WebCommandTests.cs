using System.Net;
using System.Diagnostics;
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

    [Fact]
    public void ServesHttpsOnAnSslEndpointToCurl()
    {
        // A certificate made now with `twine cert`, trusted by curl through --cacert only: no committed keys.
        var certDir = Path.Combine(_dir, "tls");
        Assert.Equal(0, CliRun.Invoke("cert", "--host", "localhost", "-o", certDir).ExitCode);
        var site = Path.Combine(_dir, "site");
        Directory.CreateDirectory(site);
        File.WriteAllText(Path.Combine(site, "index.html"), "<h1>secure twine</h1>");
        var certPath = Path.Combine(certDir, "cert.pem");
        var keyPath = Path.Combine(certDir, "key.pem");
        var output = new StringWriter();
        var error = new StringWriter();
        (int Exit, string Out, string Err)? curl = null;
        Exception? clientError = null;
        int exit = WebCommand.Run(site, $"ssl:0:privateKey={keyPath}:certKey={certPath}:interface=127.0.0.1", false, output, error,
            new ReactorOptions { InstallSignalHandlers = false },
            (reactor, port) =>
            {
                reactor.CallLater(TimeSpan.FromSeconds(60), reactor.Stop);    // a guard, not the thing waited for
                int portNumber = ((IPEndPoint)port.Host).Port;
                _ = reactor.DeferToThread(() => RunCurl("--silent", "--show-error", "--include", "--max-time", "30",
                        "--cacert", certPath, "--resolve", $"localhost:{portNumber}:127.0.0.1", $"https://localhost:{portNumber}/"))
                    .AddBoth(outcome =>
                    {
                        if (outcome.Succeeded) curl = outcome.Value; else clientError = outcome.Failure!.Value;
                        reactor.Stop();
                    });
            });
        Assert.Null(clientError);
        Assert.Equal(0, exit);
        Assert.NotNull(curl);
        Assert.True(curl.Value.Exit == 0, $"curl exited {curl.Value.Exit}: {curl.Value.Err}");
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", curl.Value.Out);
        Assert.EndsWith("\r\n\r\n<h1>secure twine</h1>", curl.Value.Out);
        Assert.Matches(@"serving .* at https://127\.0\.0\.1:\d+/", output.ToString());
    }

    /// <summary>Runs curl (CI installs it; a missing curl fails the test with the start error, never skips it).</summary>
    private static (int Exit, string Out, string Err) RunCurl(params string[] args)
    {
        var info = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }
}
