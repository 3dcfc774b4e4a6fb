namespace Twine.Web.Http;

/// <summary>How a message's body is delimited (RFC 9112 §6.3).</summary>
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
