using System.Text;
using Twine.Web.Http;

namespace Twine.Web.Client;

/// <summary>
/// Writes a request head for the client: origin-form target, Host, and the framing headers the client owns
/// (Content-Length or Transfer-Encoding, Connection), after checking every caller-given name and value so nothing can inject a line.
/// </summary>
internal static class ClientRequestHead
{
    private static readonly string[] s_reserved = ["Content-Length", "Transfer-Encoding", "Connection"];

    /// <summary>The request line and header section.</summary>
    /// <param name="method">The method token.</param>
    /// <param name="uri">The absolute URL.</param>
    /// <param name="headers">The caller's fields.</param>
    /// <param name="body">The body, if any: its length becomes Content-Length, or chunked coding when unknown.</param>
    /// <param name="persistent">Whether the connection may stay open after the response; otherwise Connection: close.</param>
    /// <exception cref="ArgumentException">A bad method, header name or value, or a header the client sets itself.</exception>
    public static byte[] Build(string method, Uri uri, IEnumerable<KeyValuePair<string, string>>? headers, IBodyProducer? body, bool persistent)
    {
        if (method.Length == 0 || !IsToken(method)) throw new ArgumentException($"Invalid HTTP method '{method}'.", nameof(method));
        var head = new StringBuilder();
        head.Append(method).Append(' ').Append(string.IsNullOrEmpty(uri.PathAndQuery) ? "/" : uri.PathAndQuery).Append(" HTTP/1.1\r\n");
        bool hostGiven = false;
        var extra = new StringBuilder();
        foreach (var (name, value) in headers ?? [])
        {
            if (name.Length == 0 || !IsToken(name)) throw new ArgumentException($"Invalid header name '{name}'.", nameof(headers));
            foreach (var c in value)
                if (c > 0xFF || !HttpChars.IsFieldValue((byte)c))
                    throw new ArgumentException($"Invalid character U+{(int)c:X4} in the value of header '{name}'.", nameof(headers));
            if (s_reserved.Any(r => r.Equals(name, StringComparison.OrdinalIgnoreCase)))
                throw new ArgumentException($"The client sets '{name}' itself.", nameof(headers));
            hostGiven |= name.Equals("Host", StringComparison.OrdinalIgnoreCase);
            extra.Append(name).Append(": ").Append(value.Trim(' ', '\t')).Append("\r\n");
        }
        if (!hostGiven) head.Append("Host: ").Append(HostField(uri)).Append("\r\n");
        head.Append(extra);
        if (body?.Length is { } length) head.Append("Content-Length: ").Append(length).Append("\r\n");
        else if (body is not null) head.Append("Transfer-Encoding: chunked\r\n");
        // HTTP/1.1 connections persist by default; a one-use connection says so, so the server closes after answering.
        if (!persistent) head.Append("Connection: close\r\n");
        head.Append("\r\n");
        return Encoding.Latin1.GetBytes(head.ToString());
    }

    /// <summary>The Host field: the host (IPv6 in brackets) and the port unless it is the scheme's default.</summary>
    private static string HostField(Uri uri)
    {
        var host = uri.HostNameType == UriHostNameType.IPv6 ? $"[{uri.DnsSafeHost}]" : uri.IdnHost;
        return uri.IsDefaultPort ? host : $"{host}:{uri.Port}";
    }

    private static bool IsToken(string s)
    {
        foreach (var c in s)
            if (c > 0x7F || !HttpChars.IsToken((byte)c)) return false;
        return true;
    }
}
