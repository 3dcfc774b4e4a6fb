using System.Text;
using Twine.Web.Http;

namespace Twine.Web.Tests;

/// <summary>Chunked trailers: received ones on the Request, sent ones after a chunked response body (WEB13).</summary>
public sealed class TrailerTests
{
    private const string ChunkedPost = "POST /t HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(1)]
    [InlineData(7)]
    public void RequestTrailersAreExposedApartFromTheHeaders(int piece)
    {
        HttpHeaders? trailers = null;
        string? body = null;
        var h = new HttpHarness(new DelegateResource(r =>
        {
            trailers = r.Trailers;
            body = r.ReadBodyAsString();
            return "ok";
        }));
        var wire = Encoding.Latin1.GetBytes(ChunkedPost + "3\r\nabc\r\n0\r\nDigest: sha-256=x\r\nX-Count:  2 \r\nx-count: 3\r\n\r\n");
        for (int i = 0; i < wire.Length; i += piece) h.Send(wire.AsSpan(i, Math.Min(piece, wire.Length - i)).ToArray());
        Assert.Equal(200, h.Single("POST").Code);
        Assert.Equal("abc", body);
        Assert.NotNull(trailers);
        Assert.Equal(3, trailers.Count);
        Assert.Equal("sha-256=x", trailers.Get("digest"));
        Assert.Equal(["2", "3"], trailers.GetAll("X-Count"));
        Assert.False(h.Closed);
    }

    [Fact]
    public void NoTrailersMeansAnEmptySetAndTheNextRequestGetsItsOwn()
    {
        var seen = new List<HttpHeaders>();
        var h = new HttpHarness(new DelegateResource(r =>
        {
            seen.Add(r.Trailers);
            return "ok";
        }));
        h.Send(ChunkedPost + "1\r\na\r\n0\r\nA: 1\r\n\r\n" + ChunkedPost + "1\r\nb\r\n0\r\n\r\n" + "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal(3, h.Responses("POST", "POST", "GET").Count);
        Assert.Equal("1", seen[0].Get("A"));
        Assert.Equal(0, seen[1].Count);
        Assert.Equal(0, seen[2].Count);
    }

    [Theory]
    [InlineData("X : v\r\n", 400)]               // whitespace before the colon
    [InlineData(" folded\r\n", 400)]            // obs-fold
    [InlineData("X: a\u0001b\r\n", 400)]       // a control byte
    [InlineData("X: a\rb\r\n", 400)]           // a bare CR
    [InlineData("X: a\nY: b\r\n", 400)]        // a bare LF
    [InlineData("B@d: v\r\n", 400)]            // not a token
    [InlineData("novalue\r\n", 400)]           // no colon
    public void MalformedTrailersAreRefusedLikeHeadersAndTheConnectionCloses(string trailer, int status)
    {
        var h = new HttpHarness(new DelegateResource(_ => "served"));
        h.Send(ChunkedPost + "1\r\na\r\n0\r\n" + trailer + "\r\n" + "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        var r = h.Single("POST");
        Assert.Equal(status, r.Code);
        Assert.True(h.Closed);
    }

    [Fact]
    public void AnOversizedTrailerSectionIs431()
    {
        var options = new Server.HttpServerOptions { MaxHeaderSectionLength = 256 };
        var h = new HttpHarness(new DelegateResource(_ => "served"), options);
        h.Send(ChunkedPost + "1\r\na\r\n0\r\nX: " + new string('v', 300) + "\r\n\r\n");
        Assert.Equal(431, h.Single("POST").Code);
        Assert.True(h.Closed);
    }

    [Fact]
    public void TooManyTrailerFieldsIs431()
    {
        var options = new Server.HttpServerOptions { MaxHeaderFields = 3 };
        var h = new HttpHarness(new DelegateResource(_ => "served"), options);
        h.Send(ChunkedPost + "1\r\na\r\n0\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n");
        Assert.Equal(431, h.Single("POST").Code);
    }

    [Fact]
    public void TruncatedTrailersLeaveTheRequestUnserved()
    {
        int renders = 0;
        var h = new HttpHarness(new DelegateResource(_ => { renders++; return "served"; }));
        h.Send(ChunkedPost + "1\r\na\r\n0\r\nX: partial");
        h.Protocol.ConnectionLost(new Failure(new Net.ConnectionLostException()));
        Assert.Equal(0, renders);
        Assert.Equal("", h.Output);
    }

    [Fact]
    public void ResponseTrailersFollowTheLastChunkAndAreAnnounced()
    {
        var h = new HttpHarness(new DelegateResource(r =>
        {
            r.Write("part");
            r.AddTrailer("Digest", "sha-256=abc");
            r.AddTrailer("Server-Timing", "render;dur=1");
            r.Finish();
            return RenderResult.NotDoneYet;
        })).Send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        var r = h.Single();
        Assert.True(r.Chunked);
        Assert.Equal("part", r.BodyText);
        Assert.Equal([("Digest", "sha-256=abc"), ("Server-Timing", "render;dur=1")], r.Trailers);
        Assert.Null(r.Header("Trailer"));        // added after the headers went out: nothing to announce then
    }

    [Fact]
    public void TrailersSetBeforeTheBodyMakeAWholeBodyChunkedAndAreAnnounced()
    {
        var h = new HttpHarness(new DelegateResource(r =>
        {
            r.AddTrailer("Digest", "sha-256=abc");
            return "whole";
        })).Send("GET / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n");
        var rs = h.Responses("GET", "GET");
        Assert.Equal(2, rs.Count);
        Assert.All(rs, r =>
        {
            Assert.True(r.Chunked);
            Assert.Null(r.Header("Content-Length"));
            Assert.Equal("Digest", r.Header("Trailer"));
            Assert.Equal("whole", r.BodyText);
            Assert.Equal([("Digest", "sha-256=abc")], r.Trailers);
        });
    }

    [Fact]
    public void TrailersAreDroppedWhenTheResponseIsNotChunked()
    {
        var h = new HttpHarness(new DelegateResource(r =>
        {
            r.AddTrailer("Digest", "sha-256=abc");
            r.SetHeader("Content-Length", "2");
            r.Write("ok");
            r.Finish();
            return RenderResult.NotDoneYet;
        })).Send("GET / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.0\r\n\r\n");
        var rs = h.Responses("GET", "GET");
        Assert.All(rs, r => Assert.False(r.Chunked));
        Assert.Equal("ok", rs[0].BodyText);
        Assert.Equal("ok", rs[1].BodyText);
    }

    [Theory]
    [InlineData("Bad Name", "v")]
    [InlineData("X", "a\r\nInjected: yes")]
    [InlineData("X", "a\nb")]
    public void ATrailerThatWouldBreakTheFramingIsRefusedWithAnException(string name, string value)
    {
        Exception? thrown = null;
        var h = new HttpHarness(new DelegateResource(r =>
        {
            thrown = Record.Exception(() => r.AddTrailer(name, value));
            return "ok";
        })).Send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.IsType<ArgumentException>(thrown);
        Assert.Equal("ok", h.Single().BodyText);
    }
}
