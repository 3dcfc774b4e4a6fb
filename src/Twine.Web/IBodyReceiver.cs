using Twine.Net;

namespace Twine.Web;

/// <summary>
/// Receives a request body piece by piece as it arrives, with flow control (see <see cref="Request.DeliverBody"/>).
/// The streaming counterpart of reading <see cref="Request.Content"/>, for uploads too large to hold.
/// </summary>
/// <example>
/// <code>
/// sealed class Upload(Stream destination, Request request) : IBodyReceiver
/// {
///     public void BodyStarted(IPushProducer flow) { }
///     public void BodyReceived(ReadOnlySpan&lt;byte&gt; data) => destination.Write(data);
///     public void BodyFinished(Failure? error)
///     {
///         destination.Dispose();
///         if (error is null) { request.Write("stored\n"); request.Finish(); }
///     }
/// }
/// </code>
/// </example>
public interface IBodyReceiver
{
    /// <summary>
    /// Called first, with the body's flow: <see cref="IPushProducer.PauseProducing"/> stops the delivery (for a streamed
    /// body the connection stops reading, so a slow receiver slows the client down) until
    /// <see cref="IPushProducer.ResumeProducing"/>; <see cref="IProducer.StopProducing"/> gives up on the body and
    /// drops the connection.
    /// </summary>
    void BodyStarted(IPushProducer flow);

    /// <summary>The next piece of the body (valid during the call only).</summary>
    void BodyReceived(ReadOnlySpan<byte> data);

    /// <summary>
    /// The body ended: <paramref name="error"/> is null when it arrived whole (the trailers are then on
    /// <see cref="Request.Trailers"/>), else why it never will (the client went away, a framing error, the body limit).
    /// </summary>
    void BodyFinished(Failure? error);
}
