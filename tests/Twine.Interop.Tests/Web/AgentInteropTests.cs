using System.Text;
using System.Text.RegularExpressions;
using Twine.Defer;
using Twine.Interop.Tests.Framing;
using Twine.Interop.Tests.Peers;
using Twine.Web.Client;

namespace Twine.Interop.Tests.Web;

/// <summary>
/// Twine's HTTP client (Agent) against servers nobody here wrote, on ephemeral loopback ports: Python's
/// <c>http.server</c> (Debian's python3) serving a temporary directory, and twisted.web (Debian's python3-twisted).
/// </summary>
public sealed partial class AgentInteropTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("twine-agent-interop-").FullName;

    public AgentInteropTests()
    {
        File.WriteAllBytes(Path.Combine(_dir, "data.bin"), Enumerable.Range(0, 200_000).Select(i => (byte)(i * 7)).ToArray());
        File.WriteAllText(Path.Combine(_dir, "hello.txt"), "hello from python");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [GeneratedRegex(@"port (\d+)")]
    private static partial Regex ServingPort();

    [Fact]
    public void AgentFetchesFilesHeadsAndErrorsFromPythonsHttpServer()
    {
        using var server = new ChildProcess("/usr/bin/python3", ["-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", _dir]);
        var serving = server.WaitForLine(l => l.StartsWith("Serving HTTP on ", StringComparison.Ordinal), "where it listens");
        int port = int.Parse(ServingPort().Match(serving).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var url = $"http://127.0.0.1:{port}";

        using var reactor = InteropReactor.Create();
        Failure? failure = null;
        byte[]? data = null, hello = null, headBody = null;
        string? headLength = null, contentType = null;
        Exception? missing = null;
        reactor.CallWhenRunning(() => Scenario().AddErrback(f => { failure = f; }).AddBoth(() => InteropReactor.StopSoon(reactor)));
        InteropReactor.RunGuarded(reactor, server.Report);
        failure?.RaiseException();

        Assert.Equal(File.ReadAllBytes(Path.Combine(_dir, "data.bin")), data);
        Assert.Equal("hello from python", Encoding.UTF8.GetString(hello!));
        Assert.Equal("text/plain", contentType);
        Assert.Equal("17", headLength);
        Assert.Empty(headBody!);
        Assert.Equal(404, Assert.IsType<HttpErrorStatusException>(missing).Code);

        async Deferred Scenario()
        {
            var agent = new Agent(reactor);
            data = await agent.GetPage($"{url}/data.bin");
            var response = await agent.Request("GET", $"{url}/hello.txt");
            contentType = response.Headers.Get("Content-Type");
            hello = await response.ReadBody(1000);
            var head = await agent.Request("HEAD", $"{url}/hello.txt");
            headLength = head.Headers.Get("Content-Length");
            headBody = await head.ReadBody(1000);
            try
            {
                await agent.GetPage($"{url}/missing.txt");
            }
            catch (HttpErrorStatusException e)
            {
                missing = e;
            }
        }
    }

    [Fact]
    public void AgentReadsFixedAndChunkedBodiesFromTwistedWeb()
    {
        TwistedPeer.RequireTwisted();
        using var server = new ChildProcess(TwistedPeer.Python, ["-u", Path.Combine(TwistedPeer.PeersDirectory, "twisted_web_server.py")],
            TwistedPeer.PeersDirectory, new Dictionary<string, string?> { ["PYTHONNOUSERSITE"] = "1", ["PYTHONPATH"] = null });
        var line = server.WaitForLine(l => l.StartsWith("PORT ", StringComparison.Ordinal), "its PORT line");
        var url = $"http://127.0.0.1:{int.Parse(line.AsSpan(5), System.Globalization.CultureInfo.InvariantCulture)}";

        using var reactor = InteropReactor.Create();
        Failure? failure = null;
        string? fixedBody = null, chunkedBody = null, chunkedCoding = null;
        Exception? missing = null;
        reactor.CallWhenRunning(() => Scenario().AddErrback(f => { failure = f; }).AddBoth(() => InteropReactor.StopSoon(reactor)));
        InteropReactor.RunGuarded(reactor, server.Report);
        failure?.RaiseException();

        Assert.Equal("fixed body from twisted.web", fixedBody);
        Assert.Equal("chunked", chunkedCoding);
        Assert.Equal("chunk 0;chunk 1;chunk 2;", chunkedBody);
        Assert.Equal(404, Assert.IsType<HttpErrorStatusException>(missing).Code);

        async Deferred Scenario()
        {
            var agent = new Agent(reactor);
            fixedBody = Encoding.UTF8.GetString(await agent.GetPage($"{url}/fixed"));
            var chunked = await agent.Request("GET", $"{url}/chunked");
            chunkedCoding = chunked.Headers.Get("Transfer-Encoding");
            chunkedBody = Encoding.UTF8.GetString(await chunked.ReadBody(1000));
            try
            {
                await agent.GetPage($"{url}/missing");
            }
            catch (HttpErrorStatusException e)
            {
                missing = e;
            }
        }
    }
}
