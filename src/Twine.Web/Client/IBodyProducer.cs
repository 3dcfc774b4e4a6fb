using Twine.Defer;
using Twine.Net;

namespace Twine.Web.Client;

/// <summary>
/// A request body the client streams onto the connection (Twisted's <c>IBodyProducer</c>). The connection calls
/// <see cref="StartProducing"/> with a consumer to write to and registers the producer with the transport, so a full
/// socket buffer pauses it (<see cref="IPushProducer.PauseProducing"/>) and a drained one resumes it.
/// <see cref="IProducer.StopProducing"/> means the request was abandoned: write nothing more.
/// </summary>
/// <example>
/// <code>
/// sealed class Countdown : IBodyProducer
/// {
///     public long? Length => null;                       // unknown: sent chunked
///     public Deferred&lt;Unit&gt; StartProducing(IConsumer consumer)
///     {
///         for (int i = 3; i &gt; 0; i--) consumer.Write(Encoding.ASCII.GetBytes($"{i}\n"));
///         return Deferred.Succeed();
///     }
///     public void PauseProducing() { }
///     public void ResumeProducing() { }
///     public void StopProducing() { }
/// }
/// </code>
/// </example>
public interface IBodyProducer : IPushProducer
{
    /// <summary>The body's length in bytes, sent as Content-Length; null when unknown (sent with chunked coding).</summary>
    long? Length { get; }

    /// <summary>
    /// Starts writing the body to <paramref name="consumer"/>; the Deferred fires when all of it has been written (or
    /// fails, which aborts the request). With a known <see cref="Length"/>, writing more or fewer bytes is an error.
    /// </summary>
    Deferred<Unit> StartProducing(IConsumer consumer);
}
