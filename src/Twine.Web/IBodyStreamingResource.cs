namespace Twine.Web;

/// <summary>
/// A resource that takes its request bodies as a stream: it is rendered as soon as a request's head has arrived (when
/// no earlier request on the connection is still owed an answer), and reads the body with
/// <see cref="Request.DeliverBody"/> while it arrives, instead of finding it buffered in <see cref="Request.Content"/>.
/// </summary>
/// <remarks>
/// A request pipelined behind another is read whole first (buffered, spooled to disk past the threshold, as for any
/// resource): <see cref="Request.DeliverBody"/> then replays it from there, so the resource's code is the same either way.
/// </remarks>
/// <example>
/// <code>
/// sealed class UploadResource : Resource, IBodyStreamingResource
/// {
///     public long MaxBodyLength => 10L &lt;&lt; 30;            // 10 GiB uploads, whatever the site's default
///     public override bool IsLeaf => true;
///     protected override RenderResult RenderPut(Request request)
///     {
///         request.DeliverBody(new Upload(System.IO.File.Create("upload.bin"), request));
///         return RenderResult.NotDoneYet;
///     }
/// }
/// </code>
/// </example>
public interface IBodyStreamingResource : IResource
{
    /// <summary>The largest body this resource takes (bigger bodies are answered 413), in place of the site's limit.</summary>
    long MaxBodyLength { get; }
}
