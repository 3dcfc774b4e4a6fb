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
        _realRoot = RealPath(_root)?.FullName ?? _root;
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
        // The requested path names the content type; the real path (links resolved, checked to stay under the root,
        // found once per request) is what is looked at and opened.
        var requested = Resolve(request.Postpath);
        var target = requested is null ? null : RealPathInsideRoot(requested);
        if (requested is null || target is null) return ErrorPage.NoResource().Render(request);
        if (target is DirectoryInfo directory)
        {
            if (!request.Path.EndsWith('/'))
            {
                // Relative links in the page only work under a trailing slash, as Twisted's addSlash redirect knows.
                request.Redirect(request.Path + "/" + (request.Query.Length > 0 ? "?" + request.Query : ""), 301);
                return "";
            }
            foreach (var index in IndexNames)
            {
                var candidate = Path.Combine(directory.FullName, index);
                if (RealPathInsideRoot(candidate) is FileInfo file) return ServeFile(request, file, candidate);
            }
            if (!AllowDirectoryListing) return ErrorPage.Forbidden("Directory listing is not allowed here.").Render(request);
            return Listing(request, directory.FullName);
        }
        return ServeFile(request, (FileInfo)target, requested);
    }

    /// <summary>
    /// The path asked for, under the root by construction, or null for a segment that could climb out or hide a
    /// separator. Links along it are checked by <see cref="RealPathInsideRoot"/>.
    /// </summary>
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
        return path;
    }

    /// <summary>
    /// What <paramref name="path"/> names with every symbolic link along it resolved, if it exists and is the root or
    /// below it; otherwise null. Only the components below the root are walked, from the root's real path resolved once
    /// at construction. The result's status was read on the way, so its type, size and dates cost no more system calls.
    /// </summary>
    private FileSystemInfo? RealPathInsideRoot(string path)
    {
        var full = Path.GetFullPath(path);
        if (!IsUnder(full, _root)) return null;
        var real = Walk(_realRoot, full[_root.Length..]);
        return real is not null && IsUnder(real.FullName, _realRoot) ? real : null;
    }

    private static bool IsUnder(string path, string root) =>
        path == root || path.StartsWith(root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>What the path names, with every symbolic link along it resolved; null if it does not exist.</summary>
    private static FileSystemInfo? RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        return Walk(Path.GetPathRoot(full) ?? "/", full);
    }

    /// <summary>Follows the components of <paramref name="relative"/> from <paramref name="current"/>, resolving each link.</summary>
    private static FileSystemInfo? Walk(string current, string relative)
    {
        FileSystemInfo? info = null;
        foreach (var part in relative.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            info = Existing(Path.Combine(current, part));
            if (info is null) return null;
            // Only a link (its lstat says so) is worth a readlink.
            if ((info.Attributes & FileAttributes.ReparsePoint) != 0)
            {
                var resolved = info.ResolveLinkTarget(returnFinalTarget: true);
                if (resolved is null || !resolved.Exists) return null;
                info = RealPath(resolved.FullName);
                if (info is null) return null;
            }
            current = info.FullName;
        }
        return info ?? Existing(current);
    }

    /// <summary>The directory or file at <paramref name="path"/> (a link is looked at, not followed), or null.</summary>
    private static FileSystemInfo? Existing(string path)
    {
        FileSystemInfo info = Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path);
        return info.Exists ? info : null;
    }

    /// <summary>
    /// Serves <paramref name="info"/> (links resolved: its size and dates are the file's own), typed by the name it was
    /// asked for.
    /// </summary>
    private RenderResult ServeFile(Request request, FileInfo info, string requested)
    {
        long length = info.Length;
        var modified = new DateTimeOffset(info.LastWriteTimeUtc);
        modified = modified.AddTicks(-(modified.Ticks % TimeSpan.TicksPerSecond));
        string etag = $"\"{length:x}-{modified.ToUnixTimeSeconds():x}\"";
        request.SetHeader("ETag", etag);
        request.SetHeader("Last-Modified", HttpDate.Format(modified));
        request.SetHeader("Accept-Ranges", "bytes");
        request.SetHeader("Content-Type", ContentTypes.For(requested));

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
