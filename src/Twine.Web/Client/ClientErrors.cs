using Twine.Web.Http;

namespace Twine.Web.Client;

/// <summary>
/// The base of every error the HTTP client reports about a response (a refused or failed connection arrives as the
/// network's own exception instead, such as <see cref="Twine.Net.ConnectionRefusedException"/>). The connection that
/// caused it is always discarded.
/// </summary>
/// <example>
/// <code>
/// agent.GetPage(url).AddErrback(f =>
/// {
///     if (f.Value is HttpClientException e) Console.WriteLine("bad response: " + e.Message);
/// });
/// </code>
/// </example>
public class HttpClientException : Exception
{
    /// <summary>Creates the error.</summary>
    public HttpClientException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>
/// The status line or a header of the response broke HTTP/1.1's syntax or a limit; <see cref="Exception.InnerException"/>
/// is the parser's <see cref="HttpParseException"/>.
/// </summary>
/// <example>
/// <code>
/// d.AddErrback(f => { f.Trap&lt;MalformedResponseException&gt;(); Console.WriteLine("the server is broken"); });
/// </code>
/// </example>
public sealed class MalformedResponseException : HttpClientException
{
    /// <summary>Wraps the parser's error.</summary>
    public MalformedResponseException(HttpParseException inner) : base("Malformed HTTP response: " + inner.Message, inner) { }
}

/// <summary>The connection closed before a complete response head arrived (Twisted's <c>ResponseNeverReceived</c>).</summary>
/// <example>
/// <code>
/// d.AddErrback(f => { f.Trap&lt;ResponseNeverReceivedException&gt;(); Console.WriteLine("no answer"); });
/// </code>
/// </example>
public sealed class ResponseNeverReceivedException : HttpClientException
{
    /// <summary>Creates the error; <paramref name="reason"/> is why the connection closed.</summary>
    public ResponseNeverReceivedException(Exception reason) : base("The connection closed before the response head was complete.", reason) { }
}

/// <summary>
/// The connection closed before the body was complete: fewer bytes than Content-Length, an unfinished chunked body, or
/// a read-until-close body ended by an error rather than a clean close. What did arrive is kept in
/// <see cref="PartialBody"/> by <see cref="Response.ReadBody"/>, as Twisted's <c>PotentialDataLoss</c> and <c>PartialDownloadError</c> keep it.
/// </summary>
/// <example>
/// <code>
/// response.ReadBody(1 &lt;&lt; 20).AddErrback(f =>
/// {
///     var partial = f.Trap&lt;PartialBodyException&gt;();
///     Console.WriteLine($"only {partial.PartialBody.Length} bytes arrived");
/// });
/// </code>
/// </example>
public sealed class PartialBodyException : HttpClientException
{
    /// <summary>Creates the error with the bytes that arrived.</summary>
    /// <param name="partialBody">The bytes that arrived (empty when the body was streamed to a protocol, which has them).</param>
    /// <param name="expectedLength">The Content-Length, if any.</param>
    /// <param name="reason">Why the connection closed.</param>
    /// <param name="receivedLength">How many body bytes arrived; null means <paramref name="partialBody"/>'s length.</param>
    public PartialBodyException(byte[] partialBody, long? expectedLength, Exception? reason, long? receivedLength = null)
        : base(expectedLength is { } n
            ? $"The response body ended after {receivedLength ?? partialBody.Length} of {n} bytes."
            : $"The response body ended early, after {receivedLength ?? partialBody.Length} bytes.", reason)
    {
        PartialBody = partialBody;
        ExpectedLength = expectedLength;
    }

    /// <summary>The body bytes received before the connection closed.</summary>
    public byte[] PartialBody { get; }

    /// <summary>The Content-Length, when the response declared one.</summary>
    public long? ExpectedLength { get; }
}

/// <summary>The response body is longer than the limit given to <see cref="Response.ReadBody"/>; the connection is aborted.</summary>
/// <example>
/// <code>
/// response.ReadBody(1024).AddErrback(f => { f.Trap&lt;BodyTooLargeException&gt;(); Console.WriteLine("too big"); });
/// </code>
/// </example>
public sealed class BodyTooLargeException : HttpClientException
{
    /// <summary>Creates the error for <paramref name="limit"/>.</summary>
    public BodyTooLargeException(long limit) : base($"The response body is longer than the limit of {limit} bytes.") => Limit = limit;

    /// <summary>The caller's limit, in bytes.</summary>
    public long Limit { get; }
}

/// <summary>
/// <see cref="Agent.GetPage"/> received an error status (4xx or 5xx), like Twisted's <c>web.error.Error</c>; the body is
/// kept because error pages often explain the error.
/// </summary>
/// <example>
/// <code>
/// agent.GetPage(url).AddErrback(f => Console.WriteLine(f.Trap&lt;HttpErrorStatusException&gt;().Code));
/// </code>
/// </example>
public sealed class HttpErrorStatusException : HttpClientException
{
    /// <summary>Creates the error.</summary>
    public HttpErrorStatusException(int code, string phrase, byte[] body) : base($"HTTP {code} {phrase}".TrimEnd())
    {
        Code = code;
        Phrase = phrase;
        Body = body;
    }

    /// <summary>The status code.</summary>
    public int Code { get; }

    /// <summary>The reason phrase.</summary>
    public string Phrase { get; }

    /// <summary>The error page's body.</summary>
    public byte[] Body { get; }
}

/// <summary>
/// Not an error: the reason <see cref="IResponseBodyProtocol.ConnectionLost"/> gives when the whole body arrived
/// (Twisted's <c>ResponseDone</c>).
/// </summary>
/// <example>
/// <code>
/// public void ConnectionLost(Failure reason) { if (reason.Check&lt;ResponseDoneException&gt;()) finished.Callback(Unit.Value); }
/// </code>
/// </example>
public sealed class ResponseDoneException : HttpClientException
{
    /// <summary>Creates the marker.</summary>
    public ResponseDoneException() : base("The response body is complete.") { }
}

/// <summary>
/// The response head had more header fields or bytes than the client accepts (200 fields, 64 KiB); the connection is
/// discarded. <see cref="Exception.InnerException"/> is the parser's <see cref="HttpParseException"/>.
/// </summary>
/// <example>
/// <code>
/// d.AddErrback(f => { f.Trap&lt;ResponseHeadersTooLargeException&gt;(); Console.WriteLine("the server sent too many headers"); });
/// </code>
/// </example>
public sealed class ResponseHeadersTooLargeException : HttpClientException
{
    /// <summary>Wraps the parser's error.</summary>
    public ResponseHeadersTooLargeException(HttpParseException inner) : base("Response headers too large: " + inner.Message, inner) { }
}

/// <summary>
/// The request could not be sent: its body producer failed or wrote a different length than it announced (Twisted's
/// <c>RequestTransmissionFailed</c>). The connection is discarded.
/// </summary>
/// <example>
/// <code>
/// d.AddErrback(f => Console.WriteLine(f.Trap&lt;RequestTransmissionFailedException&gt;().InnerException?.Message));
/// </code>
/// </example>
public sealed class RequestTransmissionFailedException : HttpClientException
{
    /// <summary>Wraps the reason.</summary>
    public RequestTransmissionFailedException(Exception reason) : base("The request could not be sent: " + reason.Message, reason) { }
}

/// <summary>
/// A compressed response body could not be decoded by <see cref="ContentDecoderAgent"/>: corrupt or cut short. The
/// connection is discarded.
/// </summary>
/// <example>
/// <code>
/// d.AddErrback(f => Console.WriteLine(f.Trap&lt;ContentDecodingException&gt;().Coding));
/// </code>
/// </example>
public sealed class ContentDecodingException : HttpClientException
{
    /// <summary>Creates the error for <paramref name="coding"/>.</summary>
    public ContentDecodingException(string coding, Exception inner) : base($"The {coding} response body could not be decoded: {inner.Message}", inner) =>
        Coding = coding;

    /// <summary>The content coding: gzip, deflate or br.</summary>
    public string Coding { get; }
}

/// <summary>
/// <see cref="RedirectAgent"/> gave up: more redirects than its limit (Twisted's <c>InfiniteRedirection</c>).
/// <see cref="Response"/> is the last redirect response.
/// </summary>
/// <example>
/// <code>
/// d.AddErrback(f => Console.WriteLine(f.Trap&lt;TooManyRedirectsException&gt;().Response.Headers.Get("Location")));
/// </code>
/// </example>
public sealed class TooManyRedirectsException : HttpClientException
{
    /// <summary>Creates the error.</summary>
    public TooManyRedirectsException(int limit, Response response) : base($"More than {limit} redirects.") => Response = response;

    /// <summary>The redirect response that was not followed.</summary>
    public Response Response { get; }
}

/// <summary>
/// <see cref="RedirectAgent"/> refused a redirect: from https to http (unless allowed), to a scheme other than http or
/// https, without a usable Location, or a 307/308 for a request whose body cannot be sent again.
/// </summary>
/// <example>
/// <code>
/// d.AddErrback(f => Console.WriteLine("not followed: " + f.Trap&lt;RedirectRefusedException&gt;().Message));
/// </code>
/// </example>
public sealed class RedirectRefusedException : HttpClientException
{
    /// <summary>Creates the error.</summary>
    public RedirectRefusedException(string message, Response response) : base(message) => Response = response;

    /// <summary>The redirect response that was not followed.</summary>
    public Response Response { get; }
}
