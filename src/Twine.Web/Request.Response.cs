using System.Text;
using Microsoft.Win32.SafeHandles;
using Twine.Defer;
using Twine.Net;
using Twine.Web.Http;

namespace Twine.Web;

public sealed partial class Request : IConsumer
{
    // Status lines by code, built on first use; a racing duplicate build is harmless.
    private static readonly byte[]?[] s_statusLines = new byte[1000][];
    private Failure? _lostReason;
    private bool _headersWritten;
    private bool _chunked;
    private bool _discardBody;
    private long _declaredLength = -1;     // the application's own Content-Length, enforced so framing cannot break
    private bool _keepAlive;
    private ResponseHeaders? _responseHeaders;

    /// <summary>The response status. Default 200.</summary>
    public int Code { get; private set; } = 200;

    /// <summary>The reason phrase sent with <see cref="Code"/>; null for the standard one.</summary>
    public string? CodeMessage => _more?.CodeMessage;

    /// <summary>The response's header fields (validated when set: CR, LF and controls are refused).</summary>
    public ResponseHeaders ResponseHeaders => _responseHeaders ??= new();

    /// <summary>True once the status line and headers have gone to the client (they can no longer change).</summary>
    public bool StartedWriting => _headersWritten;

    /// <summary>True once <see cref="Finish"/> was called.</summary>
    public bool Finished { get; private set; }

    /// <summary>Body bytes written so far (counted even for HEAD, where they are not sent).</summary>
    public long SentLength { get; private set; }

    /// <summary>Whether the connection stays open for another request after this response.</summary>
    public bool KeepAlive => _keepAlive;

    /// <summary>Sets the status and, optionally, a reason phrase (CR, LF and controls are refused).</summary>
    /// <exception cref="InvalidOperationException">The headers were already sent.</exception>
    /// <exception cref="ArgumentException">A code outside 100–999 or a bad reason phrase.</exception>
    public void SetResponseCode(int code, string? message = null)
    {
        ThrowIfStarted();
        ArgumentOutOfRangeException.ThrowIfLessThan(code, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(code, 999);
        if (message is not null) ResponseHeaders.Check("Status", message);
        Code = code;
        if (message is not null || _more is not null) More.CodeMessage = message;
    }

    /// <summary>Sets response header <paramref name="name"/>, replacing earlier values (Twisted's <c>setHeader</c>).</summary>
    /// <exception cref="ArgumentException">The name is not a token, or the value has CR, LF or another control character.</exception>
    public void SetHeader(string name, string value)
    {
        ThrowIfStarted();
        ResponseHeaders.Set(name, value);
    }

    /// <summary>
    /// Adds a trailer field, sent after the body. Trailers need the chunked coding: setting one before the headers go
    /// out makes the response chunked (on HTTP/1.1) and announces the name in a <c>Trailer</c> header. A response that
    /// is not chunked (a Content-Length was given, HTTP/1.0, HEAD, 204/304) has nowhere to put them and drops them.
    /// </summary>
    /// <exception cref="InvalidOperationException">The request is finished.</exception>
    /// <exception cref="ArgumentException">The name is not a token, or the value has CR, LF or another control character.</exception>
    public void AddTrailer(string name, string value)
    {
        if (Finished) throw new InvalidOperationException("AddTrailer called on a finished request.");
        (More.ResponseTrailers ??= new ResponseHeaders()).Add(name, value);
    }

    /// <summary>Adds a Set-Cookie field (Twisted's <c>addCookie</c>).</summary>
    /// <exception cref="ArgumentException">A name, value or attribute that would break the field.</exception>
    public void AddCookie(string name, string value, DateTimeOffset? expires = null, string? domain = null, string? path = null,
        TimeSpan? maxAge = null, bool secure = false, bool httpOnly = false, string? sameSite = null)
    {
        ThrowIfStarted();
        ResponseHeaders.Add("Set-Cookie", Http.Cookies.Format(name, value, expires, domain, path, maxAge, secure, httpOnly, sameSite));
    }

    /// <summary>Answers with a redirect to <paramref name="url"/> (302 unless another 3xx code is given).</summary>
    public void Redirect(string url, int code = 302)
    {
        SetResponseCode(code);
        SetHeader("Location", url);
    }

    /// <summary>
    /// Writes part of the body, sending the headers first if needed. Without a Content-Length the body is sent
    /// chunked (HTTP/1.1) or delimited by closing the connection (HTTP/1.0). For HEAD and 204/304 nothing is sent.
    /// </summary>
    /// <exception cref="InvalidOperationException">The request is finished.</exception>
    public void Write(ReadOnlySpan<byte> data)
    {
        if (Finished) throw new InvalidOperationException("Write called on a finished request.");
        if (_lostReason is not null) return;
        if (!_headersWritten) WriteHead(null);
        if (_declaredLength >= 0 && !_discardBody && SentLength + data.Length > _declaredLength)
            throw new InvalidOperationException($"Writing {data.Length} more bytes would exceed the Content-Length of {_declaredLength}.");
        SentLength += data.Length;
        if (_discardBody || data.IsEmpty) return;
        var transport = _channel.Transport;
        if (_chunked)
        {
            var w = _channel.HeadWriter;
            w.Clear();
            w.WriteHex(data.Length);
            w.Write("\r\n"u8);
            transport.Write(w.Span);
            transport.Write(data);
            transport.Write("\r\n"u8);
        }
        else
        {
            transport.Write(data);
        }
    }

    /// <summary>
    /// Writes <paramref name="count"/> bytes of <paramref name="file"/> as body, sent by the kernel (<c>sendfile</c>).
    /// Only for a response with a declared Content-Length (never chunked, whose framing would have to be interleaved).
    /// The transport owns <paramref name="file"/> afterwards.
    /// </summary>
    internal void WriteFileRegion(IFileSendingTransport transport, SafeFileHandle file, long offset, long count)
    {
        if (Finished) throw new InvalidOperationException("Write called on a finished request.");
        if (_lostReason is not null)
        {
            file.Dispose();
            return;
        }
        if (!_headersWritten) WriteHead(null);
        if (_chunked || _declaredLength < 0 || SentLength + count > _declaredLength)
        {
            file.Dispose();
            throw new InvalidOperationException("A file region needs a response with a Content-Length that covers it.");
        }
        SentLength += count;
        if (_discardBody) file.Dispose();
        else transport.WriteFile(file, offset, count);
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8.</summary>
    public void Write(string text) => Write(Encoding.UTF8.GetBytes(text));

    /// <summary>
    /// Completes the response: sends the headers if none were sent (with Content-Length 0), ends a chunked body, fires
    /// <see cref="NotifyFinish"/>, logs the request and lets the connection go on to the next one.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called twice.</exception>
    public void Finish()
    {
        if (Finished) throw new InvalidOperationException("Finish called twice on a request.");
        Finished = true;
        if (_lostReason is not null)
        {
            DisposeBody();                      // the client is gone and NotifyFinish already failed: just clean up
            return;
        }
        // Trailers only travel in a chunked body, so a response that has them is never given a Content-Length.
        if (!_headersWritten) WriteHead(_more?.ResponseTrailers is null ? SentLength : null);
        if (_chunked) WriteLastChunk();
        if (_declaredLength >= 0 && !_discardBody && SentLength < _declaredLength)
        {
            // The client is still waiting for bytes that will never come: cut the connection rather than let it hang
            // or read the next response as this body.
            _keepAlive = false;
            _channel.Transport.AbortConnection();
        }
        if (_more?.Notifications is { } ds)
        {
            _more.Notifications = null;
            foreach (var d in ds) d.Callback(Unit.Value);
        }
        _channel.ResponseFinished(this);
    }

    /// <summary>
    /// A Deferred that fires when the response has been completely written, or fails with the reason if the
    /// connection is lost first (Twisted's <c>notifyFinish</c>).
    /// </summary>
    public Deferred<Unit> NotifyFinish()
    {
        var d = new Deferred<Unit>();
        if (_lostReason is { } reason) d.Errback(reason);
        else if (Finished) d.Callback(Unit.Value);
        else (More.Notifications ??= []).Add(d);
        return d;
    }

    /// <summary>
    /// Registers a producer for the response body: the connection pauses and resumes it as its send buffer fills and
    /// drains, so a large body streams with bounded memory. The producer writes with <see cref="Write(ReadOnlySpan{byte})"/>.
    /// </summary>
    public void RegisterProducer(IProducer producer, bool streaming)
    {
        ArgumentNullException.ThrowIfNull(producer);
        if (_more?.Producer is not null) throw new InvalidOperationException("A producer is already registered on this request.");
        if (_lostReason is not null || _channel.IsClosed)
        {
            producer.StopProducing();
            return;
        }
        More.Producer = producer;
        _channel.Transport.RegisterProducer(producer, streaming);
    }

    /// <summary>Detaches the producer registered with <see cref="RegisterProducer"/>.</summary>
    public void UnregisterProducer()
    {
        if (_more?.Producer is null) throw new InvalidOperationException("No producer is registered on this request.");
        _more.Producer = null;
        if (!_channel.IsClosed) _channel.Transport.UnregisterProducer();
    }

    /// <summary>The last chunk, then any trailer fields, then the empty line that ends a chunked body.</summary>
    private void WriteLastChunk()
    {
        var transport = _channel.Transport;
        if (_more?.ResponseTrailers is not { } trailers)
        {
            transport.Write("0\r\n\r\n"u8);
            return;
        }
        var w = _channel.HeadWriter;
        w.Clear();
        w.Write("0\r\n"u8);
        foreach (var (name, value) in trailers)
        {
            w.WriteLatin1(name);
            w.Write(": "u8);
            w.WriteLatin1(value);
            w.Write("\r\n"u8);
        }
        w.Write("\r\n"u8);
        transport.Write(w.Span);
    }

    /// <summary>Writes a whole body whose length is known: Content-Length is set from it (unless trailers need chunked).</summary>
    internal void WriteBodyAndFinish(ReadOnlySpan<byte> body)
    {
        if (_lostReason is null && !_headersWritten && _more?.ResponseTrailers is null)
        {
            // The body in hand is the truth: a stale Content-Length set earlier would break the framing.
            if (!ReferenceEquals(Method, "HEAD") && _responseHeaders?.Get("Content-Length") is { } declared
                && declared != body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))
                ResponseHeaders.Set("Content-Length", body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
            WriteHead(body.Length);
            SentLength = body.Length;
            if (!_discardBody && !body.IsEmpty) _channel.Transport.Write(body);
        }
        else if (!body.IsEmpty)
        {
            Write(body);
        }
        Finish();
    }

    /// <summary>The connection closed before the response finished: fail NotifyFinish.</summary>
    internal void ConnectionLost(Failure reason)
    {
        if (Finished || _lostReason is not null) return;
        _lostReason = reason;
        if (_more?.Notifications is { } ds)
        {
            _more.Notifications = null;
            foreach (var d in ds) d.Errback(reason);
        }
    }

    internal bool IsLost => _lostReason is not null;

    private void ThrowIfStarted()
    {
        if (_headersWritten) throw new InvalidOperationException("The response headers were already sent.");
    }

    private void WriteHead(long? knownLength)
    {
        _headersWritten = true;
        bool noBodyStatus = HttpStatus.HasNoBody(Code);
        bool head = ReferenceEquals(Method, "HEAD");
        _discardBody = head || noBodyStatus;
        var w = _channel.HeadWriter;
        w.Clear();
        w.Write(StatusLine(Code, CodeMessage));
        bool hasDate = false, hasLength = false, hasType = false, close = false;
        var fields = _responseHeaders;
        for (var i = 0; i < (fields?.Count ?? 0); i++)
        {
            var (name, value) = fields![i];
            if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)) continue;     // framing is ours
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                if (Code is >= 100 and < 200 or 204) continue;   // RFC 9110 §8.6: never on 1xx/204
                if (!long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _declaredLength))
                    throw new InvalidOperationException($"Invalid Content-Length '{value}'.");
                hasLength = true;
            }
            else if (name.Equals("Date", StringComparison.OrdinalIgnoreCase)) hasDate = true;
            else if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)) hasType = true;
            else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                if (value.Contains("close", StringComparison.OrdinalIgnoreCase)) close = true;
                continue;       // written below, once, from the decision
            }
            w.WriteLatin1(name);
            w.Write(": "u8);
            w.WriteLatin1(value);
            w.Write("\r\n"u8);
        }
        if (!hasDate) w.Write(_channel.Date.HeaderLine);
        if (!noBodyStatus)
        {
            if (hasLength) { }
            else if (knownLength is { } n)
            {
                w.Write("Content-Length: "u8);
                w.WriteNumber(n);
                w.Write("\r\n"u8);
            }
            else if (head) { }                      // no body follows, whatever the length would have been
            else if (!_head.IsHttp10)
            {
                _chunked = true;
                w.Write("Transfer-Encoding: chunked\r\n"u8);
                if (_more?.ResponseTrailers is { } trailers)
                {
                    // RFC 9110 §6.6.2: announce the trailer names so the client can expect them.
                    w.Write("Trailer: "u8);
                    bool first = true;
                    foreach (var (name, _) in trailers)
                    {
                        if (!first) w.Write(", "u8);
                        w.WriteLatin1(name);
                        first = false;
                    }
                    w.Write("\r\n"u8);
                }
            }
            else
            {
                _keepAlive = false;                  // HTTP/1.0 without a length: the close ends the body
            }
            if (!hasType && knownLength is not 0) w.Write("Content-Type: text/html; charset=utf-8\r\n"u8);
        }
        if (close) _keepAlive = false;
        if (!_keepAlive) w.Write("Connection: close\r\n"u8);
        else if (_head.IsHttp10) w.Write("Connection: keep-alive\r\n"u8);
        w.Write("\r\n"u8);
        _channel.Transport.Write(w.Span);
    }

    private static byte[] StatusLine(int code, string? message)
    {
        if (message is not null) return Encoding.Latin1.GetBytes($"HTTP/1.1 {code} {message}\r\n");
        return s_statusLines[code] ??= Encoding.Latin1.GetBytes($"HTTP/1.1 {code} {HttpStatus.ReasonPhrase(code)}\r\n");
    }

    internal void MarkNotKeepAlive() => _keepAlive = false;
}
