using System.Text;

namespace Twine.Web.Http;

/// <summary>Cookie parsing (the request's <c>Cookie</c> fields) and <c>Set-Cookie</c> formatting (RFC 6265).</summary>
internal static class Cookies
{
    /// <summary>Every <c>name=value</c> pair of every Cookie field; the first of a repeated name wins.</summary>
    public static Dictionary<string, string> ParseRequest(HttpHeaders headers)
    {
        var cookies = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in headers.GetAll("Cookie"))
        {
            foreach (var range in field.AsSpan().Split(';'))
            {
                var pair = field.AsSpan()[range].Trim(' ');
                int eq = pair.IndexOf('=');
                if (eq <= 0) continue;
                var name = pair[..eq].Trim(' ').ToString();
                var value = pair[(eq + 1)..].Trim(' ');
                if (value.Length >= 2 && value[0] == '"' && value[^1] == '"') value = value[1..^1];
                cookies.TryAdd(name, value.ToString());
            }
        }
        return cookies;
    }

    /// <summary>Formats a Set-Cookie value, refusing names and values that could break the field.</summary>
    /// <exception cref="ArgumentException">The name is not a token, or the value or an attribute has a forbidden character.</exception>
    public static string Format(string name, string value, DateTimeOffset? expires, string? domain, string? path,
        TimeSpan? maxAge, bool secure, bool httpOnly, string? sameSite)
    {
        if (name.Length == 0 || !name.All(c => c < 0x80 && HttpChars.IsToken((byte)c)))
            throw new ArgumentException($"Invalid cookie name '{name}'.", nameof(name));
        // cookie-octet: no controls, whitespace, DQUOTE, comma, semicolon or backslash.
        foreach (var c in value)
            if (c is <= ' ' or '"' or ',' or ';' or '\\' or >= (char)0x7F)
                throw new ArgumentException($"Invalid character U+{(int)c:X4} in the value of cookie '{name}'.", nameof(value));
        var sb = new StringBuilder(name).Append('=').Append(value);
        if (expires is { } e) sb.Append("; Expires=").Append(HttpDate.Format(e));
        if (maxAge is { } age) sb.Append("; Max-Age=").Append((long)age.TotalSeconds);
        if (domain is not null) sb.Append("; Domain=").Append(CheckAttribute(domain, nameof(domain)));
        if (path is not null) sb.Append("; Path=").Append(CheckAttribute(path, nameof(path)));
        if (secure) sb.Append("; Secure");
        if (httpOnly) sb.Append("; HttpOnly");
        if (sameSite is not null) sb.Append("; SameSite=").Append(CheckAttribute(sameSite, nameof(sameSite)));
        return sb.ToString();
    }

    private static string CheckAttribute(string value, string parameter)
    {
        foreach (var c in value)
            if (c is < ' ' or ';' or >= (char)0x7F) throw new ArgumentException($"Invalid character U+{(int)c:X4} in a cookie attribute.", parameter);
        return value;
    }
}
