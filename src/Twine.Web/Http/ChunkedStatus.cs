namespace Twine.Web.Http;

/// <summary>What one step of <see cref="ChunkedDecoder"/> produced.</summary>
internal enum ChunkedStatus
{
    /// <summary>Everything given was consumed (or must wait for more bytes).</summary>
    NeedMore,

    /// <summary>A piece of body data is ready.</summary>
    Data,

    /// <summary>The last chunk and the trailer section are complete: the body is over.</summary>
    Done,
}
