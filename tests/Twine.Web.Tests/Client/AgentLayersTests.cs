using System.IO.Compression;
using System.Text;
using Twine.Defer;
using Twine.Net;
using Twine.Time;
using Twine.Web.Client;

namespace Twine.Web.Tests.Client;

/// <summary>
/// Streaming with flow control (HC7), and the wrapping agents against Twine's own server: redirects (HC8), content
/// decoding (HC9) and cookies (HC10).
/// </summary>
public sealed class AgentLayersTests
{
    private static readonly byte[] s_text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("the quick brown fox jumps over the lazy dog ", 2000)));

    private static byte[] Compress(string coding, byte[] data)
    {
        var output = new MemoryStream();
        using (Stream z = coding switch
        {
            "gzip" => new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true),
            "deflate" => new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true),
            _ => new BrotliStream(output, CompressionLevel.Fastest, leaveOpen: true),
        })
            z.Write(data);
        return output.ToArray();
    }

    private static IResource Root()
    {
        var root = new Resource();
        root.PutChild("text", new DelegateResource(_ => s_text));
        foreach (var coding in new[] { "gzip", "deflate", "br" })
        {
            root.PutChild(coding, new DelegateResource(r =>
            {
                r.SetHeader("X-Accept-Encoding", r.GetHeader("Accept-Encoding") ?? "");
                r.SetHeader("Content-Encoding", coding);
                return Compress(coding, s_text);
            }));
        }
        root.PutChild("corrupt", new DelegateResource(r =>
        {
            r.SetHeader("Content-Encoding", "gzip");
            var data = Compress("gzip", s_text);
            data[20] ^= 0xFF;
            data[21] ^= 0xFF;
            return data;
        }));
        root.PutChild("method", new DelegateResource(r => $"{r.Method} {r.ReadBodyAsString()}"));
        root.PutChild("r301", new DelegateResource(r => { r.Redirect("/method", 301); return ""; }));
        root.PutChild("r302", new DelegateResource(r => { r.Redirect("/method", 302); return ""; }));
        root.PutChild("r303", new DelegateResource(r => { r.Redirect("/method", 303); return ""; }));
        root.PutChild("r307", new DelegateResource(r => { r.Redirect("/method", 307); return ""; }));
        root.PutChild("r308", new DelegateResource(r => { r.Redirect("/r307", 308); return ""; }));
        root.PutChild("loop", new DelegateResource(r => { r.Redirect("/loop", 302); return ""; }));
        root.PutChild("login", new DelegateResource(r =>
        {
            r.SetHeader("Set-Cookie", "session=abc; Path=/; HttpOnly");
            r.Redirect("/whoami", 302);
            return "";
        }));
        root.PutChild("whoami", new DelegateResource(r => r.GetHeader("Cookie") ?? "(none)"));
        return root;
    }

    [Fact]
    public void ASlowConsumerPausesTheConnectionAndStillGetsEveryByte_HC7()
    {
        var body = Enumerable.Range(0, 4 << 20).Select(i => (byte)(i * 13)).ToArray();
        var (received, duringPause) = ClientLoopback.Run(async loop =>
        {
            int port = loop.ListenScripted([.. Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\n\r\n"), .. body]);
            var response = await new Agent(loop.Reactor).Request("GET", $"http://127.0.0.1:{port}/");
            var consumer = new PausingConsumer();
            response.DeliverBody(consumer);
            await consumer.FirstData;
            long atPause = consumer.Received.Length;
            // While paused, the reactor turns many times; no more body may arrive.
            for (int i = 0; i < 50; i++) await loop.Reactor.Sleep(TimeSpan.Zero);
            long duringPause = consumer.Received.Length - atPause;
            consumer.Producer!.ResumeProducing();
            await consumer.Done;
            return (consumer.Received.ToArray(), duringPause);
        });
        Assert.Equal(0, duringPause);
        Assert.Equal(body, received);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    [InlineData("br")]
    public void ContentDecoderAgentAsksForAndDecodesEachCoding_HC9(string coding)
    {
        var (page, asked, encodingHeader) = ClientLoopback.Run(async loop =>
        {
            int port = loop.ListenSite(Root());
            var response = await new ContentDecoderAgent(new Agent(loop.Reactor)).Request("GET", $"http://127.0.0.1:{port}/{coding}");
            return (await response.ReadBody(1 << 20), response.Headers.Get("X-Accept-Encoding"), response.Headers.Get("Content-Encoding"));
        });
        Assert.Equal(s_text, page);
        Assert.Equal("gzip, deflate, br", asked);
        Assert.Null(encodingHeader);
    }

    [Fact]
    public void ACorruptCompressedBodyFailsWithContentDecoding_HC9()
    {
        var error = ClientLoopback.Run(loop =>
        {
            int port = loop.ListenSite(Root());
            return ClientLoopback.FailureOf(new ContentDecoderAgent(new Agent(loop.Reactor)).GetPage($"http://127.0.0.1:{port}/corrupt"));
        });
        Assert.Equal("gzip", Assert.IsType<ContentDecodingException>(error).Coding);
    }

    [Fact]
    public void TheDecodedBodyLimitAppliesToDecodedBytes_HC9()
    {
        var error = ClientLoopback.Run(loop =>
        {
            int port = loop.ListenSite(Root());
            return ClientLoopback.FailureOf(new ContentDecoderAgent(new Agent(loop.Reactor)).GetPage($"http://127.0.0.1:{port}/br", limit: 10_000));
        });
        Assert.IsType<BodyTooLargeException>(error);
    }

    [Theory]
    [InlineData("r301", "POST", "GET ")]          // 301/302: POST becomes GET without a body
    [InlineData("r302", "POST", "GET ")]
    [InlineData("r302", "PUT", "PUT data")]       // other methods are kept
    [InlineData("r303", "POST", "GET ")]          // 303: GET
    [InlineData("r303", "HEAD", "")]              // ... except HEAD
    [InlineData("r307", "POST", "POST data")]     // 307/308: method and body kept
    [InlineData("r308", "POST", "POST data")]     // two hops
    public void RedirectAgentFollowsWithRfc9110MethodRules_HC8(string path, string method, string expected)
    {
        var (body, finalUri, previous) = ClientLoopback.Run(async loop =>
        {
            int port = loop.ListenSite(Root());
            var response = await new RedirectAgent(new Agent(loop.Reactor)).Request(method, $"http://127.0.0.1:{port}/{path}", null,
                method is "HEAD" or "GET" ? null : new BytesBodyProducer("data"u8.ToArray()));
            return (Encoding.UTF8.GetString(await response.ReadBody(1000)), response.RequestUri.AbsolutePath, response.PreviousResponse?.Code);
        });
        Assert.Equal(expected, body);
        Assert.Equal("/method", finalUri);
        Assert.NotNull(previous);
    }

    [Fact]
    public void RedirectAgentStopsAtItsLimit_HC8()
    {
        var error = ClientLoopback.Run(loop =>
        {
            int port = loop.ListenSite(Root());
            return ClientLoopback.FailureOf(new RedirectAgent(new Agent(loop.Reactor, new HttpConnectionPool(loop.Reactor) { MaxConnectionsPerHost = 1 })) { Limit = 3 }
                .GetPage($"http://127.0.0.1:{port}/loop"));
        });
        Assert.Equal(302, Assert.IsType<TooManyRedirectsException>(error).Response.Code);
    }

    [Fact]
    public void RedirectAgentRefusesHttpsToHttp_HC8()
    {
        var error = ClientLoopback.Run(loop =>
            ClientLoopback.FailureOf(new RedirectAgent(new FixedAgent("http://127.0.0.1:1/plain")).GetPage("https://example.test/")));
        Assert.Contains("https", Assert.IsType<RedirectRefusedException>(error).Message);
    }

    [Fact]
    public void CookieAgentStoresAndSendsCookiesAcrossARedirect_HC10()
    {
        var (first, second) = ClientLoopback.Run(async loop =>
        {
            int port = loop.ListenSite(Root());
            var jar = new CookieJar();
            var agent = new RedirectAgent(new CookieAgent(new Agent(loop.Reactor), jar));
            var a = Encoding.UTF8.GetString(await agent.GetPage($"http://127.0.0.1:{port}/login"));
            var b = Encoding.UTF8.GetString(await agent.GetPage($"http://127.0.0.1:{port}/whoami"));
            return (a, b);
        });
        Assert.Equal("session=abc", first);
        Assert.Equal("session=abc", second);
    }

    /// <summary>Answers every request with a 302 to a fixed location, as if from the requested URL.</summary>
    private sealed class FixedAgent(string location) : IAgent
    {
        public Deferred<Response> Request(string method, string uri, IEnumerable<KeyValuePair<string, string>>? headers = null, IBodyProducer? body = null)
        {
            var headersIn = Twine.Web.Http.HttpHeaders.FromFields([new("Location", location)]);
            return Deferred.Succeed(new Response(new Version(1, 1), 302, "Found", headersIn, 0, new Uri(uri), new EmptyBody()));
        }

        private sealed class EmptyBody : IResponseBody
        {
            public void Deliver(IResponseBodyProtocol protocol)
            {
                protocol.MakeConnection(new Idle());
                protocol.ConnectionLost(new Failure(new ResponseDoneException()));
            }
        }

        private sealed class Idle : IPushProducer
        {
            public void PauseProducing() { }
            public void ResumeProducing() { }
            public void StopProducing() { }
        }
    }

    /// <summary>Pauses its producer at the first data, and records everything.</summary>
    private sealed class PausingConsumer : IResponseBodyProtocol
    {
        public MemoryStream Received { get; } = new();
        public IPushProducer? Producer { get; private set; }
        public Deferred<Unit> FirstData { get; } = new();
        public Deferred<Unit> Done { get; } = new();

        public void MakeConnection(IPushProducer producer) => Producer = producer;

        public void DataReceived(ReadOnlySpan<byte> data)
        {
            Received.Write(data);
            if (FirstData.Called) return;
            Producer!.PauseProducing();
            FirstData.Callback(Unit.Value);
        }

        public void ConnectionLost(Failure reason)
        {
            if (reason.Check<ResponseDoneException>()) Done.Callback(Unit.Value);
            else Done.Errback(reason);
        }
    }
}
