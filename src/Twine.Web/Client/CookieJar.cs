using System.Net;
using Twine.Web.Http;

namespace Twine.Web.Client;

/// <summary>
/// Cookies a client has been given, with RFC 6265's storage and matching rules at a sensible level: Domain (must
/// domain-match the host; host-only without it; an IP address only matches itself), Path (default path from the
/// request), Expires and Max-Age (Max-Age wins; a past date deletes), Secure (https only), and replacement of a cookie
/// with the same name, domain and path. Not done: the public suffix list (a cookie for <c>Domain=co.uk</c> from
/// <c>a.co.uk</c> is kept) and SameSite (a browser concept). Holds at most 3,000 cookies, dropping the oldest.
/// </summary>
/// <example>
/// <code>
/// var jar = new CookieJar();
/// jar.Store(new Uri("http://example.org/a/b"), ["id=42; Path=/; Max-Age=3600"]);
/// Console.WriteLine(jar.CookieHeaderFor(new Uri("http://example.org/x")));   // id=42
/// </code>
/// </example>
public sealed class CookieJar
{
    private const int MaxCookies = 3000;
    private readonly List<Cookie> _cookies = [];
    private readonly Func<DateTimeOffset> _now;

    /// <summary>Creates an empty jar; <paramref name="now"/> is the wall clock for expiry (UtcNow by default; tests pass their own).</summary>
    public CookieJar(Func<DateTimeOffset>? now = null) => _now = now ?? (() => DateTimeOffset.UtcNow);

    /// <summary>The cookies held and not expired.</summary>
    public IReadOnlyList<Cookie> Cookies
    {
        get
        {
            RemoveExpired();
            return [.. _cookies];
        }
    }

    /// <summary>Stores the cookies of <paramref name="setCookieFields"/> (Set-Cookie values) received from <paramref name="uri"/>; invalid ones are ignored, as §5.2 says.</summary>
    public void Store(Uri uri, IEnumerable<string> setCookieFields)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(setCookieFields);
        foreach (var field in setCookieFields)
            if (Parse(uri, field) is { } cookie) Put(cookie);
    }

    /// <summary>The Cookie field value to send to <paramref name="uri"/> (longest paths first), or null when none match.</summary>
    public string? CookieHeaderFor(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        RemoveExpired();
        var host = uri.DnsSafeHost.ToLowerInvariant();
        var path = string.IsNullOrEmpty(uri.AbsolutePath) ? "/" : uri.AbsolutePath;
        var matching = _cookies
            .Where(c => (c.HostOnly ? c.Domain == host : DomainMatches(host, c.Domain)) && PathMatches(path, c.Path)
                        && (!c.Secure || uri.Scheme == Uri.UriSchemeHttps))
            .OrderByDescending(c => c.Path.Length)
            .Select(c => $"{c.Name}={c.Value}")
            .ToList();
        return matching.Count == 0 ? null : string.Join("; ", matching);
    }

    /// <summary>Parses one Set-Cookie value per RFC 6265 §5.2; null when it must be ignored.</summary>
    internal Cookie? Parse(Uri uri, string field)
    {
        var parts = field.Split(';');
        int eq = parts[0].IndexOf('=');
        if (eq < 0) return null;
        var name = parts[0][..eq].Trim(' ', '\t');
        var value = parts[0][(eq + 1)..].Trim(' ', '\t');
        if (name.Length == 0 || name.Any(ch => ch <= ' ' || ch >= 0x7F || ch == '=') || value.Any(ch => ch < ' ' || ch == 0x7F)) return null;
        var host = uri.DnsSafeHost.ToLowerInvariant();
        string? domain = null, path = null;
        DateTimeOffset? expires = null, maxAgeExpires = null;
        bool secure = false, httpOnly = false;
        foreach (var attribute in parts.Skip(1))
        {
            int aeq = attribute.IndexOf('=');
            var key = (aeq < 0 ? attribute : attribute[..aeq]).Trim(' ', '\t').ToLowerInvariant();
            var val = aeq < 0 ? "" : attribute[(aeq + 1)..].Trim(' ', '\t');
            switch (key)
            {
                case "domain" when val.Length > 0:
                    domain = val.TrimStart('.').ToLowerInvariant();
                    break;
                case "path" when val.StartsWith('/'):
                    path = val;
                    break;
                case "expires" when HttpDate.TryParse(val, out var when) || DateTimeOffset.TryParse(val, System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.AssumeUniversal, out when):
                    expires = when;
                    break;
                case "max-age" when long.TryParse(val, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var seconds):
                    maxAgeExpires = seconds <= 0 ? DateTimeOffset.MinValue : _now() + TimeSpan.FromSeconds(Math.Min(seconds, 400L * 24 * 3600));
                    break;
                case "secure":
                    secure = true;
                    break;
                case "httponly":
                    httpOnly = true;
                    break;
            }
        }
        bool hostOnly = domain is null;
        if (domain is not null && !DomainMatches(host, domain)) return null;
        return new Cookie
        {
            Name = name,
            Value = value,
            Domain = domain ?? host,
            HostOnly = hostOnly,
            Path = path ?? DefaultPath(uri.AbsolutePath),
            Expires = maxAgeExpires ?? expires,
            Secure = secure,
            HttpOnly = httpOnly,
        };
    }

    private void Put(Cookie cookie)
    {
        _cookies.RemoveAll(c => c.Name == cookie.Name && c.Domain == cookie.Domain && c.Path == cookie.Path);
        if (cookie.Expires is { } e && e <= _now()) return;      // an expiry in the past deletes the cookie
        _cookies.Add(cookie);
        if (_cookies.Count > MaxCookies) _cookies.RemoveAt(0);
    }

    private void RemoveExpired()
    {
        var now = _now();
        _cookies.RemoveAll(c => c.Expires is { } e && e <= now);
    }

    /// <summary>§5.1.3: the host equals the domain, or ends with "." + domain and is a name, not an IP address.</summary>
    private static bool DomainMatches(string host, string domain) =>
        host == domain || (host.EndsWith("." + domain, StringComparison.Ordinal) && !IPAddress.TryParse(host, out _));

    /// <summary>§5.1.4 path-match.</summary>
    private static bool PathMatches(string requestPath, string cookiePath) =>
        requestPath == cookiePath ||
        (requestPath.StartsWith(cookiePath, StringComparison.Ordinal) && (cookiePath.EndsWith('/') || requestPath[cookiePath.Length] == '/'));

    /// <summary>§5.1.4 default-path: the request path up to its last slash.</summary>
    private static string DefaultPath(string path)
    {
        if (!path.StartsWith('/')) return "/";
        int last = path.LastIndexOf('/');
        return last <= 0 ? "/" : path[..last];
    }
}
