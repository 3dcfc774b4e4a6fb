namespace Twine.Web.Http;

/// <summary>
/// Byte classes from RFC 9110 (tchar, field-vchar, URI characters), as 256-entry tables so the parser's inner loops are
/// one load and one compare per byte.
/// </summary>
internal static class HttpChars
{
    private const byte Token = 1;
    private const byte FieldValue = 2;   // VCHAR / obs-text / SP / HTAB
    private const byte Target = 4;       // the characters a request-target may contain (RFC 3986, plus % checked apart)
    private const byte HostChar = 8;     // reg-name / IP-literal / port characters

    private static readonly byte[] s_classes = Build();

    private static byte[] Build()
    {
        var t = new byte[256];
        foreach (var c in "!#$%&'*+-.^_`|~") t[c] |= Token;
        for (int c = '0'; c <= '9'; c++) t[c] |= Token;
        for (int c = 'a'; c <= 'z'; c++) t[c] |= Token;
        for (int c = 'A'; c <= 'Z'; c++) t[c] |= Token;
        for (int c = 0x21; c <= 0x7E; c++) t[c] |= FieldValue;
        for (int c = 0x80; c <= 0xFF; c++) t[c] |= FieldValue;
        t[' '] |= FieldValue;
        t['\t'] |= FieldValue;
        // RFC 3986 unreserved, reserved and '%'. Left out on purpose: controls, space, non-ASCII, '#' (a fragment is
        // never sent), '"', '<', '>', '\' and '`' (never valid in a URI; '\' in particular is a path-traversal trick).
        // '{', '}', '|' and '^' are not valid either but browsers send them unencoded, so they are accepted.
        for (int c = 0x21; c <= 0x7E; c++) t[c] |= Target;
        foreach (var c in "#\"<>\\`") t[c] &= unchecked((byte)~Target);
        foreach (var c in "-._~!$&'()*+,;=%:[]") t[c] |= HostChar;
        for (int c = '0'; c <= '9'; c++) t[c] |= HostChar;
        for (int c = 'a'; c <= 'z'; c++) t[c] |= HostChar;
        for (int c = 'A'; c <= 'Z'; c++) t[c] |= HostChar;
        return t;
    }

    public static bool IsToken(byte b) => (s_classes[b] & Token) != 0;

    public static bool IsFieldValue(byte b) => (s_classes[b] & FieldValue) != 0;

    public static bool IsTarget(byte b) => (s_classes[b] & Target) != 0;

    public static bool IsHost(byte b) => (s_classes[b] & HostChar) != 0;

    public static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t';

    public static bool IsHexDigit(byte b) => HexValue(b) >= 0;

    public static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };

    /// <summary>True if every byte is a tchar and there is at least one.</summary>
    public static bool IsTokenSpan(ReadOnlySpan<byte> s)
    {
        if (s.IsEmpty) return false;
        foreach (var b in s) if (!IsToken(b)) return false;
        return true;
    }

    /// <summary>Trims optional whitespace (SP / HTAB) from both ends.</summary>
    public static ReadOnlySpan<byte> TrimOws(ReadOnlySpan<byte> s)
    {
        int start = 0, end = s.Length;
        while (start < end && IsWhitespace(s[start])) start++;
        while (end > start && IsWhitespace(s[end - 1])) end--;
        return s[start..end];
    }

    /// <summary>ASCII case-insensitive equality of bytes with an ASCII string (no allocation).</summary>
    public static bool EqualsIgnoreCase(ReadOnlySpan<byte> bytes, string ascii)
    {
        if (bytes.Length != ascii.Length) return false;
        for (int i = 0; i < bytes.Length; i++)
        {
            int a = bytes[i], b = ascii[i];
            if (a == b) continue;
            if ((uint)((a | 0x20) - 'a') <= 'z' - 'a' && (a | 0x20) == (b | 0x20)) continue;
            return false;
        }
        return true;
    }
}
