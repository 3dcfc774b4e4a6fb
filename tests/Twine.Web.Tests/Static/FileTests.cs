using System.Text;
using Twine.Net;
using Twine.Web.Http;

namespace Twine.Web.Tests.Static;

public sealed class FileTests : IDisposable
{
    private readonly string _dir;
    private readonly string _outside;

    public FileTests()
    {
        _dir = Directory.CreateTempSubdirectory("twine-web-root-").FullName;
        _outside = Directory.CreateTempSubdirectory("twine-web-outside-").FullName;
        System.IO.File.WriteAllText(Path.Combine(_dir, "hello.txt"), "hello, world");
        System.IO.File.WriteAllText(Path.Combine(_dir, "page.html"), "<p>hi</p>");
        System.IO.File.WriteAllBytes(Path.Combine(_dir, "blob.bin"), Enumerable.Range(0, 200_000).Select(i => (byte)i).ToArray());
        System.IO.File.WriteAllText(Path.Combine(_dir, "a b.txt"), "spaced");
        Directory.CreateDirectory(Path.Combine(_dir, "sub"));
        System.IO.File.WriteAllText(Path.Combine(_dir, "sub", "index.html"), "sub index");
        Directory.CreateDirectory(Path.Combine(_dir, "empty"));
        System.IO.File.WriteAllText(Path.Combine(_outside, "secret.txt"), "secret");
        System.IO.File.CreateSymbolicLink(Path.Combine(_dir, "escape.txt"), Path.Combine(_outside, "secret.txt"));
        Directory.CreateSymbolicLink(Path.Combine(_dir, "escapedir"), _outside);
        System.IO.File.CreateSymbolicLink(Path.Combine(_dir, "inside-link.txt"), Path.Combine(_dir, "hello.txt"));
        System.IO.File.SetLastWriteTimeUtc(Path.Combine(_dir, "hello.txt"), new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc));
    }

    public void Dispose()
    {
        Directory.Delete(_dir, recursive: true);
        Directory.Delete(_outside, recursive: true);
    }

    private HttpHarness Get(string target, string extraHeaders = "", string method = "GET", bool listing = false)
    {
        var h = new HttpHarness(new Twine.Web.Static.File(_dir) { AllowDirectoryListing = listing });
        h.Send($"{method} {target} HTTP/1.1\r\nHost: x\r\n{extraHeaders}\r\n");
        PumpProducer(h);
        return h;
    }

    /// <summary>Plays the transport's part: asks a registered pull producer for data until it unregisters.</summary>
    private static void PumpProducer(HttpHarness h)
    {
        for (int i = 0; i < 100_000 && h.Transport.Producer is IPullProducer p; i++) p.ResumeProducing();
    }

    [Fact]
    public void ServesAFileWithTypeLengthAndValidators()
    {
        var r = Get("/hello.txt").Single();
        Assert.Equal(200, r.Code);
        Assert.Equal("hello, world", r.BodyText);
        Assert.Equal("text/plain", r.Header("Content-Type"));
        Assert.Equal("12", r.Header("Content-Length"));
        Assert.Equal("Fri, 02 Jan 2026 03:04:05 GMT", r.Header("Last-Modified"));
        Assert.NotNull(r.Header("ETag"));
        Assert.Equal("bytes", r.Header("Accept-Ranges"));
        Assert.Equal("text/html", Get("/page.html").Single().Header("Content-Type"));
        Assert.Equal("spaced", Get("/a%20b.txt").Single().BodyText);
    }

    [Fact]
    public void LargeFileIsStreamedByAPullProducerChunkByChunk()
    {
        var h = new HttpHarness(new Twine.Web.Static.File(_dir));
        h.Send("GET /blob.bin HTTP/1.1\r\nHost: x\r\n\r\n");
        var producer = Assert.IsAssignableFrom<IPullProducer>(h.Transport.Producer);
        int before = h.Transport.Value().Length;
        producer.ResumeProducing();
        int after = h.Transport.Value().Length;
        Assert.InRange(after - before, 1, 64 * 1024 + 1024);     // the head and one chunk per request from the transport
        producer.ResumeProducing();
        Assert.Equal(64 * 1024, h.Transport.Value().Length - after);
        PumpProducer(h);
        var r = h.Single();
        Assert.Equal(200_000, r.Body.Length);
        Assert.Equal(Enumerable.Range(0, 200_000).Select(i => (byte)i), r.Body);
        Assert.False(r.Chunked);
    }

    [Fact]
    public void HeadSendsTheHeadersOnly()
    {
        var r = Get("/blob.bin", method: "HEAD").Single("HEAD");
        Assert.Equal("200000", r.Header("Content-Length"));
        Assert.Empty(r.Body);
    }

    [Fact]
    public void IfNoneMatchAndIfModifiedSinceGive304()
    {
        var etag = Get("/hello.txt").Single().Header("ETag");
        var r = Get("/hello.txt", $"If-None-Match: \"other\", {etag}\r\n").Single();
        Assert.Equal(304, r.Code);
        Assert.Empty(r.Body);
        Assert.Equal(304, Get("/hello.txt", "If-None-Match: *\r\n").Single().Code);
        Assert.Equal(304, Get("/hello.txt", "If-Modified-Since: Fri, 02 Jan 2026 03:04:05 GMT\r\n").Single().Code);
        Assert.Equal(200, Get("/hello.txt", "If-Modified-Since: Fri, 02 Jan 2026 03:04:04 GMT\r\n").Single().Code);
        // If-None-Match takes precedence over If-Modified-Since.
        Assert.Equal(200, Get("/hello.txt", "If-None-Match: \"other\"\r\nIf-Modified-Since: Fri, 02 Jan 2026 03:04:05 GMT\r\n").Single().Code);
    }

    [Theory]
    [InlineData("bytes=0-4", 206, "hello", "bytes 0-4/12")]
    [InlineData("bytes=7-", 206, "world", "bytes 7-11/12")]
    [InlineData("bytes=-5", 206, "world", "bytes 7-11/12")]
    [InlineData("bytes=7-100", 206, "world", "bytes 7-11/12")]
    [InlineData("bytes=12-", 416, "", "bytes */12")]
    [InlineData("bytes=-0", 416, "", "bytes */12")]
    [InlineData("bytes=0-1,3-4", 200, "hello, world", null)]     // multiple ranges: the whole body
    [InlineData("bytes=5-2", 200, "hello, world", null)]         // invalid: ignored
    [InlineData("items=0-1", 200, "hello, world", null)]
    public void SingleRanges(string range, int code, string body, string? contentRange)
    {
        var r = Get("/hello.txt", $"Range: {range}\r\n").Single();
        Assert.Equal(code, r.Code);
        Assert.Equal(body, r.BodyText);
        Assert.Equal(contentRange, r.Header("Content-Range"));
    }

    [Fact]
    public void IfRangeMismatchSendsTheWholeFile()
    {
        var r = Get("/hello.txt", "Range: bytes=0-4\r\nIf-Range: \"stale\"\r\n").Single();
        Assert.Equal(200, r.Code);
        Assert.Equal("hello, world", r.BodyText);
    }

    [Fact]
    public void RangeOfALargeFileIsExact()
    {
        var r = Get("/blob.bin", "Range: bytes=100000-165540\r\n").Single();
        Assert.Equal(206, r.Code);
        Assert.Equal(65541, r.Body.Length);
        Assert.Equal((byte)(100000 % 256), r.Body[0]);
    }

    [Fact]
    public void DirectoriesUseIndexFilesAndRedirectToASlash()
    {
        var redirect = Get("/sub").Single();
        Assert.Equal(301, redirect.Code);
        Assert.Equal("/sub/", redirect.Header("Location"));
        Assert.Equal("sub index", Get("/sub/").Single().BodyText);
    }

    [Fact]
    public void ListingIsOffByDefaultAndEscapedWhenOn()
    {
        Assert.Equal(403, Get("/").Single().Code);
        Assert.Equal(403, Get("/empty/").Single().Code);
        var listing = Get("/", listing: true).Single();
        Assert.Equal(200, listing.Code);
        Assert.Contains("<a href=\"a%20b.txt\">a b.txt</a>", listing.BodyText);
        Assert.Contains("<a href=\"sub/\">sub/</a>", listing.BodyText);
    }

    [Theory]
    [InlineData("/../x")]
    [InlineData("/sub/../../etc/passwd")]
    [InlineData("/%2e%2e/etc/passwd")]
    [InlineData("/%2E%2E%2Fetc%2Fpasswd")]
    [InlineData("/sub/%2e%2e/%2e%2e/x")]
    [InlineData("/..%2fx")]
    [InlineData("/..%5cx")]
    [InlineData("/sub%5c..%5c..%5cx")]
    [InlineData("/hello.txt%00.html")]
    [InlineData("/escape.txt")]
    [InlineData("/escapedir/secret.txt")]
    [InlineData("/./hello.txt")]
    [InlineData("/sub//index.html")]
    [InlineData("/missing.txt")]
    public void TraversalIsRefused(string target)
    {
        var h = Get(target);
        var r = h.Single();
        Assert.True(r.Code is 404 or 400, $"{target} gave {r.Code}");
        Assert.DoesNotContain("secret", r.BodyText);
        Assert.DoesNotContain("root:", r.BodyText);
    }

    [Fact]
    public void RawBackslashInTheTargetIsABadRequest() => Assert.Equal(400, Get("/sub\\..\\hello.txt").Single().Code);

    [Fact]
    public void SymlinkInsideTheRootIsServed() => Assert.Equal("hello, world", Get("/inside-link.txt").Single().BodyText);

    [Fact]
    public void OtherMethodsAre405()
    {
        var r = new HttpHarness(new Twine.Web.Static.File(_dir)).Send("POST /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").Single("POST");
        Assert.Equal(405, r.Code);
        Assert.Equal("GET, HEAD", r.Header("Allow"));
    }

    [Fact]
    public void ASingleFileRootServesOnlyItself()
    {
        var h = new HttpHarness(new Twine.Web.Static.File(Path.Combine(_dir, "hello.txt")));
        h.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /other HTTP/1.1\r\nHost: x\r\n\r\n");
        PumpProducer(h);
        var rs = h.Responses();
        Assert.Equal("hello, world", rs[0].BodyText);
        Assert.Equal(404, rs[1].Code);
    }

    [Fact]
    public void ConnectionLostWhileSendingClosesTheFile()
    {
        var h = new HttpHarness(new Twine.Web.Static.File(_dir));
        h.Send("GET /blob.bin HTTP/1.1\r\nHost: x\r\n\r\n");
        var producer = Assert.IsAssignableFrom<IPullProducer>(h.Transport.Producer);
        producer.ResumeProducing();
        producer.StopProducing();            // what the transport does when the connection closes
        h.Protocol.ConnectionLost(new Twine.Failure(new ConnectionLostException()));
        producer.ResumeProducing();          // a late call after stopping does nothing
        // The file handle is released: the file can be deleted and recreated at once.
        System.IO.File.Delete(Path.Combine(_dir, "blob.bin"));
    }

    [Fact]
    public void ContentTypesByExtension()
    {
        Assert.Equal("text/css", Twine.Web.Static.ContentTypes.For("a.CSS"));
        Assert.Equal("application/octet-stream", Twine.Web.Static.ContentTypes.For("noext"));
        Assert.Equal("Fri, 02 Jan 2026 03:04:05 GMT", HttpDate.Format(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)));
    }
}
