namespace Twine.Net;

/// <summary>
/// Something that writes data into an <see cref="IConsumer"/> over time, after Twisted's <c>IProducer</c>. The consumer
/// tells it to stop for good with <see cref="StopProducing"/>; <see cref="IPushProducer"/> and
/// <see cref="IPullProducer"/> say how the consumer asks for more.
/// </summary>
/// <example>
/// <code>
/// transport.RegisterProducer(producer, streaming: true);   // producer is an IPushProducer
/// // ... later, when the transport closes, it calls producer.StopProducing()
/// </code>
/// </example>
public interface IProducer
{
    /// <summary>
    /// Stops producing for good: the consumer is closing or has closed, and will not accept more data.
    /// </summary>
    void StopProducing();
}
