namespace Twine.Web.Http;

/// <summary>The syntax of <c>uri-host [ ":" port ]</c> (RFC 9110 §7.2, RFC 3986 §3.2), for Host fields and authorities.</summary>
internal static class HostSyntax
{
    /// <summary>True for an empty value, a reg-name or IPv4 address, or a bracketed IP literal, each with an optional port.</summary>
    public static bool IsValid(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty) return true;
        ReadOnlySpan<byte> port;
        if (value[0] == (byte)'[')
        {
            int close = value.IndexOf((byte)']');
            if (close < 2) return false;
            foreach (var b in value[1..close])
                if (!(HttpChars.IsHexDigit(b) || b is (byte)':' or (byte)'.')) return false;
            port = value[(close + 1)..];
            if (!port.IsEmpty && port[0] != (byte)':') return false;
        }
        else
        {
            int colon = value.IndexOf((byte)':');
            var host = colon < 0 ? value : value[..colon];
            foreach (var b in host)
                if (!HttpChars.IsHost(b) || b is (byte)'[' or (byte)']' or (byte)':') return false;
            port = colon < 0 ? default : value[colon..];
        }
        if (port.IsEmpty) return true;
        foreach (var b in port[1..])
            if ((uint)(b - '0') > 9) return false;
        return true;
    }
}
