using System.Text;
using Twine.Defer;
using Twine.Web.Client;

namespace Twine.Web.Tests.Client;

/// <summary>
/// The client against scripted servers that answer with malformed, truncated, oversized and random responses: every
/// outcome is a response or a clear failure, and the scenario always ends (the harness guards it).
/// </summary>
public sealed class BrokenResponseTests
{
    private static byte[] Ascii(string s) => Encoding.Latin1.GetBytes(s);

    private static Exception FailureOf(string wire, long limit = 1000) => ClientLoopback.Run(loop =>
    {
        int port = loop.ListenScripted(Ascii(wire));
        return ClientLoopback.FailureOf(new Agent(loop.Reactor).Request("GET", $"http://127.0.0.1:{port}/")
            .AddCallback(response => response.ReadBody(limit)));
    });

    [Theory]
    [InlineData("HTTP/2.0 200 OK\r\n\r\n")]
    [InlineData("garbage\r\n\r\n")]
    [InlineData("HTTP/1.1 2000 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 099 Low\r\n\r\n")]
    [InlineData("HTTP/1.1 200OK\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length : 2\r\n\r\nok")]
    [InlineData("HTTP/1.1 200 OK\r\n folded\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nok")]
    [InlineData("HTTP/1.1 200 OK\r\nX: a\u0001b\r\n\r\n")]
    public void AMalformedHeadFailsWithMalformedResponse(string wire)
    {
        var error = Assert.IsType<MalformedResponseException>(FailureOf(wire));
        Assert.IsType<Twine.Web.Http.HttpParseException>(error.InnerException);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokX\r\n0\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFF\r\n")]
    public void AMalformedChunkedBodyFailsWithMalformedResponse(string wire) =>
        Assert.IsType<MalformedResponseException>(FailureOf(wire));

    [Fact]
    public void AHeaderSectionBeyondTheLimitFails() =>
        Assert.IsType<ResponseHeadersTooLargeException>(FailureOf("HTTP/1.1 200 OK\r\nX: " + new string('a', 70_000) + "\r\n\r\n"));

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n0123456789A", 10)]                        // announced
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n012345\r\n5\r\n6789A\r\n0\r\n\r\n", 10)]
    [InlineData("HTTP/1.0 200 OK\r\n\r\n0123456789A", 10)]
    public void ABodyBeyondTheLimitFailsWithBodyTooLarge(string wire, long limit)
    {
        var error = Assert.IsType<BodyTooLargeException>(FailureOf(wire, limit));
        Assert.Equal(limit, error.Limit);
    }

    [Fact]
    public void AResponseTruncatedAtEveryOffsetFailsClearly()
    {
        // A Content-Length body and a chunked one, cut after each byte: before the head ends no response was received;
        // after it, the body is partial and the bytes that did arrive are kept.
        string[] wires =
        [
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhe\r\n3\r\nllo\r\n0\r\n\r\n",
        ];
        foreach (var wire in wires)
        {
            int headEnd = wire.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
            var outcomes = ClientLoopback.Run(async loop =>
            {
                var agent = new Agent(loop.Reactor);
                var results = new List<Exception>();
                for (int cut = 0; cut < wire.Length; cut++)
                {
                    int port = loop.ListenScripted(Ascii(wire[..cut]));
                    results.Add(await ClientLoopback.FailureOf(agent.Request("GET", $"http://127.0.0.1:{port}/").AddCallback(r => r.ReadBody(100))));
                }
                return results;
            });
            for (int cut = 0; cut < wire.Length; cut++)
            {
                if (cut < headEnd)
                {
                    Assert.IsType<ResponseNeverReceivedException>(outcomes[cut]);
                    continue;
                }
                var partial = Assert.IsType<PartialBodyException>(outcomes[cut]);
                var received = Encoding.ASCII.GetString(partial.PartialBody);
                Assert.True("hello".StartsWith(received, StringComparison.Ordinal), $"cut {cut}: '{received}'");
                if (wire.Contains("Content-Length")) Assert.Equal(wire[headEnd..cut], received);
            }
        }
    }

    [Fact]
    public void RandomResponsesEndInAResponseOrAClearFailure()
    {
        // Valid responses with random bytes overwritten, inserted or cut: nothing may crash or hang.
        var rng = new Random(10);
        string[] seeds =
        [
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhe\r\n3\r\nllo\r\n0\r\n\r\n",
            "HTTP/1.0 404 Not Found\r\nX: y\r\n\r\nnope",
        ];
        var wires = Enumerable.Range(0, 150).Select(_ =>
        {
            var bytes = Ascii(seeds[rng.Next(seeds.Length)]).ToList();
            for (int k = rng.Next(1, 4); k > 0 && bytes.Count > 0; k--)
            {
                int at = rng.Next(bytes.Count);
                switch (rng.Next(3))
                {
                    case 0: bytes[at] = (byte)rng.Next(256); break;
                    case 1: bytes.Insert(at, (byte)rng.Next(256)); break;
                    default: bytes.RemoveRange(at, bytes.Count - at); break;
                }
            }
            return bytes.ToArray();
        }).ToList();
        var outcomes = ClientLoopback.Run(async loop =>
        {
            var agent = new Agent(loop.Reactor);
            var results = new List<Outcome<byte[]>>();
            foreach (var wire in wires)
            {
                int port = loop.ListenScripted(wire);
                var d = agent.Request("GET", $"http://127.0.0.1:{port}/").AddCallback(r => r.ReadBody(100));
                try { results.Add(new Outcome<byte[]>(await d)); }
                catch (Exception e) { results.Add(new Outcome<byte[]>(new Failure(e))); }
            }
            return results;
        });
        Assert.Equal(wires.Count, outcomes.Count);
        foreach (var outcome in outcomes)
            if (outcome.Failure is { } f) Assert.IsAssignableFrom<HttpClientException>(f.Value);
    }
}
