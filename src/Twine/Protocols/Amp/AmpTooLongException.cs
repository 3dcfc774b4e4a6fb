namespace Twine.Protocols.Amp;

/// <summary>
/// A key or value is longer than the AMP wire format allows (Twisted's <c>TooLong</c>, AMP2): keys are at most 255
/// bytes and values at most 65535. Locally it is raised before anything is sent; from the peer it ends the connection.
/// </summary>
/// <example>
/// <code>
/// try { box["data"] = new byte[70_000]; }
/// catch (AmpTooLongException e) when (!e.IsKey) { /* send it as AmpType.BigString instead */ }
/// </code>
/// </example>
public sealed class AmpTooLongException : AmpProtocolException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="isKey">A key (true) or a value (false) was too long.</param>
    /// <param name="isLocal">Raised while sending (true) or received from the peer (false).</param>
    /// <param name="length">The offending length, in bytes.</param>
    /// <param name="keyName">The key, or the key whose value was too long, when known.</param>
    public AmpTooLongException(bool isKey, bool isLocal, int length, string? keyName)
        : base(Describe(isKey, isLocal, length, keyName))
    {
        IsKey = isKey;
        IsLocal = isLocal;
        Length = length;
        KeyName = keyName;
    }

    /// <summary>A key (true) or a value (false) was too long.</summary>
    public bool IsKey { get; }

    /// <summary>Raised while sending (true) or received from the peer (false).</summary>
    public bool IsLocal { get; }

    /// <summary>The offending length, in bytes.</summary>
    public int Length { get; }

    /// <summary>The key, or the key whose value was too long, when known.</summary>
    public string? KeyName { get; }

    private static string Describe(bool isKey, bool isLocal, int length, string? keyName)
    {
        var what = isKey ? "key" : "value";
        var limit = isKey ? AmpBox.MaxKeyLength : AmpBox.MaxValueLength;
        var where = isLocal ? "cannot be sent" : "was received";
        var name = keyName is null ? "" : isKey ? $" ('{Shorten(keyName)}')" : $" for key '{Shorten(keyName)}'";
        return $"An AMP {what}{name} of {length} bytes {where}: the limit is {limit}.";
    }

    private static string Shorten(string s) => s.Length > 40 ? s[..40] + "…" : s;
}
