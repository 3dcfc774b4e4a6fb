using System.Text;
using Twine.Net;
using Twine.Testing;
using Twine.Web.Server;

namespace Twine.Web.Tests;

/// <summary>
/// Streamed request bodies (WEB14): a resource that implements IBodyStreamingResource is rendered when the
/// head arrives and takes the body as it comes, pausing the socket when it is slow; its own limit gives 413.
/// </summary>
public sealed class StreamingBodyTests
{
    /// <summary>Records what a receiver hears; can pause on each piece.</summary>
    private sealed class Receiver : IBodyReceiver
    {
        public IPushProducer? Flow;
        public readonly MemoryStream Body = new();
        public readonly List<int> Pieces = [];
        public bool Finished;
        public Failure? Error;
        public bool PauseEachPiece;
        public Action<Failure?>? OnFinished;

        public void BodyStarted(IPushProducer flow) => Flow = flow;

        public void BodyReceived(ReadOnlySpan<byte> data)
        {
            Body.Write(data);
            Pieces.Add(data.Length);
            if (PauseEachPiece) Flow!.PauseProducing();
        }

        public void BodyFinished(Failure? error)
        {
            Finished = true;
            Error = error;
            OnFinished?.Invoke(error);
        }

        public string Text => Encoding.Latin1.GetString(Body.ToArray());
    }

    /// <summary>A streaming resource: on render, hands the body to a receiver (now or when told) and answers at the end.</summary>
    private sealed class Upload(long limit = 1 << 20) : Resource, IBodyStreamingResource
    {
        public long MaxBodyLength => limit;
        public override bool IsLeaf => true;
        public Request? Request;
        public Receiver Receiver = new();
        public bool DeliverAtOnce = true;
        public int Renders;

        public override RenderResult Render(Request request)
        {
            Renders++;
            Request = request;
            Receiver.OnFinished = error =>
            {
                if (error is not null) return;
                request.Write($"got {Receiver.Body.Length}");
                request.Finish();
            };
            if (DeliverAtOnce) request.DeliverBody(Receiver);
            return RenderResult.NotDoneYet;
        }
    }

    private static HttpHarness Harness(Upload upload, HttpServerOptions? options = null)
    {
        var root = new Resource();
        root.PutChild("up", upload);
        root.PutChild("plain", new DelegateResource(r => "plain " + r.ReadBodyAsString()));
        return new HttpHarness(root, options);
    }

    [Fact]
    public void TheResourceIsRenderedBeforeTheBodyAndGetsItAsItArrives()
    {
        var upload = new Upload();
        var h = Harness(upload).Send("POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");
        Assert.Equal(1, upload.Renders);
        Assert.Equal("abc", upload.Receiver.Text);
        Assert.False(upload.Receiver.Finished);
        Assert.Throws<InvalidOperationException>(() => upload.Request!.Content);
        h.Send("defg").Send("hij");
        Assert.Equal("abcdefghij", upload.Receiver.Text);
        Assert.True(upload.Receiver.Finished);
        Assert.Null(upload.Receiver.Error);
        Assert.Equal("got 10", h.Single("POST").BodyText);
        Assert.False(h.Closed);
    }

    [Fact]
    public void ChunkedBodiesStreamAndTheirTrailersAreThereAtTheEnd()
    {
        var upload = new Upload();
        string? trailer = null;
        var h = Harness(upload);
        h.Send("POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n");
        Assert.Equal("abc", upload.Receiver.Text);
        upload.Receiver.OnFinished += _ => trailer = upload.Request!.Trailers.Get("Checksum");
        h.Send("2\r\nde\r\n0\r\nChecksum: 42\r\n\r\nGET /plain HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal("42", trailer);
        var rs = h.Responses("POST", "GET");
        Assert.Equal("got 5", rs[0].BodyText);
        Assert.Equal("plain ", rs[1].BodyText);
    }

    [Fact]
    public void ASlowReceiverPausesTheSocketAndResumingDeliversWhatWaited()
    {
        var upload = new Upload();
        upload.Receiver.PauseEachPiece = true;
        var h = Harness(upload);
        h.Send("POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n");
        Assert.Equal("abc", upload.Receiver.Text);              // one piece, then paused: the rest waits unread
        Assert.Equal(ProducerState.Paused, h.Transport.ProducerState);
        upload.Receiver.Flow!.ResumeProducing();
        Assert.Equal("abcdefg", upload.Receiver.Text);
        Assert.False(upload.Receiver.Finished);                 // paused again after "defg"
        upload.Receiver.PauseEachPiece = false;
        upload.Receiver.Flow.ResumeProducing();
        Assert.True(upload.Receiver.Finished);
        Assert.Equal(ProducerState.Producing, h.Transport.ProducerState);
        Assert.Equal("got 7", h.Single("POST").BodyText);
    }

    [Fact]
    public void UntilTheResourceAsksForTheBodyNothingIsReadAndThePauseIsNotASlowClient()
    {
        var upload = new Upload { DeliverAtOnce = false };
        var h = Harness(upload, new HttpServerOptions { MinBodyDataRate = 1000, MinBodyDataRateGracePeriod = TimeSpan.FromSeconds(1) });
        h.Send("POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nxyz");
        Assert.Equal(1, upload.Renders);
        Assert.Equal(ProducerState.Paused, h.Transport.ProducerState);
        upload.Request!.DeliverBody(upload.Receiver);
        Assert.Equal("got 3", h.Single("POST").BodyText);
        Assert.Equal(ProducerState.Producing, h.Transport.ProducerState);
    }

    [Fact]
    public void TheResourcesOwnLimitGives413BeforeRenderingForAContentLength()
    {
        var upload = new Upload(limit: 5);
        var h = Harness(upload).Send("POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\n\r\nabcdef");
        Assert.Equal(413, h.Single("POST").Code);
        Assert.True(h.Closed);
        Assert.Equal(0, upload.Renders);
    }

    [Fact]
    public void AStreamingResourceMayTakeMoreThanTheSiteLimit()
    {
        var upload = new Upload(limit: 100);
        var h = Harness(upload, new HttpServerOptions { MaxBodyLength = 4 }).Send("POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 50\r\n\r\n" + new string('x', 50));
        Assert.Equal("got 50", h.Single("POST").BodyText);
    }

    [Fact]
    public void AChunkedBodyOverTheLimitFailsTheReceiverAndIsAnswered413()
    {
        var upload = new Upload(limit: 5);
        Failure? notified = null;
        var h = Harness(upload);
        h.Send("POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n");
        upload.Request!.NotifyFinish().AddErrback(f => notified = f);
        h.Send("3\r\ndef\r\n0\r\n\r\nGET /plain HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal("abc", upload.Receiver.Text);
        Assert.IsType<Twine.Web.Http.HttpParseException>(upload.Receiver.Error!.Value);
        Assert.NotNull(notified);
        Assert.Equal(413, h.Single("POST").Code);               // and the pipelined GET is never served
        Assert.True(h.Closed);
        upload.Request.Write("ignored");                        // the void response takes writes harmlessly
        upload.Request.Finish();
        Assert.Single(h.Responses("POST"));
    }

    [Fact]
    public void AMalformedChunkAfterTheResponseStartedCutsTheConnection()
    {
        var upload = new Upload();
        var h = Harness(upload);
        h.Send("POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n");
        upload.Request!.Write("early ");
        h.Send("zz\r\n");
        Assert.NotNull(upload.Receiver.Error);
        Assert.True(h.Transport.Disconnecting || h.Transport.Disconnected);
        Assert.DoesNotContain("400", h.Output);
    }

    [Fact]
    public void TheClientGoingAwayFailsTheReceiver()
    {
        var upload = new Upload();
        var h = Harness(upload).Send("POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");
        h.Protocol.ConnectionLost(new Failure(new ConnectionLostException()));
        Assert.IsType<ConnectionLostException>(upload.Receiver.Error!.Value);
    }

    [Fact]
    public void AnsweringBeforeTheBodyIsReadClosesTheConnection()
    {
        var root = new Resource();
        Receiver? receiver = null;
        root.PutChild("up", new EarlyAnswer(r => receiver = r));
        var h = new HttpHarness(root).Send("POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");
        Assert.Equal(401, h.Single("POST").Code);
        Assert.True(h.Closed);
        Assert.NotNull(receiver!.Error);
        h.Send("defghijGET / HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Single(h.Responses("POST"));
    }

    [Fact]
    public void APipelinedStreamingRequestIsBufferedAndReplayedThroughTheSameApi()
    {
        var upload = new Upload();
        Request? held = null;
        var root = new Resource();
        root.PutChild("up", upload);
        root.PutChild("hold", new DelegateResource(r => { held = r; return RenderResult.NotDoneYet; }));
        var h = new HttpHarness(root);
        h.Send("GET /hold HTTP/1.1\r\nHost: a\r\n\r\nPOST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello");
        Assert.Equal(0, upload.Renders);
        held!.Finish();
        Assert.Equal(1, upload.Renders);
        Assert.Equal("hello", upload.Receiver.Text);
        Assert.Equal("got 5", h.Responses("GET", "POST")[1].BodyText);
    }

    [Fact]
    public void DeliverBodyWorksOnAnyRequestAndTwiceIsAnError()
    {
        var receiver = new Receiver();
        Exception? twice = null;
        var h = new HttpHarness(new DelegateResource(r =>
        {
            r.DeliverBody(receiver);
            twice = Record.Exception(() => r.DeliverBody(new Receiver()));
            return "done";
        })).Send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nbody");
        Assert.Equal("body", receiver.Text);
        Assert.True(receiver.Finished);
        Assert.IsType<InvalidOperationException>(twice);
        Assert.Equal("done", h.Single("POST").BodyText);
    }

    private sealed class EarlyAnswer(Action<Receiver> seen) : Resource, IBodyStreamingResource
    {
        public long MaxBodyLength => 1 << 20;
        public override bool IsLeaf => true;

        public override RenderResult Render(Request request)
        {
            var receiver = new Receiver();
            seen(receiver);
            request.DeliverBody(receiver);
            request.SetResponseCode(401);
            return "no";
        }
    }
}
