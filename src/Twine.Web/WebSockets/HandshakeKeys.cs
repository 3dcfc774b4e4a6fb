using System.Security.Cryptography;
using System.Text;

namespace Twine.Web.WebSockets;

/// <summary>The Sec-WebSocket-Key / Sec-WebSocket-Accept pair of RFC 6455 §4.2.2.</summary>
internal static class HandshakeKeys
{
    private const string Guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <summary>A fresh random key: 16 bytes, base64.</summary>
    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));

    /// <summary>True when <paramref name="key"/> is base64 for exactly 16 bytes.</summary>
    public static bool IsValidKey(string key)
    {
        if (key.Length != 24) return false;
        Span<byte> decoded = stackalloc byte[18];
        return Convert.TryFromBase64String(key, decoded, out int n) && n == 16;
    }

    /// <summary>The accept value the server answers <paramref name="key"/> with.</summary>
    public static string Accept(string key) => Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + Guid)));
}
