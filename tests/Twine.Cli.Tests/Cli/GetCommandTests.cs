using System.Net;
using System.Text;
using Twine.Net;
using Twine.Net.Endpoints;
using Twine.Reactors;
using Twine.Web;

namespace Twine.Cli.Tests.Cli;

/// <summary>
/// <c>twine get</c> against a Twine web server running in its own reactor thread on 127.0.0.1 (plain and TLS with a
/// certificate made by <c>twine cert</c> at test time): output, -o with its byte count, -v, -I, -L, -d, -H, exit codes.
/// </summary>
public sealed class GetCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("twine-get-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private sealed class Page(Func<Request, RenderResult> render) : Resource
    {
        public override bool IsLeaf => true;

        public override RenderResult Render(Request request) => render(request);
    }

    private static Resource Root()
    {
        var root = new Resource();
        root.PutChild("hello", new Page(_ => "hello, world\n"));
        root.PutChild("big", new Page(_ => Enumerable.Range(0, 300_000).Select(i => (byte)i).ToArray()));
        root.PutChild("echo", new Page(r => $"{r.Method} x={r.GetHeader("X-Test")} body={r.ReadBodyAsString()}"));
        root.PutChild("missing", new Page(r =>
        {
            r.SetResponseCode(404);
            return "not here";
        }));
        root.PutChild("moved", new Page(r =>
        {
            r.Redirect("/hello", 302);
            return "";
        }));
        return root;
    }

    /// <summary>A Twine server on its own reactor thread; disposing stops it.</summary>
    private sealed class Server : IDisposable
    {
        private readonly Reactor _reactor = Reactor.Create(new ReactorOptions { InstallSignalHandlers = false });
        private readonly Thread _thread;

        public Server(string description = "tcp:0:interface=127.0.0.1")
        {
            var ready = new ManualResetEventSlim();
            Exception? failed = null;
            _reactor.CallWhenRunning(() => Endpoints.Server(_reactor, description).Listen(new Site(Root(), _reactor) { LogRequests = false })
                .AddCallbacks(port =>
                {
                    Port = ((IPEndPoint)port.Host).Port;
                    ready.Set();
                }, f =>
                {
                    failed = f.Value;
                    ready.Set();
                }));
            _thread = new Thread(() => _reactor.Run()) { IsBackground = true };
            _thread.Start();
            Assert.True(ready.Wait(TimeSpan.FromSeconds(30)), "the server did not start");
            Assert.Null(failed);
        }

        public int Port { get; private set; }

        public void Dispose()
        {
            _reactor.CallFromThread(_reactor.Stop);
            _thread.Join(TimeSpan.FromSeconds(30));
            _reactor.Dispose();
        }
    }

    [Fact]
    public void HelpListsTheOptions()
    {
        var run = CliRun.Invoke("get", "--help");
        Assert.Equal(0, run.ExitCode);
        foreach (var option in new[] { "--output", "--request", "--header", "--data", "--data-file", "--head", "--location", "--verbose", "--timeout", "--insecure", "--cacert" })
            Assert.Contains(option, run.Output);
    }

    [Theory]
    [InlineData("ftp://example.org/")]
    [InlineData("not a url")]
    public void ABadUrlIsAUsageError(string url) => Assert.Equal(2, CliRun.Invoke("get", url).ExitCode);

    [Fact]
    public void DataAndDataFileTogetherIsAUsageError() =>
        Assert.Equal(2, CliRun.Invoke("get", "http://127.0.0.1:1/", "-d", "x", "--data-file", "/etc/hostname").ExitCode);

    [Fact]
    public void ABadHeaderIsAUsageError() => Assert.Equal(2, CliRun.Invoke("get", "http://127.0.0.1:1/", "-H", "nocolon").ExitCode);

    [Fact]
    public void TheBodyGoesToStdout()
    {
        using var server = new Server();
        var run = CliRun.Invoke("get", $"http://127.0.0.1:{server.Port}/hello");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("hello, world\n", run.Output);
    }

    [Fact]
    public void AnErrorStatusExitsOneWithTheBody()
    {
        using var server = new Server();
        var run = CliRun.Invoke("get", $"http://127.0.0.1:{server.Port}/missing");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("not here", run.Output);
    }

    [Fact]
    public void ARefusedConnectionExitsThreeWithOneLine()
    {
        int port;
        using (var server = new Server()) port = server.Port;
        var run = CliRun.Invoke("get", $"http://127.0.0.1:{port}/hello");
        Assert.Equal(3, run.ExitCode);
        Assert.Single(run.Error.Trim().Split('\n'));
        Assert.StartsWith("twine get: ", run.Error);
    }

    [Fact]
    public void OutputToAFileCountsTheBytes()
    {
        using var server = new Server();
        var file = Path.Combine(_dir, "big.bin");
        var run = CliRun.Invoke("get", $"http://127.0.0.1:{server.Port}/big", "-o", file);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(Enumerable.Range(0, 300_000).Select(i => (byte)i).ToArray(), File.ReadAllBytes(file));
        Assert.Contains($"300000 bytes written to {file}", run.Error);
    }

    [Fact]
    public void MethodHeadersAndDataAreSentAndVerbosePrintsBothHeads()
    {
        using var server = new Server();
        var run = CliRun.Invoke("get", $"http://127.0.0.1:{server.Port}/echo", "-X", "PUT", "-H", "X-Test: yes", "-d", "payload", "-v");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("PUT x=yes body=payload", run.Output);
        Assert.Contains("> PUT /echo HTTP/1.1", run.Error);
        Assert.Contains("> X-Test: yes", run.Error);
        Assert.Contains("< HTTP/1.1 200 OK", run.Error);
    }

    [Fact]
    public void DataMeansPostAndDataFileIsRead()
    {
        using var server = new Server();
        var file = Path.Combine(_dir, "body.txt");
        File.WriteAllText(file, "from a file");
        var run = CliRun.Invoke("get", $"http://127.0.0.1:{server.Port}/echo", "--data-file", file);
        Assert.Equal("POST x= body=from a file", run.Output);
    }

    [Fact]
    public void HeadPrintsTheResponseHead()
    {
        using var server = new Server();
        var run = CliRun.Invoke("get", "-I", $"http://127.0.0.1:{server.Port}/hello");
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("HTTP/1.1 200 OK", run.Output);
        Assert.Contains("Content-Length: 13", run.Output);
        Assert.DoesNotContain("hello, world", run.Output);
    }

    [Fact]
    public void LocationFollowsRedirects()
    {
        using var server = new Server();
        var without = CliRun.Invoke("get", $"http://127.0.0.1:{server.Port}/moved");
        var with = CliRun.Invoke("get", "-L", $"http://127.0.0.1:{server.Port}/moved");
        Assert.Equal(0, without.ExitCode);
        Assert.DoesNotContain("hello", without.Output);
        Assert.Equal("hello, world\n", with.Output);
    }

    [Fact]
    public void HttpsNeedsTrustAndWorksWithCacertOrInsecure()
    {
        Assert.Equal(0, CliRun.Invoke("cert", "--host", "localhost", "-o", _dir).ExitCode);
        var cert = Path.Combine(_dir, "cert.pem");
        using var server = new Server($"ssl:0:interface=127.0.0.1:privateKey={Path.Combine(_dir, "key.pem")}:certKey={cert}");
        var url = $"https://localhost:{server.Port}/hello";
        var untrusted = CliRun.Invoke("get", url);
        var trusted = CliRun.Invoke("get", url, "--cacert", cert);
        var insecure = CliRun.Invoke("get", url, "-k");
        Assert.Equal(3, untrusted.ExitCode);
        Assert.Equal((0, "hello, world\n"), (trusted.ExitCode, trusted.Output));
        Assert.Equal((0, "hello, world\n"), (insecure.ExitCode, insecure.Output));
    }

    [Fact]
    public void AMissingCacertIsAUsageError() =>
        Assert.Equal(2, CliRun.Invoke("get", "https://localhost:1/", "--cacert", "/nonexistent/ca.pem").ExitCode);

    [Fact]
    public void TheProgressLineShowsBytesRateAndEta()
    {
        var progress = new DownloadProgress(TextWriter.Null, terminal: true, total: 2 * 1024 * 1024, "f");
        progress.Add(1024 * 1024);
        var line = progress.Line();
        Assert.Contains(" 50%", line);
        Assert.Contains("1.0 MiB", line);
        Assert.Contains("/s", line);
        Assert.Contains("ETA", line);
    }
}
