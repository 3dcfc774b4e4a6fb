namespace Twine.Web.Http;

/// <summary>How a message's body is delimited (RFC 9112 §6.3).</summary>
/// <example>
/// <code>
/// // Content-Length: 5 → (BodyKind.Length, 5); Transfer-Encoding: chunked → (BodyKind.Chunked, -1)
/// </code>
/// </example>
public enum BodyKind
{
    /// <summary>No body at all.</summary>
    None,

    /// <summary>Exactly <c>Content-Length</c> bytes.</summary>
    Length,

    /// <summary>The chunked transfer coding.</summary>
    Chunked,

    /// <summary>Everything until the connection closes (responses only).</summary>
    UntilClose,
}
