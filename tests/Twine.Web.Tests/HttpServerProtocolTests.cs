using System.Text;
using Twine.Defer;
using Twine.Testing;
using Twine.Web.Server;

namespace Twine.Web.Tests;

public class HttpServerProtocolTests
{
    private const string Get = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";

    [Fact]
    public void AnswersAGetWithLengthDateAndType()
    {
        var h = new HttpHarness().Send("GET /x?y=1 HTTP/1.1\r\nHost: a\r\n\r\n");
        var r = h.Single();
        Assert.Equal(200, r.Code);
        Assert.Equal("OK", r.Reason);
        Assert.Equal("GET /x?y=1 ", r.BodyText);
        Assert.Equal(r.Body.Length.ToString(), r.Header("Content-Length"));
        Assert.Equal("Wed, 02 Dec 2026 10:00:00 GMT", r.Header("Date"));
        Assert.Equal("text/plain", r.Header("Content-Type"));
        Assert.Null(r.Header("Connection"));
        Assert.False(h.Closed);
    }

    [Fact]
    public void KeepAliveServesSeveralRequestsOnOneConnection()
    {
        var h = new HttpHarness().Send(Get);
        h.Send("GET /2 HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal(["/", "/2"], h.Recorder.Uris);
        Assert.Equal(2, h.Responses().Count);
        Assert.False(h.Closed);
    }

    [Fact]
    public void PipelinedRequestsAreAnsweredInOrderEvenWhenTheFirstIsSlow()   // WEB11
    {
        var pending = new List<Request>();
        var h = new HttpHarness(new DelegateResource(r =>
        {
            if (r.Path == "/slow")
            {
                pending.Add(r);
                return RenderResult.NotDoneYet;
            }
            return r.Path;
        }));
        h.Send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\nGET /c HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal("", h.Output);            // /b is not answered before /slow
        pending[0].Write("slow");
        pending[0].Finish();
        var rs = h.Responses();
        Assert.Equal(["slow", "/b", "/c"], rs.Select(r => r.BodyText));
        Assert.True(rs[0].Chunked);
    }

    [Fact]
    public void InputDeliveredDuringARenderIsParsedAfterIt()
    {
        HttpHarness? h = null;
        int renders = 0;
        h = new HttpHarness(new DelegateResource(r =>
        {
            if (renders++ == 0) h!.Send("GET /2 HTTP/1.1\r\nHost: a\r\n\r\n");     // re-entrant delivery
            return r.Path;
        }));
        h.Send(Get);
        Assert.Equal(["/", "/2"], h.Responses().Select(r => r.BodyText));
    }

    [Fact]
    public void PipelineDepthIsBoundedByPausingTheTransport()
    {
        var pending = new Queue<Request>();
        var h = new HttpHarness(new DelegateResource(r =>
        {
            pending.Enqueue(r);
            return RenderResult.NotDoneYet;
        }), new HttpServerOptions { MaxPipelinedRequests = 2 });
        h.Send(string.Concat(Enumerable.Repeat(Get, 5)));
        Assert.Single(pending);
        Assert.Equal(ProducerState.Paused, h.Transport.ProducerState);
        pending.Dequeue().Finish();
        Assert.Single(pending);
        pending.Dequeue().Finish();
        pending.Dequeue().Finish();
        pending.Dequeue().Finish();
        pending.Dequeue().Finish();
        Assert.Equal(5, h.Responses().Count);
        Assert.Equal(ProducerState.Producing, h.Transport.ProducerState);
    }

    [Fact]
    public void Http10WithoutKeepAliveCloses()
    {
        var h = new HttpHarness().Send("GET / HTTP/1.0\r\n\r\n");
        Assert.Equal("close", h.Single().Header("Connection"));
        Assert.True(h.Closed);
    }

    [Fact]
    public void Http10WithKeepAliveStaysOpen()
    {
        var h = new HttpHarness().Send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        Assert.Equal("keep-alive", h.Single().Header("Connection"));
        Assert.False(h.Closed);
        h.Send("GET /2 HTTP/1.0\r\n\r\n");
        Assert.Equal(2, h.Responses().Count);
        Assert.True(h.Closed);
    }

    [Fact]
    public void Http10StreamedBodyIsDelimitedByTheClose()
    {
        var h = new HttpHarness(new DelegateResource(r =>
        {
            r.Write("a");
            r.Write("b");
            r.Finish();
            return RenderResult.NotDoneYet;
        })).Send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        var r = h.Single();
        Assert.False(r.Chunked);
        Assert.Null(r.Header("Content-Length"));
        Assert.Equal("ab", r.BodyText);
        Assert.True(h.Closed);
    }

    [Fact]
    public void ConnectionCloseClosesAndDropsWhatFollows()
    {
        var h = new HttpHarness().Send("GET /1 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal("close", h.Single().Header("Connection"));
        Assert.Equal(["/1"], h.Recorder.Uris);
        Assert.True(h.Closed);
    }

    [Fact]
    public void ResourceSettingConnectionCloseEndsTheConnection()
    {
        var h = new HttpHarness(new DelegateResource(r =>
        {
            r.SetHeader("Connection", "close");
            return "bye";
        })).Send(Get + Get);
        Assert.Equal("close", h.Single().Header("Connection"));
        Assert.True(h.Closed);
    }

    [Fact]
    public void ExpectContinueGetsAnInterimResponseBeforeTheBody()
    {
        var h = new HttpHarness().Send("POST /up HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
        Assert.Equal("HTTP/1.1 100 Continue\r\n\r\n", h.Output);
        h.Send("hello");
        var rs = h.Responses("POST", "POST");
        Assert.Equal(100, rs[0].Code);
        Assert.Equal(200, rs[1].Code);
        Assert.Equal("POST /up hello", rs[1].BodyText);
    }

    [Fact]
    public void ExpectContinueWithATooLargeBodyGets413AndNoInterimResponse()
    {
        var h = new HttpHarness(options: new HttpServerOptions { MaxBodyLength = 4 })
            .Send("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
        Assert.Equal(413, h.Single("POST").Code);
        Assert.True(h.Closed);
    }

    [Fact]
    public void ExpectContinueBehindAPendingResponseWaitsForIt()
    {
        var pending = new List<Request>();
        var h = new HttpHarness(new DelegateResource(r =>
        {
            if (r.Method == "GET")
            {
                pending.Add(r);
                return RenderResult.NotDoneYet;
            }
            return r.ReadBodyAsString();
        }));
        h.Send(Get + "POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
        Assert.Equal("", h.Output);
        pending[0].Finish();
        Assert.EndsWith("HTTP/1.1 100 Continue\r\n\r\n", h.Output);
        h.Send("hi");
        var rs = h.Responses("GET", "POST", "POST");
        Assert.Equal([200, 100, 200], rs.Select(r => r.Code));
        Assert.Equal("hi", rs[2].BodyText);
    }

    [Fact]
    public void HeadHasTheGetLengthAndNoBody()
    {
        var root = new GetOnly();
        var h = new HttpHarness(root).Send("HEAD / HTTP/1.1\r\nHost: a\r\n\r\n" + Get);
        var rs = h.Responses("HEAD", "GET");
        Assert.Equal("11", rs[0].Header("Content-Length"));
        Assert.Empty(rs[0].Body);
        Assert.Equal("hello world", rs[1].BodyText);
    }

    private sealed class GetOnly : Resource
    {
        public override bool IsLeaf => true;
        protected override RenderResult RenderGet(Request request) => "hello world";
    }

    [Theory]
    [InlineData(204)]
    [InlineData(304)]
    public void NoBodyStatusesSendNoBody(int code)
    {
        var h = new HttpHarness(new DelegateResource(r =>
        {
            r.SetResponseCode(code);
            r.Write("ignored");
            r.Finish();
            return RenderResult.NotDoneYet;
        })).Send(Get + Get);
        var rs = h.Responses();
        Assert.Equal(2, rs.Count);
        Assert.All(rs, r => Assert.Empty(r.Body));
        Assert.All(rs, r => Assert.Null(r.Header("Transfer-Encoding")));
        if (code == 204) Assert.All(rs, r => Assert.Null(r.Header("Content-Length")));
    }

    [Fact]
    public void ChunkedRequestBodyIsDecoded()
    {
        var h = new HttpHarness().Trickle("POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\nT: v\r\n\r\n");
        Assert.Equal("POST /c abcde", h.Single("POST").BodyText);
        Assert.False(h.Closed);
    }

    [Fact]
    public void StreamedResponseIsChunked()
    {
        Request? held = null;
        var h = new HttpHarness(new DelegateResource(r =>
        {
            held = r;
            r.Write("one,");
            return RenderResult.NotDoneYet;
        })).Send(Get);
        held!.Write("");            // an empty write must not end the chunked body
        held.Write("two");
        held.Finish();
        var r = h.Single();
        Assert.True(r.Chunked);
        Assert.Equal("one,two", r.BodyText);
    }

    [Fact]
    public void ExplicitContentLengthIsNotChunked()
    {
        var h = new HttpHarness(new DelegateResource(r =>
        {
            r.SetHeader("Content-Length", "3");
            r.Write("abc");
            r.Finish();
            return RenderResult.NotDoneYet;
        })).Send(Get);
        var r = h.Single();
        Assert.False(r.Chunked);
        Assert.Equal("abc", r.BodyText);
    }

    [Fact]
    public void WritingPastTheDeclaredContentLengthThrows()
    {
        Exception? e = null;
        var h = new HttpHarness(new DelegateResource(r =>
        {
            r.SetHeader("Content-Length", "3");
            r.Write("abc");
            e = Record.Exception(() => r.Write("d"));
            r.Finish();
            return RenderResult.NotDoneYet;
        })).Send(Get + Get);
        Assert.IsType<InvalidOperationException>(e);
        Assert.Equal(["abc", "abc"], h.Responses().Select(r => r.BodyText));
    }

    [Fact]
    public void FinishingShortOfTheDeclaredContentLengthAbortsTheConnection()
    {
        int rendered = 0;
        var h = new HttpHarness(new DelegateResource(r =>
        {
            rendered++;
            r.SetHeader("Content-Length", "10");
            r.Write("abc");
            r.Finish();
            return RenderResult.NotDoneYet;
        })).Send(Get + Get);
        Assert.True(h.Transport.Disconnected);
        Assert.Equal(1, rendered);      // the pipelined second request is not served on a broken connection
    }

    [Fact]
    public void AStaleContentLengthIsReplacedByTheReturnedBodysLength()
    {
        var h = new HttpHarness(new DelegateResource(r =>
        {
            r.SetHeader("Content-Length", "99");
            return "four";
        })).Send(Get + Get);
        Assert.All(h.Responses(), r => Assert.Equal("four", r.BodyText));
    }

    [Fact]
    public void AbsoluteFormTargetsAreServedByPath()
    {
        string? path = null, authority = null, host = null;
        var h = new HttpHarness(new DelegateResource(r =>
        {
            path = r.Path;
            authority = r.TargetAuthority;
            host = r.RequestedHost;
            return "";
        })).Send("GET http://example.com:81/p/q?x=1 HTTP/1.1\r\nHost: other\r\n\r\n");
        Assert.Equal(200, h.Single().Code);
        Assert.Equal("/p/q", path);
        Assert.Equal("example.com:81", authority);
        Assert.Equal("example.com:81", host);
    }

    [Fact]
    public void DateHeaderIsTheCachedWallClock()
    {
        var h = new HttpHarness().Send(Get + Get);
        Assert.All(h.Responses(), r => Assert.Equal("Wed, 02 Dec 2026 10:00:00 GMT", r.Header("Date")));
    }

    [Fact]
    public void IdleKeepAliveConnectionIsClosedAfterTheIdleTimeout()
    {
        var h = new HttpHarness(options: new HttpServerOptions { IdleTimeout = TimeSpan.FromSeconds(10) }).Send(Get);
        h.Clock.Advance(TimeSpan.FromSeconds(9));
        Assert.False(h.Closed);
        h.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(h.Closed);
        Assert.Single(h.Responses());          // nothing written for an idle close
    }

    [Fact]
    public void SlowHeadersGet408AtTheHeaderTimeoutEvenIfBytesKeepComing()
    {
        var h = new HttpHarness(options: new HttpServerOptions { HeaderTimeout = TimeSpan.FromSeconds(10) });
        foreach (var c in "GET / HTTP/1.1\r\nHost: a\r\nX: " + new string('v', 200))
        {
            h.Send(c.ToString());
            h.Clock.Advance(TimeSpan.FromSeconds(0.3));
            if (h.Closed) break;
        }
        Assert.True(h.Closed);
        Assert.Equal(408, h.Single().Code);
        Assert.True(h.Clock.Now <= TimeSpan.FromSeconds(10.3));
    }

    [Fact]
    public void SlowBodyGets408BelowTheMinimumRate()
    {
        var h = new HttpHarness(options: new HttpServerOptions { MinBodyDataRate = 100, MinBodyDataRateGracePeriod = TimeSpan.FromSeconds(5) })
            .Send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10000\r\n\r\n");
        h.Send(new string('x', 600));
        h.Clock.Advance(TimeSpan.FromSeconds(5));      // 600 bytes in 5 s: fast enough
        Assert.False(h.Closed);
        h.Send(new string('x', 100));
        h.Clock.Advance(TimeSpan.FromSeconds(5));      // 100 bytes in 5 s: too slow
        Assert.True(h.Closed);
        Assert.Equal(408, h.Single("POST").Code);
        Assert.Empty(h.Recorder.Seen);
    }

    [Fact]
    public void NoTimerRunsWhileTheApplicationIsAnswering()
    {
        Request? held = null;
        var h = new HttpHarness(new DelegateResource(r =>
        {
            held = r;
            return RenderResult.NotDoneYet;
        }), new HttpServerOptions { IdleTimeout = TimeSpan.FromSeconds(5), HeaderTimeout = TimeSpan.FromSeconds(5) }).Send(Get);
        h.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.False(h.Closed);
        held!.Finish();
        h.Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.True(h.Closed);
    }

    [Theory]
    [InlineData("X-A", "a\r\nInjected: yes")]
    [InlineData("X-A", "a\nb")]
    [InlineData("X-A", "a\rb")]
    [InlineData("X-A", "a\0b")]
    [InlineData("X A", "v")]
    [InlineData("X:A", "v")]
    [InlineData("", "v")]
    public void ResponseHeadersWithCrLfOrBadNamesAreRefused(string name, string value)
    {
        Exception? thrown = null;
        var h = new HttpHarness(new DelegateResource(r =>
        {
            thrown = Record.Exception(() => r.SetHeader(name, value));
            return "ok";
        })).Send(Get);
        Assert.IsType<ArgumentException>(thrown);
        Assert.DoesNotContain("Injected", h.Output);
        Assert.Equal(200, h.Single().Code);
    }

    [Fact]
    public void ReasonPhraseWithCrLfIsRefused()
    {
        var h = new HttpHarness(new DelegateResource(r =>
        {
            Assert.Throws<ArgumentException>(() => r.SetResponseCode(200, "OK\r\nX: y"));
            return "";
        })).Send(Get);
        Assert.Equal(200, h.Single().Code);
    }

    [Theory]
    [InlineData("GET /aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa HTTP/1.1\r\nHost: a\r\n\r\n", 414)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX: vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv\r\n\r\n", 431)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n", 431)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n", 413)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n6\r\nabcdef\r\n0\r\n\r\n", 413)]
    [InlineData("GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400)]
    [InlineData("GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501)]
    public void EveryLimitAnswersWithItsStatusAndCloses(string request, int status)
    {
        var options = new HttpServerOptions { MaxRequestLineLength = 64, MaxHeaderSectionLength = 100, MaxHeaderFields = 4, MaxBodyLength = 10 };
        var h = new HttpHarness(options: options).Send(request);
        var r = h.Single();
        Assert.Equal(status, r.Code);
        Assert.Equal("close", r.Header("Connection"));
        Assert.True(h.Closed);
        Assert.Empty(h.Recorder.Seen);
    }

    [Fact]
    public void AnErrorAfterAPendingResponseIsAnsweredInOrder()
    {
        Request? held = null;
        var h = new HttpHarness(new DelegateResource(r =>
        {
            held = r;
            return RenderResult.NotDoneYet;
        })).Send(Get + "BAD\r\n\r\n");
        Assert.Equal("", h.Output);
        Assert.False(h.Closed);
        held!.Write("first");
        held.Finish();
        var rs = h.Responses();
        Assert.Equal([200, 400], rs.Select(r => r.Code));
        Assert.True(h.Closed);
    }

    [Fact]
    public void NotifyFinishFiresWhenTheResponseIsSent()   // WEB10
    {
        Deferred<Unit>? finished = null;
        var h = new HttpHarness(new DelegateResource(r =>
        {
            finished = r.NotifyFinish();
            return "x";
        })).Send(Get);
        Assert.True(finished!.Called);
        Assert.True(finished.Result.Succeeded);
    }

    [Fact]
    public void NotifyFinishFailsWhenTheClientGoesAwayFirst()   // WEB10
    {
        Request? held = null;
        Failure? failure = null;
        var h = new HttpHarness(new DelegateResource(r =>
        {
            held = r;
            r.NotifyFinish().AddErrback(f => { failure = f; });
            return RenderResult.NotDoneYet;
        })).Send(Get);
        h.Protocol.ConnectionLost(new Failure(new Twine.Net.ConnectionLostException()));
        Assert.NotNull(failure);
        Assert.True(failure!.Check<Twine.Net.ConnectionLostException>());
        held!.Write("late");          // writes after the loss are dropped, not thrown
        held.Finish();
        Assert.Equal("", h.Output);
    }

    [Fact]
    public void RequestIsAConsumerForAPullProducer()   // WEB12
    {
        var h = new HttpHarness(new DelegateResource(r =>
        {
            new Twine.Protocols.FileSender().BeginFileTransfer(new MemoryStream(Encoding.ASCII.GetBytes("streamed body")), r)
                .AddCallback(_ => r.Finish());
            return RenderResult.NotDoneYet;
        })).Send(Get);
        var producer = Assert.IsAssignableFrom<Twine.Net.IPullProducer>(h.Transport.Producer);
        Assert.False(h.Transport.Streaming);
        while (h.Transport.Producer is not null) producer.ResumeProducing();     // the transport asks as it drains
        var r = h.Single();
        Assert.Equal("streamed body", r.BodyText);
    }

    [Fact]
    public void WritingAfterFinishThrows()
    {
        Exception? e = null;
        new HttpHarness(new DelegateResource(r =>
        {
            r.Finish();
            e = Record.Exception(() => r.Write("x"));
            return RenderResult.NotDoneYet;
        })).Send(Get);
        Assert.IsType<InvalidOperationException>(e);
    }

    [Fact]
    public void BodyPastTheSpoolThresholdGoesToATemporaryFile()
    {
        long length = 0;
        bool spooledIsFile = false;
        var h = new HttpHarness(new DelegateResource(r =>
        {
            length = r.ContentLength;
            spooledIsFile = r.Content is FileStream;
            return r.ReadBody().Length.ToString();
        }), new HttpServerOptions { BodySpoolThreshold = 100 });
        h.Send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n" + new string('z', 1000));
        Assert.Equal("1000", h.Single("POST").BodyText);
        Assert.True(spooledIsFile);
        Assert.Equal(1000, length);
    }
}
