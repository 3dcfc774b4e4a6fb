using System.Text;
using Twine.Web.Http;

namespace Twine.Web.Tests.Http;

public class RequestHeadParserTests
{
    private static RequestHead? Parse(string text, int maxLine = 8192, int maxSection = 32768, int maxFields = 100)
    {
        var parser = new RequestHeadParser(maxLine, maxSection, maxFields);
        return parser.TryParse(Encoding.Latin1.GetBytes(text), out _);
    }

    private static int StatusOf(string text, int maxLine = 8192, int maxSection = 32768, int maxFields = 100)
    {
        try
        {
            return Parse(text, maxLine, maxSection, maxFields) is null ? -1 : 0;
        }
        catch (HttpParseException e)
        {
            return e.StatusCode;
        }
    }

    [Fact]
    public void ParsesASimpleRequest()
    {
        var head = Parse("GET /a/b?c=d HTTP/1.1\r\nHost: example.com\r\nX-Y:  v  \r\n\r\n")!;
        Assert.Equal("GET", head.Line.Method);
        Assert.Equal(TargetForm.Origin, head.Line.Form);
        Assert.Equal(1, head.Line.MinorVersion);
        Assert.Equal("example.com", head.Headers.Get("host"));
        Assert.Equal("v", head.Headers.Get("X-Y"));
        Assert.Equal(BodyKind.None, head.BodyKind);
        Assert.True(head.KeepAlive);
    }

    [Fact]
    public void IncompleteHeadWaitsForMore()
    {
        Assert.Equal(-1, StatusOf("GET / HTTP/1.1\r\nHost: a\r\n"));
        Assert.Equal(-1, StatusOf("GET / HTTP/1.1\r\nHost: a\r\n\r"));
        Assert.Equal(-1, StatusOf("GE"));
    }

    [Fact]
    public void HeadSplitAtEveryByteParsesTheSame()
    {
        var text = Encoding.Latin1.GetBytes("\r\nPOST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nA: b\r\n\r\n");
        var parser = new RequestHeadParser(8192, 32768, 100);
        RequestHead? head = null;
        int consumed = 0;
        for (int n = 1; n <= text.Length && head is null; n++) head = parser.TryParse(text.AsSpan(0, n), out consumed);
        Assert.NotNull(head);
        Assert.Equal(text.Length, consumed);
        Assert.Equal(3, head!.ContentLength);
        Assert.Equal("b", head.Headers.Get("a"));
    }

    [Theory]
    // Whitespace between a field name and the colon (RFC 9112 §5.1).
    [InlineData("GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX\t: b\r\n\r\n", 400)]
    // obs-fold, and a field line starting with whitespace.
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX: b\r\n c\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\n Host: a\r\n\r\n", 400)]
    // Bare CR, bare LF.
    [InlineData("GET / HTTP/1.1\r\nHost: a\rX: b\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX: b\rc\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\nHost: a\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\n\n", 400)]
    [InlineData("GET /\r HTTP/1.1\r\nHost: a\r\n\r\n", 400)]
    // NUL and other controls in the request line, names and values.
    [InlineData("GET /\0 HTTP/1.1\r\nHost: a\r\n\r\n", 400)]
    [InlineData("G\0T / HTTP/1.1\r\nHost: a\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX\0: b\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX: b\0c\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX: b\x01\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX: b\x7f\r\n\r\n", 400)]
    [InlineData("GET /\x7f HTTP/1.1\r\nHost: a\r\n\r\n", 400)]
    [InlineData("GET /\t HTTP/1.1\r\nHost: a\r\n\r\n", 400)]
    // Invalid characters in the method or a field name.
    [InlineData("G(T / HTTP/1.1\r\nHost: a\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX@Y: b\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX\"Y: b\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\n: b\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", 400)]
    // Request line shape.
    [InlineData(" GET / HTTP/1.1\r\nHost: a\r\n\r\n", 400)]
    [InlineData("GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1 \r\nHost: a\r\n\r\n", 400)]
    [InlineData("GET /\r\nHost: a\r\n\r\n", 400)]
    [InlineData("GET / http/1.1\r\nHost: a\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.10\r\nHost: a\r\n\r\n", 400)]
    [InlineData("GET / HTTP/11\r\nHost: a\r\n\r\n", 400)]
    // Host: missing, repeated or invalid on HTTP/1.1; repeated or invalid on 1.0.
    [InlineData("GET / HTTP/1.1\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\nHost: a:8x\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.0\r\nHost: a@b\r\n\r\n", 400)]
    // Content-Length: repeated with different values, signed, non-decimal, overflowing, empty.
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1, 2\r\n\r\n", 400)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +1\r\n\r\n", 400)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x10\r\n\r\n", 400)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1 0\r\n\r\n", 400)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n", 400)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \r\n\r\n", 400)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1.0\r\n\r\n", 400)]
    // Content-Length with Transfer-Encoding; TE in HTTP/1.0.
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", 400)]
    [InlineData("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400)]
    // Transfer-Encoding other than a final chunked: 400 when chunked is not last, 501 for unknown codings.
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", 400)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", 400)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", 400)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n", 400)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n", 400)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked;x=1\r\n\r\n", 400)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \r\n\r\n", 400)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: identity, chunked\r\n\r\n", 501)]
    // Unknown HTTP versions and the HTTP/2 preface.
    [InlineData("GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505)]
    [InlineData("GET / HTTP/0.9\r\nHost: a\r\n\r\n", 505)]
    [InlineData("GET / HTTP/3.0\r\nHost: a\r\n\r\n", 505)]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505)]
    // Request-target forms.
    [InlineData("GET * HTTP/1.1\r\nHost: a\r\n\r\n", 400)]
    [InlineData("GET example.com:80 HTTP/1.1\r\nHost: a\r\n\r\n", 400)]
    [InlineData("CONNECT /x HTTP/1.1\r\nHost: a\r\n\r\n", 400)]
    [InlineData("CONNECT example.com HTTP/1.1\r\nHost: a\r\n\r\n", 400)]
    [InlineData("GET a/b HTTP/1.1\r\nHost: a\r\n\r\n", 400)]
    [InlineData("GET ftp://x/y HTTP/1.1\r\nHost: a\r\n\r\n", 400)]
    [InlineData("GET http:///y HTTP/1.1\r\nHost: a\r\n\r\n", 400)]
    [InlineData("GET http://u@x/y HTTP/1.1\r\nHost: a\r\n\r\n", 400)]
    [InlineData("GET /a#frag HTTP/1.1\r\nHost: a\r\n\r\n", 400)]
    [InlineData("GET /a\\..\\b HTTP/1.1\r\nHost: a\r\n\r\n", 400)]
    [InlineData("GET /%zz HTTP/1.1\r\nHost: a\r\n\r\n", 400)]
    [InlineData("GET /%2 HTTP/1.1\r\nHost: a\r\n\r\n", 400)]
    [InlineData("GET /\xe9 HTTP/1.1\r\nHost: a\r\n\r\n", 400)]
    // Expect other than 100-continue.
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nExpect: something\r\nContent-Length: 1\r\n\r\n", 417)]
    public void RejectsWithTheStatusTheRfcAsksFor(string request, int status) => Assert.Equal(status, StatusOf(request));

    [Theory]
    [InlineData("GET http://example.com/a?b HTTP/1.1\r\nHost: example.com\r\n\r\n")]
    [InlineData("GET HTTP://example.com HTTP/1.1\r\nHost: example.com\r\n\r\n")]
    [InlineData("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n")]
    [InlineData("GET / HTTP/1.0\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost:\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: 127.0.0.1:80\r\n\r\n")]
    [InlineData("GET / HTTP/1.2\r\nHost: a\r\n\r\n")]                  // higher 1.x minor versions are served as 1.1
    [InlineData("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n")]           // leading empty lines are ignored
    [InlineData("GET /a%20b?{x}|^ HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 3\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\tchunked \r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX: caf\xe9 \"q\"\t(ok)\r\n\r\n")]    // obs-text, quotes, HTAB inside
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX:\r\n\r\n")]                         // empty value
    [InlineData("PROPFIND / HTTP/1.1\r\nHost: a\r\n\r\n")]                          // extension methods parse
    public void AcceptsValidRequests(string request) => Assert.Equal(0, StatusOf(request));

    [Fact]
    public void AbsoluteFormGivesTheAuthorityAndPath()
    {
        var head = Parse("GET http://example.com:8080?q=1 HTTP/1.1\r\nHost: example.com\r\n\r\n")!;
        Assert.Equal(TargetForm.Absolute, head.Line.Form);
        Assert.Equal("example.com:8080", Encoding.ASCII.GetString(head.Raw, head.Line.AuthorityStart, head.Line.AuthorityLength));
        Assert.Equal("?q=1", Encoding.ASCII.GetString(head.Raw, head.Line.PathStart, head.Line.TargetStart + head.Line.TargetLength - head.Line.PathStart));
    }

    [Fact]
    public void RepeatedFieldsKeepEveryValueInOrder()
    {
        var head = Parse("GET / HTTP/1.1\r\nHost: a\r\nAccept: x\r\naccept: y\r\nACCEPT: z\r\n\r\n")!;
        Assert.Equal(["x", "y", "z"], head.Headers.GetAll("Accept"));
        Assert.Equal("z", head.Headers.Get("accept"));
        Assert.Equal(4, head.Headers.Count);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\n\r\n", true)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", false)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, CLOSE\r\n\r\n", false)]
    [InlineData("GET / HTTP/1.0\r\n\r\n", false)]
    [InlineData("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", true)]
    [InlineData("GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n", false)]
    public void PersistenceFollowsVersionAndConnection(string request, bool keepAlive) => Assert.Equal(keepAlive, Parse(request)!.KeepAlive);

    [Fact]
    public void ExpectContinueIsRecognisedOnlyWithABody()
    {
        Assert.True(Parse("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: 5\r\n\r\n")!.ExpectContinue);
        Assert.False(Parse("GET / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n")!.ExpectContinue);
    }

    [Fact]
    public void RequestLineOverTheLimitIs414EvenBeforeItsEnd()
    {
        string longTarget = "GET /" + new string('a', 100);
        Assert.Equal(414, StatusOf(longTarget, maxLine: 64));                                    // no CRLF yet
        Assert.Equal(414, StatusOf(longTarget + " HTTP/1.1\r\nHost: a\r\n\r\n", maxLine: 64));
        Assert.Equal(0, StatusOf("GET /" + new string('a', 50) + " HTTP/1.1\r\nHost: a\r\n\r\n", maxLine: 64));
    }

    [Fact]
    public void HeaderSectionOverTheLimitIs431()
    {
        string big = "GET / HTTP/1.1\r\nHost: a\r\nX: " + new string('v', 200) + "\r\n\r\n";
        Assert.Equal(431, StatusOf(big, maxSection: 100));
        Assert.Equal(431, StatusOf("GET / HTTP/1.1\r\nHost: a\r\nX: " + new string('v', 200), maxSection: 100));   // unfinished
        Assert.Equal(0, StatusOf(big, maxSection: 300));
    }

    [Fact]
    public void TooManyFieldsIs431()
    {
        var sb = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
        for (int i = 0; i < 10; i++) sb.Append($"X{i}: v\r\n");
        sb.Append("\r\n");
        Assert.Equal(431, StatusOf(sb.ToString(), maxFields: 10));
        Assert.Equal(0, StatusOf(sb.ToString(), maxFields: 11));
    }

    [Fact]
    public void TooManyLeadingEmptyLinesIs400()
    {
        Assert.Equal(400, StatusOf(string.Concat(Enumerable.Repeat("\r\n", 20)) + "GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
    }
}
