using System.Net;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Twine.Net;
using Twine.Web.Http;

namespace Twine.Web.Static;

/// <summary>
/// Serves a directory (or one file) from disk, after twisted.web's <c>static.File</c>: content types by extension,
/// <c>ETag</c> and <c>Last-Modified</c> with conditional requests (304), single byte ranges (206, or 416 when
/// unsatisfiable), HEAD, index files, and an optional directory listing (off by default). Bodies are streamed by a
/// pull producer, so memory does not grow with the file's size.
/// </summary>
/// <remarks>
/// Nothing outside the root can be reached: <c>..</c> and <c>.</c> segments, encoded slashes and backslashes, NUL, and
/// symbolic links whose target leaves the root are all answered 404.
/// </remarks>
/// <example>
/// <code>
/// var site = new Site(new Twine.Web.Static.File("/var/www") { AllowDirectoryListing = true }, reactor);
/// </code>
/// </example>
public sealed class File : IResource
{
    private readonly string _root;
    private readonly string _realRoot;
    private readonly bool _rootIsFile;

    /// <summary>Serves <paramref name="path"/>, a directory or a single file.</summary>
    /// <exception cref="DirectoryNotFoundException">Nothing exists at <paramref name="path"/>.</exception>
    public File(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        _root = Path.GetFullPath(path);
        _rootIsFile = System.IO.File.Exists(_root);
        if (!_rootIsFile && !Directory.Exists(_root)) throw new DirectoryNotFoundException($"Nothing to serve at '{_root}'.");
        _realRoot = RealPath(_root) ?? _root;
    }

    /// <summary>The file or directory served.</summary>
    public string RootPath => _root;

    /// <summary>Whether a directory without an index file is listed (true) or refused with 403 (false, the default).</summary>
    public bool AllowDirectoryListing { get; init; }

    /// <summary>The names tried, in order, when a directory is requested. Default: index.html, index.htm.</summary>
    public IReadOnlyList<string> IndexNames { get; init; } = ["index.html", "index.htm"];

    /// <summary>
    /// Whether file bodies go out with <c>sendfile</c> (no copy through the process) when the connection is a plain
    /// TCP or Unix socket. Default true; over TLS, or with this off, the file is read and written in 64 KiB chunks.
    /// </summary>
    public bool UseSendFile { get; init; } = true;

    /// <summary>True: the file resource resolves every segment below it itself.</summary>
    public bool IsLeaf => true;

    /// <summary>Itself (the remaining path is resolved in <see cref="Render"/>).</summary>
    public IResource GetChildWithDefault(string name, Request request) => this;

    /// <summary>Not supported: children are the files on disk.</summary>
    public void PutChild(string name, IResource child) => throw new InvalidOperationException("A File resource's children are the files on disk.");

    /// <summary>Serves the file or directory named by the request's remaining path.</summary>
    public RenderResult Render(Request request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Method is not ("GET" or "HEAD")) throw new UnsupportedMethodException(["GET", "HEAD"]);
        var target = Resolve(request.Postpath);
        if (target is null) return ErrorPage.NoResource().Render(request);
        if (Directory.Exists(target))
        {
            if (!request.Path.EndsWith('/'))
            {
                // Relative links in the page only work under a trailing slash, as Twisted's addSlash redirect knows.
                request.Redirect(request.Path + "/" + (request.Query.Length > 0 ? "?" + request.Query : ""), 301);
                return "";
            }
            foreach (var index in IndexNames)
            {
                var candidate = Path.Combine(target, index);
                if (System.IO.File.Exists(candidate) && IsInsideRoot(candidate)) return ServeFile(request, candidate);
            }
            if (!AllowDirectoryListing) return ErrorPage.Forbidden("Directory listing is not allowed here.").Render(request);
            return Listing(request, target);
        }
        return System.IO.File.Exists(target) ? ServeFile(request, target) : ErrorPage.NoResource().Render(request);
    }

    /// <summary>The path on disk for <paramref name="segments"/>, or null when it would leave the root.</summary>
    private string? Resolve(IReadOnlyList<string> segments)
    {
        if (_rootIsFile) return segments.Count == 0 || (segments.Count == 1 && segments[0].Length == 0) ? _root : null;
        var path = _root;
        for (int i = 0; i < segments.Count; i++)
        {
            var s = segments[i];
            if (s.Length == 0)
            {
                if (i == segments.Count - 1) break;      // trailing slash: the directory itself
                return null;                              // "a//b"
            }
            // Decoded segments may carry what the raw target could not: %2F, %5C, %00, and dot segments.
            if (s is "." or ".." || s.AsSpan().IndexOfAny('/', '\\', '\0') >= 0) return null;
            path = Path.Combine(path, s);
        }
        return IsInsideRoot(path) ? path : null;
    }

    /// <summary>True if <paramref name="path"/>, with every symbolic link resolved, is the root or below it.</summary>
    private bool IsInsideRoot(string path)
    {
        var full = Path.GetFullPath(path);
        if (!IsUnder(full, _root)) return false;
        var real = RealPathBelowRoot(full);
        return real is null || IsUnder(real, _realRoot);
    }

    private static bool IsUnder(string path, string root) =>
        path == root || path.StartsWith(root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>The path with every symbolic link along it resolved; null if it does not exist.</summary>
    private static string? RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        return Walk(Path.GetPathRoot(full) ?? "/", full);
    }

    /// <summary>
    /// <see cref="RealPath"/> for a path under the root: only the components below the root are walked, starting from
    /// the root's real path resolved once at construction. Walking from "/" cost a few system calls per directory
    /// above the root, twice per request, and was most of the CPU a small static file took.
    /// </summary>
    private string? RealPathBelowRoot(string full) => IsUnder(full, _root) ? Walk(_realRoot, full[_root.Length..]) : RealPath(full);

    /// <summary>Follows the components of <paramref name="relative"/> from <paramref name="current"/>, resolving each link.</summary>
    private static string? Walk(string current, string relative)
    {
        foreach (var part in relative.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (!info.Exists) return null;
            if (info.LinkTarget is not null)
            {
                var resolved = info.ResolveLinkTarget(returnFinalTarget: true);
                if (resolved is null || !resolved.Exists) return null;
                next = RealPath(resolved.FullName);
                if (next is null) return null;
            }
            current = next;
        }
        return current;
    }

    private RenderResult ServeFile(Request request, string path)
    {
        // Size and dates of the file itself, not of a symbolic link to it (links were checked against the root already).
        var info = new FileInfo(RealPathBelowRoot(Path.GetFullPath(path)) ?? path);
        long length = info.Length;
        var modified = new DateTimeOffset(info.LastWriteTimeUtc);
        modified = modified.AddTicks(-(modified.Ticks % TimeSpan.TicksPerSecond));
        string etag = $"\"{length:x}-{modified.ToUnixTimeSeconds():x}\"";
        request.SetHeader("ETag", etag);
        request.SetHeader("Last-Modified", HttpDate.Format(modified));
        request.SetHeader("Accept-Ranges", "bytes");
        request.SetHeader("Content-Type", ContentTypes.For(path));

        if (NotModified(request, etag, modified))
        {
            request.SetResponseCode(304);
            return "";
        }

        long start = 0, count = length;
        var range = request.GetHeader("Range");
        if (range is not null && IfRangeHolds(request, etag, modified))
        {
            switch (ByteRange.Parse(range, length, out start, out count))
            {
                case ByteRangeResult.Satisfiable:
                    request.SetResponseCode(206);
                    request.SetHeader("Content-Range", $"bytes {start}-{start + count - 1}/{length}");
                    break;
                case ByteRangeResult.Unsatisfiable:
                    request.SetResponseCode(416);
                    request.SetHeader("Content-Range", $"bytes */{length}");
                    request.SetHeader("Content-Type", "text/plain");
                    return "";
                default:
                    start = 0;
                    count = length;
                    break;
            }
        }
        request.SetHeader("Content-Length", count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (request.Method == "HEAD" || count == 0)
        {
            request.Write(ReadOnlySpan<byte>.Empty);
            request.Finish();
            return RenderResult.NotDoneYet;
        }
        SafeFileHandle handle;
        try
        {
            handle = System.IO.File.OpenHandle(info.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            request.ResponseHeaders.Remove("Content-Length");
            return ErrorPage.Forbidden("The file cannot be read.").Render(request);
        }
        // Zero-copy where the transport is a plain socket; through TLS (or in memory) the bytes must pass through us.
        if (UseSendFile && request.Channel.Transport is IFileSendingTransport sender)
        {
            new FileRegionProducer(handle, start, count, request, sender).Start();
            return RenderResult.NotDoneYet;
        }
        var file = new FileStream(handle, FileAccess.Read, 1);
        file.Position = start;
        new FileRangeProducer(file, count, request).Start();
        return RenderResult.NotDoneYet;
    }

    /// <summary>RFC 9110 §13.2.2: If-None-Match wins over If-Modified-Since.</summary>
    private static bool NotModified(Request request, string etag, DateTimeOffset modified)
    {
        var noneMatch = request.Headers.GetAll("If-None-Match");
        if (noneMatch.Count > 0)
        {
            foreach (var field in noneMatch)
                foreach (var tag in field.Split(',', StringSplitOptions.TrimEntries))
                    if (tag == "*" || WeakEquals(tag, etag)) return true;
            return false;
        }
        return HttpDate.TryParse(request.GetHeader("If-Modified-Since"), out var since) && modified <= since;
    }

    private static bool IfRangeHolds(Request request, string etag, DateTimeOffset modified)
    {
        var ifRange = request.GetHeader("If-Range");
        if (ifRange is null) return true;
        if (ifRange.StartsWith('"')) return ifRange == etag;          // strong comparison for If-Range
        return HttpDate.TryParse(ifRange, out var date) && date == modified;
    }

    private static bool WeakEquals(string a, string b) =>
        (a.StartsWith("W/", StringComparison.Ordinal) ? a[2..] : a) == (b.StartsWith("W/", StringComparison.Ordinal) ? b[2..] : b);

    private static RenderResult Listing(Request request, string directory)
    {
        var html = new StringBuilder();
        var title = WebUtility.HtmlEncode("Directory listing for " + Uri.UnescapeDataString(request.Path));
        html.Append("<!DOCTYPE html>\n<html>\n<head><meta charset=\"utf-8\"><title>").Append(title).Append("</title></head>\n<body>\n<h1>")
            .Append(title).Append("</h1>\n<ul>\n");
        var entries = new DirectoryInfo(directory).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var name = entry is DirectoryInfo ? entry.Name + "/" : entry.Name;
            html.Append("<li><a href=\"").Append(Uri.EscapeDataString(entry.Name)).Append(entry is DirectoryInfo ? "/" : "")
                .Append("\">").Append(WebUtility.HtmlEncode(name)).Append("</a></li>\n");
        }
        html.Append("</ul>\n</body>\n</html>\n");
        request.SetHeader("Content-Type", "text/html; charset=utf-8");
        return html.ToString();
    }
}
