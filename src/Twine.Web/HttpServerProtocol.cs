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
    private RequestBody? _readingBody;
    private long _bodyRemaining;
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
        if (head.BodyKind == BodyKind.Length && head.ContentLength > _options.MaxBodyLength)
            throw new HttpParseException(413, $"The request body ({head.ContentLength} bytes) is larger than {_options.MaxBodyLength} bytes.");
        var request = new Request(this, head, _site);
        if (head.BodyKind == BodyKind.None)
        {
            Complete(request);
            return;
        }
        _reading = request;
        _readingBody = new RequestBody(_options.BodySpoolThreshold);
        _bodyRemaining = head.ContentLength;
        if (head.BodyKind == BodyKind.Chunked) _chunked.Reset();
        if (head.ExpectContinue)
        {
            if (_active is null && _queue.Count == 0) Transport.Write("HTTP/1.1 100 Continue\r\n\r\n"u8);
            else _continueOwed = true;
        }
        if (_active is null && _queue.Count == 0) ArmBodyRateTimer();
    }

    private int ReadBody(ReadOnlySpan<byte> data)
    {
        var body = _readingBody!;
        if (_reading!.Head.BodyKind == BodyKind.Length)
        {
            int n = (int)Math.Min(_bodyRemaining, data.Length);
            body.Append(data[..n]);
            _bodyRemaining -= n;
            if (_bodyRemaining == 0) FinishBody();
            return n;
        }
        int pos = 0;
        while (true)
        {
            var status = _chunked.Decode(data[pos..], out int used, out int offset, out int length);
            if (status == ChunkedStatus.Data)
            {
                if (body.Length + length > _options.MaxBodyLength)
                    throw new HttpParseException(413, $"The chunked request body is larger than {_options.MaxBodyLength} bytes.");
                body.Append(data.Slice(pos + offset, length));
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

    private void FinishBody()
    {
        var request = _reading!;
        request.SetBody(_readingBody!);
        _reading = null;
        _readingBody = null;
        _continueOwed = false;
        if (_timerKind == TimerKind.BodyRate) CancelTimer();
        Complete(request);
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
        _reading = null;
        _readingBody = null;
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
        if (_options.MinBodyDataRate <= 0 || _readingBody is null) return;
        _bodyBytesAtCheck = _readingBody.Length;
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
                long received = (_readingBody?.Length ?? 0) - _bodyBytesAtCheck;
                if (received < _options.MinBodyDataRate * _options.MinBodyDataRateGracePeriod.TotalSeconds)
                    Fail(new HttpParseException(408, $"The request body arrived slower than {_options.MinBodyDataRate} bytes/s."));
                else ArmBodyRateTimer();
                break;
        }
    }
}
