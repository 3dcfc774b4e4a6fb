using System.Buffers;
using System.Text;
using Twine.Defer;
using Twine.Web.Http;

namespace Twine.Web.Client;

/// <summary>
/// An HTTP response as the client received it (Twisted's <c>IResponse</c>): status, headers, and the body, read with
/// <see cref="ReadBody"/>. The Deferred of <see cref="Agent.Request"/> fires as soon as the head has arrived; the
/// connection stops reading (it is paused) until <see cref="ReadBody"/> asks for the body, so a response nobody reads
/// does not fill memory.
/// </summary>
/// <example>
/// <code>
/// agent.Request("GET", "http://127.0.0.1:8080/").AddCallback(response =>
/// {
///     Console.WriteLine($"{response.Code} {response.Phrase}, {response.Headers.Get("Content-Type")}");
///     return response.ReadBody(limit: 1 &lt;&lt; 20);
/// });
/// </code>
/// </example>
public sealed class Response
{
    private readonly HttpClientProtocol _connection;
    private readonly ArrayBufferWriter<byte> _body = new();
    private Deferred<byte[]>? _reader;
    private long _limit = long.MaxValue;
    private Failure? _failure;
    private bool _complete;

    internal Response(HttpClientProtocol connection, ResponseHead head)
    {
        _connection = connection;
        Version = new Version(1, head.Line.MinorVersion);
        Code = head.Code;
        Phrase = Encoding.Latin1.GetString(head.Raw, head.Line.ReasonStart, head.Line.ReasonLength);
        Headers = head.Headers;
        Length = head.BodyKind switch
        {
            BodyKind.None => 0,
            BodyKind.Length => head.ContentLength,
            _ => null,
        };
    }

    /// <summary>The HTTP version of the response: 1.0 or 1.1.</summary>
    public Version Version { get; }

    /// <summary>The status code (200, 404...).</summary>
    public int Code { get; }

    /// <summary>The reason phrase, possibly empty.</summary>
    public string Phrase { get; }

    /// <summary>The response's header fields.</summary>
    public HttpHeaders Headers { get; }

    /// <summary>The body's length when it is known from the head (0 for HEAD, 204 and 304), or null.</summary>
    public long? Length { get; }

    /// <summary>
    /// Reads the whole body. The Deferred fires with its bytes, or fails with <see cref="BodyTooLargeException"/> once
    /// more than <paramref name="limit"/> bytes arrive (or Content-Length announces more), with
    /// <see cref="PartialBodyException"/> when the connection closes early, or with
    /// <see cref="MalformedResponseException"/> for a broken chunked body. Can be called once.
    /// </summary>
    /// <exception cref="InvalidOperationException">The body was already read.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is negative.</exception>
    public Deferred<byte[]> ReadBody(long limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        if (_reader is not null) throw new InvalidOperationException("The response body has already been read.");
        _limit = limit;
        // Cancelling the read drops the connection: the rest of the body would have nowhere to go.
        _reader = new Deferred<byte[]>(_ => _connection.Abort());
        var reader = _reader;
        if (_failure is null && (Length > limit || _body.WrittenCount > limit))
        {
            // Set before aborting: the abort reports the cut-short body, which must not replace this error.
            _failure = new Failure(new BodyTooLargeException(limit));
            if (!_complete) _connection.Abort();
        }
        if (_failure is not null) reader.Errback(_failure);
        else if (_complete) reader.Callback(_body.WrittenSpan.ToArray());
        else _connection.ResumeReading();
        return reader;
    }

    /// <summary>Body bytes from the connection.</summary>
    internal void BodyReceived(ReadOnlySpan<byte> data)
    {
        if (_failure is not null || _complete) return;
        if (_body.WrittenCount + (long)data.Length > _limit)
        {
            Fail(new BodyTooLargeException(_limit));
            return;
        }
        _body.Write(data);
    }

    /// <summary>The body is complete.</summary>
    internal void BodyDone()
    {
        if (_failure is not null || _complete) return;
        _complete = true;
        if (_reader is { Called: false } reader) reader.Callback(_body.WrittenSpan.ToArray());
    }

    /// <summary>The connection closed before the body was complete.</summary>
    internal void BodyCutShort(Exception reason) =>
        Fail(new PartialBodyException(_body.WrittenSpan.ToArray(), Length, reason));

    /// <summary>The body cannot be read (a framing error, a limit): the connection is discarded.</summary>
    internal void Fail(Exception error)
    {
        if (_failure is not null || _complete) return;
        _failure = new Failure(error);
        _connection.Abort();
        if (_reader is { Called: false } reader) reader.Errback(_failure);
    }
}
