using System.Text;
using Twine.Net;
using Twine.Time;
using Twine.Web.Http;
using Twine.Web.Server;

namespace Twine.Web;

/// <summary>
/// HTTP/1.1 on one connection, after twisted.web's <c>HTTPChannel</c>: parses requests incrementally from the receive
/// buffer, reads their bodies (Content-Length or chunked, with 100-continue), hands complete requests to the
/// <see cref="Site"/> one at a time so responses go out strictly in request order, and applies the keep-alive,
/// pipelining, size and time limits of <see cref="HttpServerOptions"/>.
/// </summary>
/// <remarks>
/// After any framing error the connection answers (in order, after the responses already owed), then closes; the
/// bytes after the error are never parsed, so a smuggled request can never be served.
/// </remarks>
internal sealed class HttpServerProtocol : IProtocol, IRequestChannel
{
    private enum TimerKind { None, Idle, Header, BodyRate }

    private readonly Site _site;
    private readonly HttpServerOptions _options;
    private readonly IReactorTime _time;
    private readonly RequestHeadParser _parser;
    private readonly ChunkedDecoder _chunked;
    private readonly InputBuffer _input = new();
    private readonly Queue<Request> _queue = new();
    private ITransport? _transport;

    private Request? _reading;           // the request whose body is arriving
    private RequestBody? _readingBody;   // where it goes, unless it is streamed
    private bool _streaming;             // _reading's body goes to its resource as it arrives (and _reading is _active)
    private bool _bodyPaused;            // ... whose receiver asked for a pause
    private long _bodyRemaining;
    private long _bodyBytes;             // body bytes of _reading so far
    private long _bodyLimit;
    private bool _continueOwed;          // 100 Continue to send once the responses before it are out
    private Request? _active;            // the request being rendered and answered
    private HttpParseException? _fatal;  // the error to answer once the responses before it are out
    private bool _stopped;               // no more input is parsed
    private bool _processing;
    private bool _moreInput;             // input arrived, or room in the pipeline opened, while parsing
    private bool _dispatching;
    private bool _readPaused;

    private Request? _upgradeHold;       // an Upgrade request: nothing after it is parsed as HTTP until it is answered
    private IProtocol? _switched;        // after a 101, the protocol that owns the connection
    private byte[]? _handOver;           // bytes that followed the 101'd request, for the switched protocol

    private IDelayedCall? _timer;
    private TimerKind _timerKind;
    private long _bodyBytesAtCheck;

    public HttpServerProtocol(Site site)
    {
        _site = site;
        _options = site.Options;
        _time = site.Time;
        _parser = new RequestHeadParser(_options.MaxRequestLineLength, _options.MaxHeaderSectionLength, _options.MaxHeaderFields);
        _chunked = new ChunkedDecoder(_options.MaxChunkSizeLine, _options.MaxHeaderSectionLength, _options.MaxHeaderFields);
        Date = site.Date;
    }

    public ITransport Transport => _transport ?? throw new InvalidOperationException("Not connected.");

    public bool IsClosed { get; private set; }

    public HttpDate Date { get; }

    public ByteWriter HeadWriter { get; } = new();

    public void MakeConnection(ITransport transport)
    {
        _transport = transport;
        ArmWaitTimer();
    }

    public void DataReceived(ReadOnlySpan<byte> data)
    {
        if (_switched is not null)
        {
            _switched.DataReceived(data);
            return;
        }
        if (_stopped || IsClosed) return;
        _input.Append(data);
        ProcessInput();
    }

    public void ConnectionLost(Failure reason)
    {
        if (IsClosed) return;
        IsClosed = true;
        if (_switched is not null)
        {
            _switched.ConnectionLost(reason);
            return;
        }
        _stopped = true;
        StopTimer();
        _input.Clear();
        if (_streaming && _reading is { } streamed) streamed.EndStreamedBody(reason);
        _active?.ConnectionLost(reason);
        _active = null;
        foreach (var r in _queue) r.DisposeBody();
        _queue.Clear();
        _readingBody?.Dispose();
        _reading = null;
    }

    private void ProcessInput()
    {
        if (_stopped) return;
        if (_processing)
        {
            // Re-entrant input (a callback led the transport to deliver more): the running parse picks it up.
            _moreInput = true;
            return;
        }
        do
        {
            _moreInput = false;
            _processing = true;
            _input.Hold();
            int consumed = 0;
            try
            {
                consumed = Parse(_input.Span);
            }
            catch (HttpParseException e)
            {
                Fail(e);
            }
            finally
            {
                _input.Release();
                _processing = false;
            }
            if (_stopped)
            {
                if (_switched is not null && _handOver is null && consumed < _input.Length) _handOver = _input.Span[consumed..].ToArray();
                _input.Clear();
                DeliverHandOver();
                return;
            }
            _input.Consume(consumed);
        }
        while (_moreInput);
        ArmWaitTimer();
    }

    /// <summary>Parses as many requests (heads and bodies) from <paramref name="data"/> as the pipeline allows.</summary>
    private int Parse(ReadOnlySpan<byte> data)
    {
        int pos = 0;
        while (!_stopped && !IsClosed)
        {
            if (_reading is null)
            {
                if (_upgradeHold is not null) break;
                if (_queue.Count + (_active is null ? 0 : 1) >= _options.MaxPipelinedRequests)
                {
                    PauseReading();
                    break;
                }
                var head = _parser.TryParse(data[pos..], out int used);
                if (head is null) break;
                pos += used;
                _parser.Reset();
                StartRequest(head);
            }
            else
            {
                int used = ReadBody(data[pos..]);
                pos += used;
                if (used == 0 && _reading is not null) break;
            }
        }
        return pos;
    }

    private void StartRequest(RequestHead head)
    {
        var request = new Request(this, head, _site);
        if (head.BodyKind == BodyKind.None)
        {
            Complete(request);
            return;
        }
        // A body can be streamed only to the request being answered: one behind another is read whole meanwhile.
        long limit = _options.MaxBodyLength;
        bool stream = false;
        if (_active is null && _queue.Count == 0 && _site.LocateEarly(request) is IBodyStreamingResource streamer)
        {
            stream = true;
            limit = streamer.MaxBodyLength;
        }
        if (head.BodyKind == BodyKind.Length && head.ContentLength > limit)
            throw new HttpParseException(413, $"The request body ({head.ContentLength} bytes) is larger than {limit} bytes.");
        _reading = request;
        _streaming = stream;
        _bodyPaused = false;
        _bodyBytes = 0;
        _bodyLimit = limit;
        _readingBody = stream ? null : new RequestBody(_options.BodySpoolThreshold);
        _bodyRemaining = head.ContentLength;
        if (head.BodyKind == BodyKind.Chunked) _chunked.Reset();
        if (head.ExpectContinue)
        {
            if (_active is null && _queue.Count == 0) Transport.Write("HTTP/1.1 100 Continue\r\n\r\n"u8);
            else _continueOwed = true;
        }
        if (_active is null && _queue.Count == 0) ArmBodyRateTimer();
        if (stream)
        {
            // Render now; the body flows once the resource calls DeliverBody (until then reading waits).
            request.BeginStreamedBody();
            _queue.Enqueue(request);
            if (!_dispatching) Dispatch();
        }
    }

    private int ReadBody(ReadOnlySpan<byte> data)
    {
        var request = _reading!;
        if (_streaming && (!request.HasBodyReceiver || _bodyPaused))
        {
            // Nowhere to put the bytes yet: leave them unread and stop reading from the client (flow control).
            PauseReading();
            return 0;
        }
        if (request.Head.BodyKind == BodyKind.Length)
        {
            int n = (int)Math.Min(_bodyRemaining, data.Length);
            _bodyRemaining -= n;
            TakeBody(data[..n]);
            if (_bodyRemaining == 0 && ReferenceEquals(_reading, request)) FinishBody();
            return n;
        }
        int pos = 0;
        while (true)
        {
            var status = _chunked.Decode(data[pos..], out int used, out int offset, out int length);
            if (status == ChunkedStatus.Data)
            {
                if (_bodyBytes + length > _bodyLimit)
                    throw new HttpParseException(413, $"The chunked request body is larger than {_bodyLimit} bytes.");
                pos += used;
                TakeBody(data.Slice(pos - used + offset, length));
                // A receiver may pause, answer, or close in its callback: stop here if the body is no longer wanted now.
                if (!ReferenceEquals(_reading, request) || _stopped || IsClosed) return pos;
                if (_bodyPaused) return pos;
                continue;
            }
            pos += used;
            if (status == ChunkedStatus.Done)
            {
                FinishBody();
                return pos;
            }
            if (status == ChunkedStatus.NeedMore) return pos;
        }
    }

    private void TakeBody(ReadOnlySpan<byte> data)
    {
        _bodyBytes += data.Length;
        if (_streaming) _reading!.StreamedBodyData(data);
        else _readingBody!.Append(data);
    }

    private void FinishBody()
    {
        var request = _reading!;
        if (request.Head.BodyKind == BodyKind.Chunked) request.SetTrailers(_chunked.TakeTrailers());
        bool streamed = _streaming;
        if (!streamed) request.SetBody(_readingBody!);
        _reading = null;
        _readingBody = null;
        _streaming = false;
        _continueOwed = false;
        if (_timerKind == TimerKind.BodyRate) CancelTimer();
        if (streamed) request.EndStreamedBody(null);       // already being answered: nothing to queue
        else Complete(request);
    }

    void IRequestChannel.PauseBody(Request request)
    {
        if (!_streaming || !ReferenceEquals(_reading, request) || _bodyPaused) return;
        _bodyPaused = true;
        if (_timerKind == TimerKind.BodyRate) CancelTimer();   // a receiver's pause is not a slow client
        PauseReading();
    }

    void IRequestChannel.ResumeBody(Request request)
    {
        if (!_streaming || !ReferenceEquals(_reading, request) || IsClosed || _stopped) return;
        _bodyPaused = false;
        if (_readPaused)
        {
            _readPaused = false;
            Transport.ResumeProducing();
        }
        ArmBodyRateTimer();
        ProcessInput();
    }

    private void Complete(Request request)
    {
        if (request.WantsUpgrade) _upgradeHold = request;
        _queue.Enqueue(request);
        CancelTimer();
        if (!_dispatching) Dispatch();
    }

    /// <summary>Renders queued requests one at a time, in order.</summary>
    private void Dispatch()
    {
        _dispatching = true;
        try
        {
            while (_active is null && !IsClosed && _queue.TryDequeue(out var next))
            {
                _active = next;
                _site.Process(next);
            }
        }
        finally
        {
            _dispatching = false;
        }
    }

    void IRequestChannel.ResponseFinished(Request request)
    {
        if (!ReferenceEquals(request, _active)) return;
        _active = null;
        if (ReferenceEquals(request, _upgradeHold)) _upgradeHold = null;   // answered without switching: HTTP goes on
        request.DisposeBody();
        _site.LogAccess(request);
        if (IsClosed) return;
        if (ReferenceEquals(_reading, request))
        {
            // Answered before its streamed body was all read: the rest cannot be told from a next request without
            // reading it, and the resource did not want it, so the connection ends here.
            _reading = null;
            _streaming = false;
            request.EndStreamedBody(new Failure(new InvalidOperationException("The response finished before the request body was read.")));
            _stopped = true;
            foreach (var r in _queue) r.DisposeBody();
            _queue.Clear();
            StopTimer();
            Transport.LoseConnection();
            return;
        }
        if (!request.KeepAlive)
        {
            // The response said the connection ends here: whatever was pipelined behind it is dropped unread.
            _stopped = true;
            foreach (var r in _queue) r.DisposeBody();
            _queue.Clear();
            StopTimer();
            Transport.LoseConnection();
            return;
        }
        if (_queue.Count > 0)
        {
            if (!_dispatching) Dispatch();
            return;
        }
        if (_fatal is { } error)
        {
            _fatal = null;
            AnswerErrorAndClose(error);
            return;
        }
        if (_continueOwed)
        {
            _continueOwed = false;
            Transport.Write("HTTP/1.1 100 Continue\r\n\r\n"u8);
        }
        if (_readPaused)
        {
            _readPaused = false;
            Transport.ResumeProducing();
        }
        if (_reading is not null) ArmBodyRateTimer();
        else ArmWaitTimer();
        ProcessInput();
    }

    void IRequestChannel.SwitchProtocols(Request request, IProtocol protocol)
    {
        if (!ReferenceEquals(request, _active) || IsClosed)
            throw new InvalidOperationException("Only the request being answered on an open connection can switch protocols.");
        _active = null;
        _upgradeHold = null;
        _stopped = true;
        StopTimer();
        request.DisposeBody();
        _site.LogAccess(request);
        _switched = protocol;
        if (_readPaused)
        {
            _readPaused = false;
            Transport.ResumeProducing();
        }
        protocol.MakeConnection(Transport);
        // Bytes the client sent right behind its request belong to the new protocol. While a parse is running they
        // are still in the input buffer, and ProcessInput hands them over when it unwinds.
        if (!_processing)
        {
            if (!_input.IsEmpty) _handOver = _input.Span.ToArray();
            _input.Clear();
            DeliverHandOver();
        }
    }

    private void DeliverHandOver()
    {
        if (_handOver is not { } bytes || _switched is null || IsClosed) return;
        _handOver = null;
        _switched.DataReceived(bytes);
    }

    /// <summary>A framing error: stop parsing for good, and answer once the responses owed before it are out.</summary>
    private void Fail(HttpParseException error)
    {
        _stopped = true;
        CancelTimer();
        _readingBody?.Dispose();
        var reading = _reading;
        bool streamed = _streaming;
        _reading = null;
        _readingBody = null;
        _streaming = false;
        if (streamed && reading is not null)
        {
            // The request being answered will never get the rest of its body. Its response is void: answer the error
            // if nothing was sent yet, else cut the connection (a half-sent response cannot become an error page).
            var failure = new Failure(error);
            reading.EndStreamedBody(failure);
            reading.ConnectionLost(failure);
            if (ReferenceEquals(_active, reading)) _active = null;
            if (reading.StartedWriting)
            {
                StopTimer();
                Transport.AbortConnection();
                return;
            }
        }
        if (_active is null && _queue.Count == 0) AnswerErrorAndClose(error);
        else _fatal = error;
    }

    private void AnswerErrorAndClose(HttpParseException error)
    {
        _stopped = true;
        StopTimer();
        _site.LogRejected(Transport.Peer, error);
        if (_readPaused) _readPaused = false;
        var body = Encoding.UTF8.GetBytes($"{error.StatusCode} {HttpStatus.ReasonPhrase(error.StatusCode)}: {error.Message}\n");
        var w = HeadWriter;
        w.Clear();
        w.Write(Encoding.ASCII.GetBytes($"HTTP/1.1 {error.StatusCode} {HttpStatus.ReasonPhrase(error.StatusCode)}\r\n"));
        w.Write(Date.HeaderLine);
        w.Write("Content-Type: text/plain; charset=utf-8\r\nConnection: close\r\nContent-Length: "u8);
        w.WriteNumber(body.Length);
        w.Write("\r\n\r\n"u8);
        Transport.Write(w.Span);
        Transport.Write(body);
        Transport.LoseConnection();
    }

    private void PauseReading()
    {
        if (_readPaused) return;
        _readPaused = true;
        Transport.PauseProducing();
    }

    // Timers: only one runs at a time. While a response is owed the client is waiting on us, so no read timer runs.

    private void ArmWaitTimer()
    {
        if (_stopped || IsClosed || _active is not null || _queue.Count > 0 || _reading is not null) return;
        if (_parser.Started)
        {
            // The header timeout runs from the head's first byte: later bytes do not extend it (slowloris).
            if (_timerKind == TimerKind.Header) return;
            SetTimer(TimerKind.Header, _options.HeaderTimeout);
        }
        else
        {
            SetTimer(TimerKind.Idle, _options.IdleTimeout);
        }
    }

    private void ArmBodyRateTimer()
    {
        if (_options.MinBodyDataRate <= 0 || _reading is null || _bodyPaused) return;
        _bodyBytesAtCheck = _bodyBytes;
        SetTimer(TimerKind.BodyRate, _options.MinBodyDataRateGracePeriod);
    }

    private void SetTimer(TimerKind kind, TimeSpan delay)
    {
        _timerKind = kind;
        // One delayed call per connection, moved rather than replaced: a keep-alive request costs no timer allocation.
        if (_timer is { IsActive: true } t) t.Reset(delay);
        else _timer = _time.CallLater(delay, static self => self.TimerFired(), this);
    }

    /// <summary>Disarms the timer; the call stays scheduled (cheaper to move later than to cancel) and is ignored if it fires.</summary>
    private void CancelTimer() => _timerKind = TimerKind.None;

    /// <summary>Really cancels the timer, when the connection is done with it.</summary>
    private void StopTimer()
    {
        _timerKind = TimerKind.None;
        if (_timer is { IsActive: true } t) t.Cancel();
        _timer = null;
    }

    private void TimerFired()
    {
        var kind = _timerKind;
        _timer = null;
        _timerKind = TimerKind.None;
        if (IsClosed) return;
        switch (kind)
        {
            case TimerKind.Idle:
                _stopped = true;
                StopTimer();
                Transport.LoseConnection();
                break;
            case TimerKind.Header:
                Fail(new HttpParseException(408, $"The request head did not arrive within {_options.HeaderTimeout.TotalSeconds:0.###} s."));
                break;
            case TimerKind.BodyRate:
                long received = _bodyBytes - _bodyBytesAtCheck;
                if (received < _options.MinBodyDataRate * _options.MinBodyDataRateGracePeriod.TotalSeconds)
                    Fail(new HttpParseException(408, $"The request body arrived slower than {_options.MinBodyDataRate} bytes/s."));
                else ArmBodyRateTimer();
                break;
        }
    }
}
