using System.Net;
using System.Text;
using Twine.Web.Http;
using Twine.Web.Server;

namespace Twine.Web;

/// <summary>
/// One HTTP request and its response, after twisted.web's <c>Request</c>: what the client asked (method, URI, path
/// segments, query arguments, headers, cookies, body, addresses) and the response being built (status, headers,
/// cookies, body written now or later with <see cref="Write(ReadOnlySpan{byte})"/> and <see cref="Finish"/>).
/// </summary>
/// <remarks>
/// Request data is kept as the bytes that arrived and turned into strings only when read. A request is an
/// <see cref="Twine.Net.IConsumer"/>: a producer registered on it is paused and resumed by the connection's flow control.
/// Use a request from the reactor thread only.
/// </remarks>
/// <example>
/// <code>
/// sealed class Hello : Resource
/// {
///     public override bool IsLeaf => true;
///     protected override RenderResult RenderGet(Request request)
///     {
///         request.SetHeader("Content-Type", "text/plain; charset=utf-8");
///         return $"Hello, {request.GetArg("name") ?? "world"}!";
///     }
/// }
/// </code>
/// </example>
public sealed partial class Request
{
    private readonly IRequestChannel _channel;
    private readonly RequestHead _head;
    private string? _uri;
    private string? _path;
    private Occasional? _more;
    // The segment lists are made when first read: a leaf root answers without splitting the path at all.
    private List<string>? _prepath;
    private List<string>? _postpath;
    private bool _splitPending;

    internal Request(IRequestChannel channel, RequestHead head, Site site)
    {
        _channel = channel;
        _head = head;
        Site = site;
        _keepAlive = head.KeepAlive;
    }

    /// <summary>The site serving this request.</summary>
    public Site Site { get; }

    /// <summary>The method, as sent (standard methods are interned strings).</summary>
    public string Method => _head.Line.Method;

    /// <summary>"HTTP/1.1" or "HTTP/1.0".</summary>
    public string ClientProtocol => _head.IsHttp10 ? "HTTP/1.0" : "HTTP/1.1";

    /// <summary>The request target exactly as sent (origin-form <c>/a/b?c=d</c>, or absolute-form).</summary>
    public string Uri => _uri ??= Encoding.Latin1.GetString(_head.Raw, _head.Line.TargetStart, _head.Line.TargetLength);

    /// <summary>How the target was written.</summary>
    public TargetForm TargetForm => _head.Line.Form;

    /// <summary>The path part of the target, still percent-encoded, without the query (Twisted's <c>request.path</c>).</summary>
    public string Path
    {
        get
        {
            if (_path is not null) return _path;
            var line = _head.Line;
            var rest = _head.Raw.AsSpan(line.PathStart, line.TargetStart + line.TargetLength - line.PathStart);
            int q = rest.IndexOf((byte)'?');
            var path = q < 0 ? rest : rest[..q];
            return _path = path.IsEmpty ? "/" : Encoding.Latin1.GetString(path);
        }
    }

    /// <summary>The query string after '?', still encoded; empty when there is none.</summary>
    public string Query
    {
        get
        {
            var uri = Uri;
            int q = uri.IndexOf('?');
            return q < 0 ? "" : uri[(q + 1)..];
        }
    }

    /// <summary>The authority of an absolute-form target, else null.</summary>
    public string? TargetAuthority => _head.Line.AuthorityLength == 0 ? null
        : Encoding.Latin1.GetString(_head.Raw, _head.Line.AuthorityStart, _head.Line.AuthorityLength);

    /// <summary>The request's header fields (case-insensitive names, repeated values kept).</summary>
    public HttpHeaders Headers => _head.Headers;

    /// <summary>
    /// The trailer fields that followed a chunked body (validated as strictly as headers, kept apart from them as
    /// RFC 9110 §6.5 asks); empty until the body has been read, and for bodies that were not chunked.
    /// </summary>
    public HttpHeaders Trailers => _more?.Trailers ?? HttpHeaders.Empty;

    /// <summary>The last value of header <paramref name="name"/>, or null (Twisted's <c>getHeader</c>).</summary>
    public string? GetHeader(string name) => _head.Headers.Get(name);

    /// <summary>The host the client asked for: the absolute-form authority, else the Host header, else the local address.</summary>
    public string RequestedHost => TargetAuthority ?? GetHeader("Host") ?? HostAddress.ToString() ?? "";

    /// <summary>The client's address (the connection's peer).</summary>
    public EndPoint ClientAddress => _channel.Transport.Peer;

    /// <summary>The server's address for this connection.</summary>
    public EndPoint HostAddress => _channel.Transport.Host;

    /// <summary>Path segments already used to find the resource (decoded), as Twisted's <c>prepath</c>.</summary>
    public List<string> Prepath => _prepath ??= [];

    /// <summary>Path segments still to be used (decoded), as Twisted's <c>postpath</c>.</summary>
    public List<string> Postpath
    {
        get
        {
            if (_postpath is null)
            {
                _postpath = [];
                if (_splitPending) AddSegments(_postpath);
                _splitPending = false;
            }
            return _postpath;
        }
    }

    /// <summary>Values a <see cref="Router"/> matched from the path (<c>{id}</c> → <c>RouteValues["id"]</c>).</summary>
    public Dictionary<string, string> RouteValues => More.RouteValues ??= new(StringComparer.Ordinal);

    /// <summary>Query arguments, decoded as UTF-8 ('+' is a space); each name keeps every value in order.</summary>
    public IReadOnlyDictionary<string, List<string>> Args => More.Args ??= QueryArguments.Parse(Query);

    /// <summary>The first value of query argument <paramref name="name"/>, or null.</summary>
    public string? GetArg(string name) => Args.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    /// <summary>The cookies the client sent, by name (the first wins when a name repeats).</summary>
    public IReadOnlyDictionary<string, string> Cookies => More.Cookies ??= Http.Cookies.ParseRequest(_head.Headers);

    /// <summary>The cookie named <paramref name="name"/>, or null (Twisted's <c>getCookie</c>).</summary>
    public string? GetCookie(string name) => Cookies.TryGetValue(name, out var value) ? value : null;

    /// <summary>The request body as a seekable stream (in memory, or a temporary file past the spool threshold).</summary>
    /// <exception cref="InvalidOperationException">The body is streamed (<see cref="IBodyStreamingResource"/>): use <see cref="DeliverBody"/>.</exception>
    public Stream Content => More.Content ??= StreamsBody
        ? throw new InvalidOperationException("This request's body is streamed to its resource: read it with DeliverBody.")
        : _more?.Body?.Complete() ?? Stream.Null;

    /// <summary>The body's length in bytes.</summary>
    public long ContentLength => _more?.Body?.Length ?? 0;

    /// <summary>Reads the whole body into an array.</summary>
    /// <exception cref="InvalidOperationException">The body is longer than <paramref name="limit"/> bytes.</exception>
    public byte[] ReadBody(long limit = int.MaxValue)
    {
        if (ContentLength > limit) throw new InvalidOperationException($"The request body ({ContentLength} bytes) is over the limit of {limit}.");
        var stream = Content;
        stream.Position = 0;
        var bytes = new byte[ContentLength];
        stream.ReadExactly(bytes);
        stream.Position = 0;
        return bytes;
    }

    /// <summary>The body decoded as UTF-8.</summary>
    public string ReadBodyAsString(long limit = int.MaxValue) => Encoding.UTF8.GetString(ReadBody(limit));

    internal RequestHead Head => _head;

    internal IRequestChannel Channel => _channel;

    internal void SetBody(RequestBody body) => More.Body = body;

    internal void SetTrailers(HttpHeaders trailers) => More.Trailers = trailers;

    internal void SplitPath()
    {
        if (TargetForm is TargetForm.Asterisk or TargetForm.Authority) return;
        if (_postpath is null) _splitPending = true;
        else AddSegments(_postpath);
    }

    private void AddSegments(List<string> postpath)
    {
        var path = Path;
        // "/a/b" → ["a", "b"]; "/" → [""], as Twisted does, so a root resource can have a "" child.
        foreach (var segment in path.AsSpan(1).Split('/'))
            postpath.Add(QueryArguments.Unquote(path.AsSpan(1)[segment], plusIsSpace: false));
    }

    /// <summary>Deletes a spooled body's temporary file; an in-memory body stays readable for code that runs after Finish.</summary>
    internal void DisposeBody()
    {
        if (_more?.Body is { IsSpooled: true } body) body.Dispose();
    }
}
