namespace Twine.Web.WebSockets;

/// <summary>One element of a <c>Sec-WebSocket-Extensions</c> list: a name and its parameters (RFC 6455 §9.1).</summary>
internal sealed record ExtensionOffer(string Name, IReadOnlyList<KeyValuePair<string, string?>> Parameters)
{
    /// <summary>Parses the header's values into offers; null when the syntax is broken.</summary>
    public static List<ExtensionOffer>? ParseAll(IReadOnlyList<string> values)
    {
        var offers = new List<ExtensionOffer>();
        foreach (var value in values)
        {
            foreach (var element in SplitOutsideQuotes(value, ','))
            {
                var parts = SplitOutsideQuotes(element, ';');
                string name = parts[0].Trim();
                if (name.Length == 0)
                {
                    if (parts.Count == 1) continue;      // empty list elements are allowed (RFC 9110 §5.6.1)
                    return null;
                }
                if (!IsToken(name)) return null;
                var parameters = new List<KeyValuePair<string, string?>>();
                for (int i = 1; i < parts.Count; i++)
                {
                    string p = parts[i].Trim();
                    int eq = p.IndexOf('=');
                    string key = (eq < 0 ? p : p[..eq]).Trim();
                    if (!IsToken(key)) return null;
                    string? v = null;
                    if (eq >= 0)
                    {
                        v = p[(eq + 1)..].Trim();
                        if (v.Length >= 2 && v[0] == '"' && v[^1] == '"') v = v[1..^1];
                        if (!IsToken(v)) return null;
                    }
                    parameters.Add(new(key, v));
                }
                offers.Add(new ExtensionOffer(name, parameters));
            }
        }
        return offers;
    }

    private static List<string> SplitOutsideQuotes(string text, char separator)
    {
        var parts = new List<string>();
        bool quoted = false;
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '"') quoted = !quoted;
            else if (text[i] == separator && !quoted)
            {
                parts.Add(text[start..i]);
                start = i + 1;
            }
        }
        parts.Add(text[start..]);
        return parts;
    }

    private static bool IsToken(string s)
    {
        if (s.Length == 0) return false;
        foreach (char c in s)
        {
            if (c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?={}".Contains(c)) return false;
        }
        return true;
    }
}
