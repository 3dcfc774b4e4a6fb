using System.Text;

namespace Twine.Web.Tests;

/// <summary>
/// A response as read off the wire by a deliberately simple, independent parser (not the server's code), so tests
/// check the bytes the server really sent.
/// </summary>
internal sealed record WireResponse(string Version, int Code, string Reason, List<(string Name, string Value)> Headers, byte[] Body, bool Chunked)
{
    public string? Header(string name) => Headers.LastOrDefault(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>The trailer fields after a chunked body.</summary>
    public List<(string Name, string Value)> Trailers { get; init; } = [];

    public int HeaderCount(string name) => Headers.Count(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>Parses every response in <paramref name="wire"/>; <paramref name="methods"/> gives each one's request method (HEAD has no body).</summary>
    public static List<WireResponse> ParseAll(byte[] wire, string[] methods)
    {
        var list = new List<WireResponse>();
        int pos = 0;
        while (pos < wire.Length)
        {
            string method = list.Count < methods.Length ? methods[list.Count] : methods.Length > 0 ? methods[^1] : "GET";
            list.Add(Parse(wire, ref pos, method));
        }
        return list;
    }

    private static WireResponse Parse(byte[] wire, ref int pos, string method)
    {
        string statusLine = ReadLine(wire, ref pos);
        var parts = statusLine.Split(' ', 3);
        if (parts.Length < 3 || !parts[0].StartsWith("HTTP/1.", StringComparison.Ordinal))
            throw new FormatException($"Bad status line: '{statusLine}'");
        int code = int.Parse(parts[1]);
        var headers = new List<(string, string)>();
        while (true)
        {
            string line = ReadLine(wire, ref pos);
            if (line.Length == 0) break;
            int colon = line.IndexOf(':');
            if (colon <= 0) throw new FormatException($"Bad header line: '{line}'");
            headers.Add((line[..colon], line[(colon + 1)..].Trim()));
        }
        var response = new WireResponse(parts[0], code, parts[2], headers, [], false);
        if (code is >= 100 and < 200) return response;     // interim: the caller reads the final one next
        if (method == "HEAD" || code is 204 or 304) return response;
        if (response.Header("Transfer-Encoding") is { } te)
        {
            if (!te.Equals("chunked", StringComparison.OrdinalIgnoreCase)) throw new FormatException("Unexpected transfer coding " + te);
            var body = new MemoryStream();
            var trailers = new List<(string, string)>();
            while (true)
            {
                int size = Convert.ToInt32(ReadLine(wire, ref pos), 16);
                if (size == 0)
                {
                    for (string t; (t = ReadLine(wire, ref pos)).Length != 0;)
                    {
                        int colon = t.IndexOf(':');
                        if (colon <= 0) throw new FormatException($"Bad trailer line: '{t}'");
                        trailers.Add((t[..colon], t[(colon + 1)..].Trim()));
                    }
                    break;
                }
                body.Write(wire, pos, size);
                pos += size;
                if (ReadLine(wire, ref pos).Length != 0) throw new FormatException("Missing CRLF after chunk");
            }
            return response with { Body = body.ToArray(), Chunked = true, Trailers = trailers };
        }
        if (response.Header("Content-Length") is { } cl)
        {
            int n = int.Parse(cl);
            if (pos + n > wire.Length) throw new FormatException("Truncated body");
            var body = wire.AsSpan(pos, n).ToArray();
            pos += n;
            return response with { Body = body };
        }
        var rest = wire.AsSpan(pos).ToArray();
        pos = wire.Length;
        return response with { Body = rest };
    }

    private static string ReadLine(byte[] wire, ref int pos)
    {
        int lf = Array.IndexOf(wire, (byte)'\n', pos);
        if (lf < 0 || lf == pos || wire[lf - 1] != '\r') throw new FormatException("Line without CRLF");
        var line = Encoding.Latin1.GetString(wire, pos, lf - 1 - pos);
        pos = lf + 1;
        return line;
    }
}
