namespace Twine.Web.Client;

/// <summary>The content codings <see cref="ContentDecoderAgent"/> decodes.</summary>
internal enum ContentCoding
{
    /// <summary>RFC 1952 gzip.</summary>
    Gzip,

    /// <summary>HTTP's "deflate": zlib-wrapped (RFC 1950) deflate data.</summary>
    Deflate,

    /// <summary>RFC 7932 Brotli.</summary>
    Brotli,
}
