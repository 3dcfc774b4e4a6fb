namespace Twine.Net;

/// <summary>
/// A producer that writes whenever it has data (a "streaming" producer), until the consumer asks it to pause.
/// Transports are push producers of the bytes they read: pausing a transport stops it reading, which is how a slow
/// consumer pushes back on a fast peer.
/// </summary>
/// <example>
/// <code>
/// sealed class Ticker : IPushProducer
/// {
///     public bool Paused;
///     public void PauseProducing() => Paused = true;     // the consumer's buffer is full
///     public void ResumeProducing() => Paused = false;   // it drained: write again
///     public void StopProducing() { /* release resources */ }
/// }
/// transport.RegisterProducer(new Ticker(), streaming: true);
/// </code>
/// </example>
public interface IPushProducer : IProducer
{
    /// <summary>Stops writing until <see cref="ResumeProducing"/> is called.</summary>
    void PauseProducing();

    /// <summary>Starts writing again after <see cref="PauseProducing"/>.</summary>
    void ResumeProducing();
}
