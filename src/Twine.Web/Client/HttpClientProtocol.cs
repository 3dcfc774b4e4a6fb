using System.Buffers;
using Twine.Defer;
using Twine.Net;
using Twine.Web.Http;

namespace Twine.Web.Client;

/// <summary>
/// One request and its response on one connection: writes the request once connected, parses the response head with
/// the server's own head scanner and field rules (<see cref="ResponseHeadParser"/>), skips 1xx responses, then frames the
/// body by Content-Length, chunked coding or the close, and hands it to the <see cref="Response"/>.
/// </summary>
internal sealed class HttpClientProtocol(byte[] request, string method, Deferred<Response> result) : Protocol
{
    private enum State { Head, Body, Done }

    private readonly ResponseHeadParser _parser = new();
    private readonly ArrayBufferWriter<byte> _pending = new();   // head bytes, or undecoded chunked bytes
    private State _state = State.Head;
    private Response? _response;
    private BodyKind _kind;
    private long _remaining;
    private ChunkedDecoder? _chunked;
    private bool _paused;

    public override void ConnectionMade() => Transport.Write(request);

    public override void DataReceived(ReadOnlySpan<byte> data)
    {
        if (_state == State.Head) ReceiveHead(data);
        else if (_state == State.Body) ReceiveBody(data);
        // Bytes after the response (the request said Connection: close) are ignored.
    }

    public override void ConnectionLost(Failure reason)
    {
        var state = _state;
        _state = State.Done;
        if (state == State.Head)
        {
            if (!result.Called) result.Errback(new ResponseNeverReceivedException(reason.Value));
        }
        else if (state == State.Body)
        {
            if (_kind == BodyKind.UntilClose && reason.Check<ConnectionDoneException>()) _response!.BodyDone();
            else _response!.BodyCutShort(reason.Value);
        }
    }

    /// <summary>Drops the connection at once (a failed body, a cancelled request).</summary>
    public void Abort()
    {
        if (TransportOrNull is { } transport) transport.AbortConnection();
    }

    /// <summary>The body is wanted: start reading again.</summary>
    public void ResumeReading()
    {
        if (!_paused || _state == State.Done) return;
        _paused = false;
        Transport.ResumeProducing();
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
                head = _parser.TryParse(_pending.WrittenSpan, method, out consumed);
            }
            catch (HttpParseException e)
            {
                FailHead(new MalformedResponseException(e));
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
        var response = new Response(this, head);
        _response = response;
        _kind = head.BodyKind;
        _remaining = head.ContentLength;
        _state = State.Body;
        if (_kind == BodyKind.Chunked) _chunked = new ChunkedDecoder();
        if (_kind == BodyKind.None) FinishBody();
        else
        {
            // Paused until ReadBody asks for the body; the bytes already here are kept by the response.
            _paused = true;
            Transport.PauseProducing();
        }
        if (!result.Called) result.Callback(response);
        if (_state == State.Body && rest.Length > 0) ReceiveBody(rest);
    }

    private void ReceiveBody(ReadOnlySpan<byte> data)
    {
        switch (_kind)
        {
            case BodyKind.Length:
                int n = (int)Math.Min(_remaining, data.Length);
                _remaining -= n;
                _response!.BodyReceived(data[..n]);
                if (_remaining == 0) FinishBody();
                break;
            case BodyKind.Chunked:
                ReceiveChunked(data);
                break;
            default:
                _response!.BodyReceived(data);
                break;
        }
    }

    private void ReceiveChunked(ReadOnlySpan<byte> data)
    {
        _pending.Write(data);
        var input = _pending.WrittenSpan;
        int offset = 0;
        try
        {
            while (_state == State.Body)
            {
                var status = _chunked!.Decode(input[offset..], out int consumed, out int dataOffset, out int dataLength);
                if (status == ChunkedStatus.Data) _response!.BodyReceived(input.Slice(offset + dataOffset, dataLength));
                offset += consumed;
                if (status == ChunkedStatus.Done) FinishBody();
                else if (status == ChunkedStatus.NeedMore) break;
            }
        }
        catch (HttpParseException e)
        {
            _state = State.Done;
            _response!.Fail(new MalformedResponseException(e));
            return;
        }
        var left = input[offset..].ToArray();
        _pending.Clear();
        _pending.Write(left);
    }

    private void FinishBody()
    {
        _state = State.Done;
        _response!.BodyDone();
        // One request per connection: the request asked for Connection: close, so we close our side too.
        Transport.LoseConnection();
    }

    private void FailHead(Exception error)
    {
        _state = State.Done;
        if (!result.Called) result.Errback(error);
        Transport.AbortConnection();
    }
}
