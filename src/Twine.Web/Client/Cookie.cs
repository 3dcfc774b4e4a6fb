namespace Twine.Web.Client;

/// <summary>One cookie in a <see cref="CookieJar"/>, as RFC 6265 §5.3 stores it.</summary>
/// <example>
/// <code>
/// foreach (var c in jar.Cookies) Console.WriteLine($"{c.Name}={c.Value} for {c.Domain}{c.Path}");
/// </code>
/// </example>
public sealed record Cookie
{
    /// <summary>The cookie's name.</summary>
    public required string Name { get; init; }

    /// <summary>The cookie's value.</summary>
    public required string Value { get; init; }

    /// <summary>The domain, lower case, without a leading dot.</summary>
    public required string Domain { get; init; }

    /// <summary>Whether only <see cref="Domain"/> itself gets the cookie (no Domain attribute was given), not its subdomains.</summary>
    public bool HostOnly { get; init; }

    /// <summary>The path prefix the cookie is sent for.</summary>
    public required string Path { get; init; }

    /// <summary>When the cookie expires; null for a session cookie.</summary>
    public DateTimeOffset? Expires { get; init; }

    /// <summary>Whether it is sent over https only.</summary>
    public bool Secure { get; init; }

    /// <summary>Whether the server marked it HttpOnly (kept for callers; an HTTP client sends it all the same).</summary>
    public bool HttpOnly { get; init; }
}
