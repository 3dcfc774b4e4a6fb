using System.Net;
using System.Text.Json;
using Twine.Interop.Tests.Peers;
using Twine.Net;
using Twine.Net.Endpoints;
using Twine.Reactors;
using Twine.Web;

namespace Twine.Interop.Tests.Web;


/// <summary>
/// Twine.Web (the HttpEcho routes plus a static directory under /static) against HTTP clients nobody here wrote:
/// curl, Python's http.client and Twisted's Agent (Debian's). The server runs in a real reactor on the test thread;
/// each client is a separate process started from a worker thread, and the reactor stops when it is done.
/// </summary>
public sealed class HttpInteropTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("twine-web-interop-").FullName;

    public HttpInteropTests()
    {
        File.WriteAllText(Path.Combine(_dir, "hello.txt"), "hello, world");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private T Serve<T>(Func<int, T> client)
    {
        using var reactor = Reactor.Create(new ReactorOptions { InstallSignalHandlers = false });
        var root = HttpEcho.EchoSite.CreateRoot();
        root.PutChild("static", new Twine.Web.Static.File(_dir));
        Task<T>? work = null;
        Exception? listenError = null;
        reactor.CallWhenRunning(() =>
            Endpoints.Server(reactor, "tcp:0:interface=127.0.0.1").Listen(new Site(root, reactor) { LogRequests = false }).AddCallbacks(
                port =>
                {
                    work = Task.Run(() => client(((IPEndPoint)port.Host).Port));
                    work.ContinueWith(_ => reactor.CallFromThread(reactor.Stop), TaskScheduler.Default);
                },
                failure =>
                {
                    listenError = failure.Value;
                    reactor.Stop();
                }));
        bool tripped = false;
        var guard = reactor.CallLater(ChildProcess.Patience + TimeSpan.FromSeconds(30), () =>
        {
            tripped = true;
            reactor.Crash();
        });
        reactor.Run();
        if (guard.IsActive) guard.Cancel();
        Assert.Null(listenError);
        Assert.False(tripped, "The client was still running when the guard tripped.");
        return work!.GetAwaiter().GetResult();
    }

    private static (int Exit, string Out, string Err) Run(string executable, params string[] args)
    {
        using var process = new ChildProcess(executable, args);
        process.WaitForExit();
        return (process.ExitCode, string.Join("\n", process.Lines), process.Stderr);
    }

    private static (int Exit, string Out, string Err) Curl(params string[] args) => Run("/usr/bin/curl", ["-sS", "--max-time", "30", .. args]);

    [Fact]
    public void CurlReusesTheConnectionForSeveralRequests()
    {
        var (exit, output, err) = Serve(port => Curl("-v", $"http://127.0.0.1:{port}/", "-o", "/dev/null", $"http://127.0.0.1:{port}/echo"));
        Assert.True(exit == 0, err);
        Assert.Contains("Re-using existing connection", err);
        Assert.Contains("User-Agent: curl/", output);
    }

    [Fact]
    public void CurlChunkedUpload()
    {
        var body = string.Concat(Enumerable.Range(0, 2000).Select(i => $"line {i}\n"));
        var file = Path.Combine(_dir, "upload.txt");
        File.WriteAllText(file, body);
        var (exit, output, err) = Serve(port => Curl("-H", "Transfer-Encoding: chunked", "--data-binary", "@" + file, $"http://127.0.0.1:{port}/"));
        Assert.True(exit == 0, err);
        Assert.Equal(body.TrimEnd('\n'), output);           // ChildProcess reads lines; the last newline is the separator
    }

    [Fact]
    public void CurlRangesOfAStaticFile()
    {
        var (exit, output, err) = Serve(port => Curl("-i", "-r", "0-4", $"http://127.0.0.1:{port}/static/hello.txt"));
        Assert.True(exit == 0, err);
        Assert.StartsWith("HTTP/1.1 206 Partial Content", output);
        Assert.Contains("Content-Range: bytes 0-4/12", output);
        Assert.EndsWith("\nhello", output);
    }

    [Fact]
    public void CurlHead()
    {
        var (exit, output, err) = Serve(port => Curl("-I", $"http://127.0.0.1:{port}/"));
        Assert.True(exit == 0, err);
        Assert.StartsWith("HTTP/1.1 200 OK", output);
        Assert.Contains("Content-Length: 2", output);
    }

    [Fact]
    public void CurlHttp10()
    {
        var (exit, output, err) = Serve(port => Curl("--http1.0", "-i", $"http://127.0.0.1:{port}/"));
        Assert.True(exit == 0, err);
        Assert.StartsWith("HTTP/1.1 200 OK", output);
        Assert.Contains("Connection: close", output);
        Assert.EndsWith("\nOK", output);
    }

    [Fact]
    public void PythonHttpClientOnOnePersistentConnection()
    {
        var (exit, output, err) = Serve(port => Run("/usr/bin/python3", Path.Combine(TwistedPeer.PeersDirectory, "http_client.py"), port.ToString()));
        Assert.True(exit == 0, err);
        var responses = output.Split('\n').Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(7, responses.Count);
        Assert.Equal("OK", responses[0].GetProperty("body").GetString());
        Assert.Equal("posted by http.client", responses[1].GetProperty("body").GetString());
        Assert.Contains("X-Python: yes", responses[2].GetProperty("body").GetString());
        Assert.Equal("chunk one, chunk two", responses[3].GetProperty("body").GetString());
        Assert.Equal("2", responses[4].GetProperty("headers").GetProperty("content-length").GetString());
        Assert.Equal("py=1\nlang=en\n", responses[5].GetProperty("body").GetString());
        Assert.Equal(404, responses[6].GetProperty("status").GetInt32());
        // One connection throughout: every request went out from the same local port.
        Assert.Single(responses.Select(r => r.GetProperty("sock").GetInt32()).Distinct());
    }

    [Fact]
    public void TwistedAgent()
    {
        TwistedPeer.RequireTwisted();
        var (exit, output, err) = Serve(port => Run("/usr/bin/python3", Path.Combine(TwistedPeer.PeersDirectory, "twisted_agent.py"), port.ToString()));
        Assert.True(exit == 0, output + err);
        Assert.Equal(["STATUS 200 OK", "STATUS 200 from twisted agent", "STATUS 206 world", "EXIT 0"], output.Split('\n'));
    }

    [Fact]
    public void ApacheBenchKeepAlive()
    {
        var (exit, output, err) = Serve(port => Run("/usr/bin/ab", "-q", "-n", "500", "-c", "4", "-k", "-s", "30", $"http://127.0.0.1:{port}/"));
        Assert.True(exit == 0, output + err);
        Assert.Matches(@"Complete requests:\s+500", output);
        Assert.Matches(@"Failed requests:\s+0", output);
        Assert.Matches(@"Keep-Alive requests:\s+500", output);
    }

    [Fact]
    public void WrkForOneSecondOverKeepAlive()
    {
        // A bounded smoke, not a benchmark: one second, four connections; every response must be a 2xx.
        var (exit, output, err) = Serve(port => Run("/usr/bin/wrk", "-t1", "-c4", "-d1s", "--timeout", "10s", $"http://127.0.0.1:{port}/"));
        Assert.True(exit == 0, output + err);
        Assert.Matches(@"\d+ requests in", output);
        Assert.DoesNotContain("Non-2xx", output);
        Assert.DoesNotContain("Socket errors", output);
    }
}
