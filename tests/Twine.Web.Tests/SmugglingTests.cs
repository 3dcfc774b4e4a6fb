namespace Twine.Web.Tests;

/// <summary>
/// Request smuggling: each case hides a second request ("/smuggled") that a server disagreeing with a front end about
/// where the first body ends would serve. Here the framing is refused, the connection closes, and the hidden request
/// is never rendered.
/// </summary>
public class SmugglingTests
{
    private const string Smuggled = "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n";

    private static void AssertNeverServed(string attack, int status = 400)
    {
        var h = new HttpHarness().Send(attack + Smuggled + Smuggled);
        Assert.DoesNotContain("/smuggled", h.Recorder.Uris);
        Assert.True(h.Closed);
        var responses = h.Responses("POST");
        Assert.Equal(status, responses[^1].Code);
        Assert.All(responses.SkipLast(1), r => Assert.Equal(200, r.Code));
    }

    [Fact]
    public void ClTe() =>
        // A front end using Content-Length forwards all of it; one using TE would end the body at "0".
        AssertNeverServed("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");

    [Fact]
    public void TeCl() =>
        AssertNeverServed("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n5c\r\n");

    [Theory]
    [InlineData("Transfer-Encoding: xchunked\r\n")]
    [InlineData("Transfer-Encoding : chunked\r\n")]
    [InlineData("Transfer-Encoding: chunked\r\nTransfer-Encoding: x\r\n")]
    [InlineData("Transfer-Encoding:\x0bchunked\r\n")]
    [InlineData("Transfer-Encoding: chunked, identity\r\n")]
    [InlineData("Transfer-Encoding\r\n : chunked\r\n")]
    [InlineData("X: y\r\n Transfer-Encoding: chunked\r\n")]
    [InlineData("Transfer-Encoding: \"chunked\"\r\n")]
    public void TeTeObfuscation(string te)
    {
        var h = new HttpHarness().Send("POST / HTTP/1.1\r\nHost: a\r\n" + te + "Content-Length: 3\r\n\r\n0\r\n\r\n" + Smuggled);
        // Whatever the obfuscation, the server never reads "0\r\n\r\n" as an empty chunked body followed by a request.
        Assert.DoesNotContain("/smuggled", h.Recorder.Uris);
        Assert.True(h.Closed);
    }

    [Fact]
    public void DuplicateContentLength() =>
        AssertNeverServed("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nContent-Length: 37\r\n\r\n");

    [Fact]
    public void ContentLengthListWithDifferentValues() =>
        AssertNeverServed("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0, 37\r\n\r\n");

    [Fact]
    public void PipelinedRequestAfterABadOneIsNeverServed() =>
        AssertNeverServed("GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /bad\0 HTTP/1.1\r\nHost: a\r\n\r\n");

    [Fact]
    public void RequestsAfterAMalformedChunkAreNeverServed() =>
        AssertNeverServed("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n");

    [Fact]
    public void BareLfLineEndingIsNotASeparator() =>
        AssertNeverServed("GET / HTTP/1.1\r\nHost: a\r\nX: 1\nContent-Length: 37\r\n\r\n");

    [Fact]
    public void TransferEncodingOnHttp10() =>
        AssertNeverServed("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
}
