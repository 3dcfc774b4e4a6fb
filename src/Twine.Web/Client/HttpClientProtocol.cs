using System.Buffers;
using System.Text;
using Twine.Defer;
using Twine.Net;
using Twine.Web.Http;

namespace Twine.Web.Client;

/// <summary>
/// One client connection, carrying one request at a time (no pipelining, as Twisted's <c>HTTP11ClientProtocol</c>):
/// writes the request and streams its body, parses the response head with the server's own head scanner and field
/// rules (<see cref="ResponseHeadParser"/>), skips 1xx responses, frames the body by Content-Length, chunked coding or
/// the close, and then tells its pool whether it can carry another request.
/// </summary>
internal sealed class HttpClientProtocol : Protocol
{
    private enum State { Idle, Head, Body, Closing, Closed }

    private readonly ResponseHeadParser _parser = new();
    private readonly ArrayBufferWriter<byte> _pending = new();   // head bytes, or undecoded chunked bytes
    private State _state = State.Idle;
    private ClientRequest? _request;
    private RequestBodyConsumer? _requestBody;                   // while the request body is being produced
    private bool _requestBodySent;
    private ResponseHead? _head;
    private ConnectionBody? _body;
    private long _remaining, _received;
    private ChunkedDecoder? _chunked;
    private bool _receivedAny;
    private bool _paused;

    /// <summary>Whether this connection carried a request before the current one (only such a one is retried).</summary>
    public bool Reused { get; set; }

    /// <summary>Called when a response is complete and the connection can carry another request.</summary>
    public Action<HttpClientProtocol>? Released { get; set; }

    /// <summary>Called once when the connection has closed, whatever it was doing.</summary>
    public Action<HttpClientProtocol, ClientRequest?, Failure>? Lost { get; set; }

    /// <summary>Whether the connection is open with no request on it.</summary>
    public bool IsIdle => _state == State.Idle && TransportOrNull is not null;

    /// <summary>Sends <paramref name="request"/>; its Deferred fires when the response head arrives.</summary>
    public void Send(ClientRequest request)
    {
        _request = request;
        _state = State.Head;
        _receivedAny = false;
        _head = null;
        _body = null;
        _parser.Reset();
        _pending.Clear();
        ResumeTransport();
        Transport.Write(request.Head);
        _requestBodySent = request.Body is null;
        if (request.Body is { } producer) StartRequestBody(request, producer);
    }

    public override void DataReceived(ReadOnlySpan<byte> data)
    {
        switch (_state)
        {
            case State.Head:
                _receivedAny = true;
                ReceiveHead(data);
                break;
            case State.Body:
                ReceiveBody(data);
                break;
            case State.Idle:
                // Bytes nobody asked for: the server is confused, and the next response could not be trusted.
                Transport.AbortConnection();
                _state = State.Closing;
                break;
        }
    }

    public override void ConnectionLost(Failure reason)
    {
        var state = _state;
        var request = _request;
        _state = State.Closed;
        StopRequestBody();
        if (state == State.Body) EndBodyOnClose(reason);
        // The pool decides between failing the request and retrying it (a reused connection the server had closed).
        Lost?.Invoke(this, state == State.Head ? request : null, reason);
    }

    /// <summary>Whether a request lost with this connection failed before any response byte arrived.</summary>
    public bool NothingReceived => !_receivedAny;

    /// <summary>Drops the connection at once (a failed body, a cancelled request).</summary>
    public void Abort()
    {
        if (_state is State.Closed) return;
        if (TransportOrNull is { } transport) transport.AbortConnection();
    }

    /// <summary>Closes an idle connection cleanly (the pool's idle timeout, or closing the pool).</summary>
    public void Close()
    {
        if (_state != State.Idle || TransportOrNull is not { } transport) return;
        _state = State.Closing;
        transport.LoseConnection();
    }

    internal void BodyWanted(ConnectionBody body)
    {
        if (body == _body && _state == State.Body) ResumeTransport();
    }

    internal void PauseBody(ConnectionBody body)
    {
        if (body != _body || body.Ended || _paused || _state != State.Body) return;
        _paused = true;
        Transport.PauseProducing();
    }

    internal void ResumeBody(ConnectionBody body)
    {
        if (body == _body && !body.Ended && _state == State.Body) ResumeTransport();
    }

    internal void AbortBody(ConnectionBody body)
    {
        if (body == _body && !body.Ended) Abort();
    }

    private void ResumeTransport()
    {
        if (!_paused) return;
        _paused = false;
        Transport.ResumeProducing();
    }

    private void StartRequestBody(ClientRequest request, IBodyProducer producer)
    {
        var consumer = new RequestBodyConsumer(Transport, producer.Length);
        _requestBody = consumer;
        Deferred<Unit> producing;
        try
        {
            Transport.RegisterProducer(producer, streaming: true);
            producing = producer.StartProducing(consumer);
        }
        catch (Exception e)
        {
            producing = Deferred.Fail(e);
        }
        producing.AddBoth(outcome =>
        {
            if (_requestBody != consumer) return;        // the connection closed or the response ended meanwhile
            _requestBody = null;
            Transport.UnregisterProducer();
            var error = outcome.Failure?.Value
                ?? (consumer.Complete ? null : new InvalidOperationException(
                    $"The body producer wrote {consumer.Written} bytes of its announced {producer.Length}."));
            if (error is not null)
            {
                FailRequest(request, new RequestTransmissionFailedException(error));
                return;
            }
            consumer.Finish();
            _requestBodySent = true;
        });
    }

    private void StopRequestBody()
    {
        if (_requestBody is null || _request?.Body is not { } producer) return;
        _requestBody = null;
        if (TransportOrNull is { } transport) transport.UnregisterProducer();
        producer.StopProducing();
    }

    private void FailRequest(ClientRequest request, Exception error)
    {
        if (_state == State.Head)
        {
            _state = State.Closing;
            if (!request.Result.Called) request.Result.Errback(error);
        }
        else if (_state == State.Body) _body!.Finish(new Failure(error));
        Abort();
    }

    private void ReceiveHead(ReadOnlySpan<byte> data)
    {
        _pending.Write(data);
        while (true)
        {
            ResponseHead? head;
            int consumed;
            try
            {
                head = _parser.TryParse(_pending.WrittenSpan, _request!.Method, out consumed);
            }
            catch (HttpParseException e)
            {
                FailRequest(_request!, e.StatusCode == 431 ? new ResponseHeadersTooLargeException(e) : new MalformedResponseException(e));
                return;
            }
            if (head is null) return;
            var rest = _pending.WrittenSpan[consumed..].ToArray();
            _pending.Clear();
            if (head.Code < 200)
            {
                // An interim response (100 Continue, 103 Early Hints...): the final one follows on the same connection.
                _parser.Reset();
                _pending.Write(rest);
                continue;
            }
            StartBody(head, rest);
            return;
        }
    }

    private void StartBody(ResponseHead head, byte[] rest)
    {
        var request = _request!;
        var body = new ConnectionBody(this);
        _head = head;
        _body = body;
        _remaining = head.ContentLength;
        _received = 0;
        _state = State.Body;
        _chunked = head.BodyKind == BodyKind.Chunked ? new ChunkedDecoder() : null;
        var response = new Response(new Version(1, head.Line.MinorVersion), head.Code,
            Encoding.Latin1.GetString(head.Raw, head.Line.ReasonStart, head.Line.ReasonLength), head.Headers,
            head.BodyKind switch { BodyKind.None => 0, BodyKind.Length => head.ContentLength, _ => null },
            request.Uri, body);
        if (head.BodyKind == BodyKind.None) FinishBody(rest.Length);
        else if (!_paused)
        {
            // Paused until the body is asked for; the bytes already here wait in the body.
            _paused = true;
            Transport.PauseProducing();
        }
        if (!request.Result.Called) request.Result.Callback(response);
        if (_state == State.Body && _body == body && rest.Length > 0) ReceiveBody(rest);
    }

    private void ReceiveBody(ReadOnlySpan<byte> data)
    {
        var body = _body!;
        switch (_head!.BodyKind)
        {
            case BodyKind.Length:
                int n = (int)Math.Min(_remaining, data.Length);
                _remaining -= n;
                _received += n;
                body.Received(data[..n]);
                if (_remaining == 0 && _body == body && _state == State.Body) FinishBody(data.Length - n);
                break;
            case BodyKind.Chunked:
                ReceiveChunked(body, data);
                break;
            default:
                _received += data.Length;
                body.Received(data);
                break;
        }
    }

    private void ReceiveChunked(ConnectionBody body, ReadOnlySpan<byte> data)
    {
        _pending.Write(data);
        var input = _pending.WrittenSpan.ToArray();
        _pending.Clear();
        int offset = 0;
        try
        {
            while (_state == State.Body && _body == body)
            {
                var status = _chunked!.Decode(input.AsSpan(offset), out int consumed, out int dataOffset, out int dataLength);
                if (status == ChunkedStatus.Data)
                {
                    _received += dataLength;
                    body.Received(input.AsSpan(offset + dataOffset, dataLength));
                }
                offset += consumed;
                if (status == ChunkedStatus.Done)
                {
                    FinishBody(input.Length - offset);
                    return;
                }
                if (status == ChunkedStatus.NeedMore) break;
            }
        }
        catch (HttpParseException e)
        {
            FailRequest(_request!, new MalformedResponseException(e));
            return;
        }
        if (_state == State.Body && _body == body) _pending.Write(input.AsSpan(offset));
    }

    /// <summary>The body is complete; <paramref name="extra"/> bytes followed it in the same read.</summary>
    private void FinishBody(int extra)
    {
        var body = _body!;
        bool reusable = _head!.KeepAlive && _requestBodySent && extra == 0 && Released is not null && _request!.Persistent;
        if (_requestBody is not null) StopRequestBody();      // the server answered before the body was all sent
        _request = null;
        if (reusable)
        {
            _state = State.Idle;
            ResumeTransport();
            // Back to the pool first, so a request made from the body's last callback can reuse this connection.
            Released!(this);
        }
        else
        {
            _state = State.Closing;
            Transport.LoseConnection();
        }
        body.Finish(new Failure(new ResponseDoneException()));
    }

    private void EndBodyOnClose(Failure reason)
    {
        var body = _body!;
        if (_head!.BodyKind == BodyKind.UntilClose && reason.Check<ConnectionDoneException>())
            body.Finish(new Failure(new ResponseDoneException()));
        else
            body.Finish(new Failure(new PartialBodyException([], _head.BodyKind == BodyKind.Length ? _head.ContentLength : null,
                reason.Value, _received)));
    }
}
