namespace Twine.Net;

/// <summary>
/// A producer that writes one piece each time the consumer asks with <see cref="ResumeProducing"/> (a
/// "non-streaming" producer). The consumer calls it when its buffer has drained; the producer unregisters itself
/// when it has nothing more to send. <see cref="Protocols.FileSender"/> is one.
/// </summary>
/// <example>
/// <code>
/// sealed class Countdown(IConsumer consumer) : IPullProducer
/// {
///     private int _left = 3;
///     public void ResumeProducing()
///     {
///         if (_left-- > 0) consumer.Write("tick\n"u8);
///         else consumer.UnregisterProducer();
///     }
///     public void StopProducing() => _left = 0;
/// }
/// consumer.RegisterProducer(new Countdown(consumer), streaming: false);
/// </code>
/// </example>
public interface IPullProducer : IProducer
{
    /// <summary>Writes the next piece of data to the consumer (or unregisters when there is none left).</summary>
    void ResumeProducing();
}
