using System.Text;
using Twine.Web.Http;

namespace Twine.Web.Tests.Http;

/// <summary>The client direction of the shared parser: response heads and their body framing.</summary>
public class ResponseHeadParserTests
{
    private static ResponseHead? Parse(string text, string method = "GET") =>
        new ResponseHeadParser().TryParse(Encoding.Latin1.GetBytes(text), method, out _);

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", "GET", BodyKind.Length, 5L, true)]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "GET", BodyKind.Chunked, -1L, true)]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", "GET", BodyKind.UntilClose, -1L, false)]
    [InlineData("HTTP/1.1 200 OK\r\n\r\n", "GET", BodyKind.UntilClose, -1L, false)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", "HEAD", BodyKind.None, 0L, true)]
    [InlineData("HTTP/1.1 204 No Content\r\n\r\n", "GET", BodyKind.None, 0L, true)]
    [InlineData("HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n", "GET", BodyKind.None, 0L, true)]
    [InlineData("HTTP/1.1 100 Continue\r\n\r\n", "POST", BodyKind.None, 0L, true)]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n", "GET", BodyKind.Length, 2L, false)]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\n", "GET", BodyKind.Length, 2L, true)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", "GET", BodyKind.None, 0L, false)]
    [InlineData("HTTP/1.1 200 \r\nContent-Length: 1\r\n\r\n", "GET", BodyKind.Length, 1L, true)]
    public void FramesResponseBodies(string text, string method, BodyKind kind, long length, bool keepAlive)
    {
        var head = Parse(text, method)!;
        Assert.Equal(kind, head.BodyKind);
        Assert.Equal(length, head.ContentLength);
        Assert.Equal(keepAlive, head.KeepAlive);
    }

    [Theory]
    [InlineData("HTTP/2 200 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 2000 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 20 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 200OK\r\n\r\n")]
    [InlineData("HTTP/1.1 099 Low\r\n\r\n")]
    [InlineData("HTTP/1.1 200 O\0K\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\nContent-Length: 1\r\n\r\n")]              // bare LF, shared rule
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length : 1\r\n\r\n")]            // space before colon, shared rule
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")]
    public void RejectsMalformedResponses(string text) =>
        Assert.Throws<HttpParseException>(() => Parse(text));

    [Fact]
    public void ReadsTheServersOwnResponses()
    {
        // The server's output parsed by the client-side parser: status, fields and framing agree.
        var h = new HttpHarness().Send("GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
        var wire = h.Transport.Value();
        var head = new ResponseHeadParser().TryParse(wire, "GET", out int consumed)!;
        Assert.Equal(200, head.Code);
        Assert.Equal("OK", Encoding.ASCII.GetString(head.Raw, head.Line.ReasonStart, head.Line.ReasonLength));
        Assert.Equal(BodyKind.Length, head.BodyKind);
        Assert.Equal(wire.Length - consumed, head.ContentLength);
        Assert.Equal("text/plain", head.Headers.Get("content-type"));
    }
}
