using System.Globalization;
using System.Net;
using System.Text;
using Twine.Defer;
using Twine.Logging;
using Twine.Net;
using Twine.Time;
using Twine.Web.Http;
using Twine.Web.Server;

namespace Twine.Web;

/// <summary>
/// The factory for HTTP connections, after twisted.web's <c>Site</c>: it owns the root <see cref="IResource"/>, finds
/// the resource for each request by walking the tree, renders it, turns failures into error pages, and writes one
/// access-log line per request in the combined log format through Twine's <see cref="Log"/>.
/// </summary>
/// <example>
/// <code>
/// var root = new Resource();
/// root.PutChild("", new Hello());
/// await Endpoints.Server(reactor, "tcp:8080").Listen(new Site(root, reactor));
/// </code>
/// </example>
public class Site : Factory
{
    // Methods a resource may render; any other (CONNECT included: there are no tunnels here) is 501, as in Twisted.
    private static readonly string[] s_knownMethods = ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "TRACE", "PATCH"];

    /// <summary>Creates a site serving <paramref name="root"/>, with timers on <paramref name="time"/> (the reactor, or a Clock in tests).</summary>
    public Site(IResource root, IReactorTime time, HttpServerOptions? options = null, TimeProvider? wallClock = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(time);
        Root = root;
        Time = time;
        Options = options ?? new HttpServerOptions();
        Options.Validate();
        WallClock = wallClock ?? TimeProvider.System;
        Date = new HttpDate(WallClock);
        ProtocolBuilder = () => new HttpServerProtocol(this);
        Noisy = false;
    }

    /// <summary>The root of the resource tree.</summary>
    public IResource Root { get; }

    /// <summary>The limits and timeouts.</summary>
    public HttpServerOptions Options { get; }

    /// <summary>Where timeouts are scheduled.</summary>
    public IReactorTime Time { get; }

    /// <summary>The wall clock for Date headers and the access log.</summary>
    public TimeProvider WallClock { get; }

    /// <summary>Whether a 500 page shows the exception's traceback (Twisted's <c>displayTracebacks</c>). Off by default.</summary>
    public bool DisplayTracebacks { get; set; }

    /// <summary>Whether each request is logged in the combined log format. On by default.</summary>
    public bool LogRequests { get; set; } = true;

    internal HttpDate Date { get; }

    /// <summary>Walks the tree from <see cref="Root"/> along the request's path segments (Twisted's <c>getResourceFor</c>).</summary>
    public virtual IResource GetResourceFor(Request request)
    {
        ArgumentNullException.ThrowIfNull(request);
        IResource resource = Root;
        // IsLeaf first: a leaf root never needs the path split into segments.
        while (!resource.IsLeaf && request.Postpath.Count > 0)
        {
            var name = request.Postpath[0];
            request.Postpath.RemoveAt(0);
            request.Prepath.Add(name);
            resource = resource.GetChildWithDefault(name, request);
        }
        return resource;
    }

    /// <summary>
    /// Routes a request as soon as its head has arrived, so the connection knows whether the resource streams bodies
    /// (<see cref="IBodyStreamingResource"/>); an error is kept and raised when the request is processed.
    /// </summary>
    internal IResource? LocateEarly(Request request)
    {
        if (request.TargetForm is TargetForm.Asterisk or TargetForm.Authority) return null;
        try
        {
            request.SplitPath();
            var resource = GetResourceFor(request);
            request.Locate(resource, null);
            return resource;
        }
        catch (Exception e)
        {
            request.Locate(null, e);
            return null;
        }
    }

    /// <summary>Renders <paramref name="request"/> and answers it (the connection calls this, in request order).</summary>
    internal void Process(Request request)
    {
        if (request.TargetForm == TargetForm.Asterisk)
        {
            // "OPTIONS *" asks about the server, not a resource: answer 200 with no body, as Twisted's fast path does.
            request.WriteBodyAndFinish(ReadOnlySpan<byte>.Empty);
            return;
        }
        if (request.TargetForm == TargetForm.Authority)
        {
            RenderUnsupported(request, new UnsupportedMethodException([]));
            return;
        }
        RenderResult result;
        try
        {
            IResource resource;
            if (request.IsLocated)
            {
                // Routed when its head arrived (to see whether the resource streams bodies): the same outcome now.
                if (request.LocateError is { } error) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
                resource = request.Located!;
            }
            else
            {
                request.SplitPath();
                resource = GetResourceFor(request);
            }
            result = resource.Render(request);
        }
        catch (UnsupportedMethodException e)
        {
            RenderUnsupported(request, e);
            return;
        }
        catch (Exception e)
        {
            ProcessingFailed(request, new Failure(e));
            return;
        }
        Deliver(request, result);
    }

    private void Deliver(Request request, RenderResult result)
    {
        switch (result.Value)
        {
            case byte[] body:
                if (request.Finished)
                {
                    Log.Error(LogEventId.WebBodyAfterFinish, typeof(Site), $"A resource returned a body for {request.Method} {request.Uri} after finishing the request; the body was dropped.");
                    return;
                }
                request.WriteBodyAndFinish(body);
                break;
            case Deferred<RenderResult> later:
                DeliverLater(request, later);
                break;
            case null:
                ProcessingFailed(request, new Failure(new InvalidOperationException("The resource returned a default RenderResult.")));
                break;
            default:
                break;      // NotDoneYet: the resource finishes by itself
        }
    }

    // Apart from Deliver because its lambdas capture the request: the closure would otherwise be allocated on every
    // call, for bodies returned at once too.
    private void DeliverLater(Request request, Deferred<RenderResult> later) =>
        later.AddCallbacks(r => Deliver(request, r), f => ProcessingFailed(request, f));

    private void RenderUnsupported(Request request, UnsupportedMethodException e)
    {
        if (request.StartedWriting) return;
        if (Array.IndexOf(s_knownMethods, request.Method) < 0)
        {
            request.SetResponseCode(501);
            request.SetHeader("Content-Type", "text/html; charset=utf-8");
            request.WriteBodyAndFinish(Encoding.UTF8.GetBytes(ErrorPage.Page(501, "Not Implemented", $"The method {request.Method} is not implemented.")));
            return;
        }
        request.SetResponseCode(405);
        request.SetHeader("Allow", string.Join(", ", e.AllowedMethods));
        request.SetHeader("Content-Type", "text/html; charset=utf-8");
        request.WriteBodyAndFinish(Encoding.UTF8.GetBytes(ErrorPage.Page(405, "Method Not Allowed",
            $"Your browser approached me (at {request.Path}) with the method \"{request.Method}\". I only allow the method{(e.AllowedMethods.Count == 1 ? "" : "s")} {string.Join(", ", e.AllowedMethods)} here.")));
    }

    /// <summary>A render failed: log the traceback and answer 500 (Twisted's <c>processingFailed</c>).</summary>
    private void ProcessingFailed(Request request, Failure failure)
    {
        Log.Error(LogEventId.WebRenderFailed, typeof(Site), $"Exception rendering {request.Method} {request.Uri}", failure);
        if (request.Finished || request.IsLost) return;
        if (request.StartedWriting)
        {
            // Too late for a 500: the only honest signal left is to cut the connection.
            request.MarkNotKeepAlive();
            request.Channel.Transport.AbortConnection();
            return;
        }
        request.SetResponseCode(500);
        request.SetHeader("Content-Type", "text/html; charset=utf-8");
        string detail = DisplayTracebacks ? failure.GetTraceback() : "An error occurred while processing this request.";
        request.WriteBodyAndFinish(Encoding.UTF8.GetBytes(ErrorPage.Page(500, "Processing Failed", detail)));
    }

    /// <summary>Writes the access-log line for a finished request.</summary>
    internal void LogAccess(Request request)
    {
        if (!LogRequests) return;
        Log.Info(LogEventId.WebAccess, typeof(Site), CombinedLogFormat(request, WallClock.GetUtcNow()));
    }

    /// <summary>Logs a connection rejected for a framing error (there is no request line to log).</summary>
    internal void LogRejected(EndPoint peer, HttpParseException error)
    {
        if (!LogRequests) return;
        Log.Info(LogEventId.WebBadRequest, typeof(Site), $"{ClientIp(peer)} - - [{LogTime(WallClock.GetUtcNow())}] \"-\" {error.StatusCode} - \"-\" \"-\" ({error.Message})");
    }

    /// <summary>One line in the combined log format (Apache's, as Twisted's <c>combinedLogFormatter</c> writes).</summary>
    internal static string CombinedLogFormat(Request request, DateTimeOffset when) =>
        $"{ClientIp(request.ClientAddress)} - - [{LogTime(when)}] \"{Escape(request.Method)} {Escape(request.Uri)} {request.ClientProtocol}\" " +
        $"{request.Code} {(request.SentLength > 0 ? request.SentLength.ToString(CultureInfo.InvariantCulture) : "-")} " +
        $"\"{Escape(request.GetHeader("Referer") ?? "-")}\" \"{Escape(request.GetHeader("User-Agent") ?? "-")}\"";

    private static string ClientIp(EndPoint peer) => peer is IPEndPoint ip ? ip.Address.ToString() : "-";

    private static string LogTime(DateTimeOffset when) =>
        when.UtcDateTime.ToString("dd/MMM/yyyy:HH:mm:ss +0000", CultureInfo.InvariantCulture);

    // Quotes and backslashes are escaped so a hostile header cannot forge log fields (as Twisted's _escape does).
    private static string Escape(string s)
    {
        if (s.AsSpan().IndexOfAny('"', '\\') < 0 && !s.Any(char.IsControl)) return s;
        var sb = new StringBuilder(s.Length + 8);
        foreach (var c in s)
        {
            if (c is '"' or '\\') sb.Append('\\').Append(c);
            else if (char.IsControl(c)) sb.Append($"\\x{(int)c:x2}");
            else sb.Append(c);
        }
        return sb.ToString();
    }
}
