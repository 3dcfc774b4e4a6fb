using System.Text;

namespace Twine.Web.Http;

/// <summary>Percent-decoding and <c>application/x-www-form-urlencoded</c> query parsing.</summary>
internal static class QueryArguments
{
    /// <summary>Parses <c>a=1&amp;b=2&amp;a=3</c> into name → values, decoding each part as UTF-8.</summary>
    public static Dictionary<string, List<string>> Parse(string query)
    {
        var args = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var range in query.AsSpan().Split('&'))
        {
            var pair = query.AsSpan()[range];
            if (pair.IsEmpty) continue;
            int eq = pair.IndexOf('=');
            var name = Unquote(eq < 0 ? pair : pair[..eq], plusIsSpace: true);
            var value = eq < 0 ? "" : Unquote(pair[(eq + 1)..], plusIsSpace: true);
            if (!args.TryGetValue(name, out var values)) args[name] = values = [];
            values.Add(value);
        }
        return args;
    }

    /// <summary>Decodes %XX escapes (and '+' as space when asked) and reads the bytes as UTF-8.</summary>
    public static string Unquote(ReadOnlySpan<char> s, bool plusIsSpace)
    {
        if (s.IndexOfAny('%', '+') < 0) return s.ToString();
        var bytes = new byte[s.Length];
        int n = 0;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '%' && i + 2 < s.Length && HttpChars.HexValue((byte)s[i + 1]) is var hi and >= 0
                && HttpChars.HexValue((byte)s[i + 2]) is var lo and >= 0 && s[i + 1] < 0x80 && s[i + 2] < 0x80)
            {
                bytes[n++] = (byte)(hi * 16 + lo);
                i += 2;
            }
            else if (c == '+' && plusIsSpace) bytes[n++] = (byte)' ';
            else bytes[n++] = (byte)c;   // the target is ASCII (the parser checked), so one char is one byte
        }
        return Encoding.UTF8.GetString(bytes, 0, n);
    }
}
