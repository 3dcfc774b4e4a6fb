using System.Text;
using Twine.Defer;
using Twine.Net;
using Twine.Web.Client;

namespace Twine.Web.Tests.Client;

/// <summary>The HTTP client against Twine's own server and scripted servers, over loopback sockets.</summary>
public sealed class AgentTests
{
    private static byte[] Ascii(string s) => Encoding.Latin1.GetBytes(s);

    private static IResource Root()
    {
        var root = new Resource();
        root.PutChild("hello", new DelegateResource(_ => "hello, world"));
        root.PutChild("headers", new DelegateResource(r => $"{r.Method} {r.Uri} host={r.GetHeader("Host")} x={r.GetHeader("X-Test")}"));
        root.PutChild("echo", new DelegateResource(r => r.ReadBody()));
        root.PutChild("missing", new DelegateResource(r =>
        {
            r.SetResponseCode(404);
            return "no such page";
        }));
        return root;
    }

    [Fact]
    public void GetPageReadsAPageFromTwinesServer()
    {
        var page = ClientLoopback.Run(loop =>
        {
            int port = loop.ListenSite(Root());
            return new Agent(loop.Reactor).GetPage($"http://127.0.0.1:{port}/hello");
        });
        Assert.Equal("hello, world", Encoding.UTF8.GetString(page));
    }

    [Fact]
    public void AHostNameIsResolvedByTheTcpEndpoint()
    {
        var (page, host) = ClientLoopback.Run(async loop =>
        {
            int port = loop.ListenSite(Root());
            var agent = new Agent(loop.Reactor);
            var response = await agent.Request("GET", $"http://localhost:{port}/headers");
            return (Encoding.UTF8.GetString(await response.ReadBody(1000)), port);
        });
        Assert.StartsWith($"GET /headers host=localhost:{host} ", page);
    }

    [Fact]
    public void AnIpv6LiteralUrlConnectsAndSendsABracketedHost()
    {
        var (page, port) = ClientLoopback.Run(async loop =>
        {
            var listening = loop.Reactor.ListenTcp(0, new Site(Root(), loop.Reactor) { LogRequests = false }, interfaceAddress: "::1");
            int port = ((System.Net.IPEndPoint)listening.Host).Port;
            try
            {
                var response = await new Agent(loop.Reactor).Request("GET", $"http://[::1]:{port}/headers");
                return (Encoding.UTF8.GetString(await response.ReadBody(1000)), port);
            }
            finally
            {
                await listening.StopListening();
            }
        });
        Assert.StartsWith($"GET /headers host=[::1]:{port} ", page);
    }

    [Fact]
    public void RequestSendsMethodTargetHostAndHeaders()
    {
        var (code, phrase, version, body) = ClientLoopback.Run(async loop =>
        {
            int port = loop.ListenSite(Root());
            var response = await new Agent(loop.Reactor).Request("GET", $"http://127.0.0.1:{port}/headers?a=1", [new("X-Test", "yes")]);
            return (response.Code, response.Phrase, response.Version, Encoding.UTF8.GetString(await response.ReadBody(1000)));
        });
        Assert.Equal((200, "OK", new Version(1, 1)), (code, phrase, version));
        Assert.StartsWith("GET /headers?a=1 host=127.0.0.1:", body);
        Assert.EndsWith(" x=yes", body);
    }

    [Fact]
    public void PostSendsTheBodyWithItsLength()
    {
        var payload = Enumerable.Range(0, 100_000).Select(i => (byte)i).ToArray();
        var echoed = ClientLoopback.Run(async loop =>
        {
            int port = loop.ListenSite(Root());
            var response = await new Agent(loop.Reactor).Request("POST", $"http://127.0.0.1:{port}/echo", null, payload);
            return await response.ReadBody(1 << 20);
        });
        Assert.Equal(payload, echoed);
    }

    [Fact]
    public void HeadHasNoBodyEvenWithAContentLength()
    {
        var (length, body) = ClientLoopback.Run(async loop =>
        {
            int port = loop.ListenSite(Root());
            var response = await new Agent(loop.Reactor).Request("HEAD", $"http://127.0.0.1:{port}/hello");
            return (response.Headers.Get("Content-Length"), await response.ReadBody(100));
        });
        Assert.Equal("12", length);
        Assert.Empty(body);
    }

    [Theory]
    [InlineData("HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n")]
    [InlineData("HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n")]
    public void NoContentAndNotModifiedHaveNoBody(string wire)
    {
        var body = ClientLoopback.Run(async loop =>
        {
            int port = loop.ListenScripted(Ascii(wire + "ignored!!!"));
            var response = await new Agent(loop.Reactor).Request("GET", $"http://127.0.0.1:{port}/");
            Assert.Equal(0, response.Length);
            return await response.ReadBody(100);
        });
        Assert.Empty(body);
    }

    [Fact]
    public void InterimResponsesAreSkipped()
    {
        var wire = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n"
                 + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        var (code, body) = ClientLoopback.Run(async loop =>
        {
            int port = loop.ListenScripted(Ascii(wire));
            var response = await new Agent(loop.Reactor).Request("GET", $"http://127.0.0.1:{port}/");
            return (response.Code, await response.ReadBody(100));
        });
        Assert.Equal(200, code);
        Assert.Equal("ok"u8.ToArray(), body);
    }

    [Fact]
    public void ChunkedBodyWithExtensionsAndTrailers()
    {
        var wire = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n";
        var body = ClientLoopback.Run(loop =>
            new Agent(loop.Reactor).GetPage($"http://127.0.0.1:{loop.ListenScripted(Ascii(wire))}/"));
        Assert.Equal("hello, world", Encoding.ASCII.GetString(body));
    }

    [Fact]
    public void BodyWithoutLengthIsReadUntilTheClose()
    {
        var body = ClientLoopback.Run(loop =>
            new Agent(loop.Reactor).GetPage($"http://127.0.0.1:{loop.ListenScripted(Ascii("HTTP/1.0 200 OK\r\nServer: x\r\n\r\nall of it"))}/"));
        Assert.Equal("all of it", Encoding.ASCII.GetString(body));
    }

    [Fact]
    public void GetPageFailsOnAnErrorStatusAndKeepsTheErrorPage()
    {
        var error = ClientLoopback.Run(loop =>
            ClientLoopback.FailureOf(new Agent(loop.Reactor).GetPage($"http://127.0.0.1:{loop.ListenSite(Root())}/missing")));
        var status = Assert.IsType<HttpErrorStatusException>(error);
        Assert.Equal(404, status.Code);
        Assert.Equal("no such page", Encoding.UTF8.GetString(status.Body));
    }

    [Fact]
    public void DownloadPageWritesTheBodyToAFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"twine-download-{Guid.NewGuid():N}.txt");
        try
        {
            var written = ClientLoopback.Run(loop =>
                new Agent(loop.Reactor).DownloadPage($"http://127.0.0.1:{loop.ListenSite(Root())}/hello", path));
            Assert.Equal(12, written);
            Assert.Equal("hello, world", File.ReadAllText(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ARefusedConnectionFailsWithConnectionRefused()
    {
        var error = ClientLoopback.Run(async loop =>
        {
            // A port that was just listened on and closed: nothing listens there now.
            var listening = loop.Reactor.ListenTcp(0, Factory.ForProtocol(() => new Silent()), interfaceAddress: "127.0.0.1");
            int port = ((System.Net.IPEndPoint)listening.Host).Port;
            await listening.StopListening();
            return await ClientLoopback.FailureOf(new Agent(loop.Reactor).GetPage($"http://127.0.0.1:{port}/"));
        });
        Assert.IsType<ConnectionRefusedException>(error);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/")]
    [InlineData("not a url")]
    public void AnUnsupportedUrlFailsTheDeferred(string url)
    {
        var error = ClientLoopback.Run(loop => ClientLoopback.FailureOf(new Agent(loop.Reactor).GetPage(url)));
        Assert.IsType<ArgumentException>(error);
    }

    [Theory]
    [InlineData("Bad Name", "v")]
    [InlineData("X-Evil", "a\r\nInjected: yes")]
    [InlineData("Content-Length", "5")]
    [InlineData("Transfer-Encoding", "chunked")]
    public void BadOrReservedRequestHeadersAreRefused(string name, string value)
    {
        var agent = new Agent(new Twine.Testing.MemoryReactor());
        Assert.Throws<ArgumentException>(() => agent.Request("GET", "http://127.0.0.1/", [new(name, value)]));
    }

    private sealed class Silent : Protocol;
}
