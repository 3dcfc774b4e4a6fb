namespace Twine.Web.Http;

/// <summary>Comma-separated token lists in header values (<c>Connection: keep-alive, Upgrade</c>).</summary>
internal static class HeaderTokens
{
    /// <summary>True when any of <paramref name="values"/> lists <paramref name="token"/> (case-insensitive, RFC 9110 §5.6.1).</summary>
    public static bool Contains(IReadOnlyList<string> values, string token)
    {
        foreach (var value in values)
        {
            foreach (var part in value.Split(','))
            {
                if (part.AsSpan().Trim(" \t").Equals(token, StringComparison.OrdinalIgnoreCase)) return true;
            }
        }
        return false;
    }
}
