namespace Twine.Net;

/// <summary>
/// Something that accepts bytes and can be fed by a producer, after Twisted's <c>IConsumer</c>. Every transport is a
/// consumer.
/// </summary>
/// <remarks>
/// A streaming (<see cref="IPushProducer"/>) producer is paused when the consumer's buffer passes its high-water mark
/// and resumed when it drains; a non-streaming (<see cref="IPullProducer"/>) producer is asked for the next piece
/// each time the buffer drains. Flow control is how a fast writer and a slow reader share a connection without the
/// buffer growing without bound.
/// </remarks>
/// <example>
/// <code>
/// consumer.RegisterProducer(new FileSenderLikeProducer(consumer), streaming: false);
/// consumer.Write("hello"u8);
/// </code>
/// </example>
public interface IConsumer
{
    /// <summary>
    /// Attaches a producer. <paramref name="streaming"/> is true for an <see cref="IPushProducer"/>, which is paused and
    /// resumed, and false for a producer asked for each piece through <c>ResumeProducing</c>: an
    /// <see cref="IPullProducer"/> (or an <see cref="IPushProducer"/>, as Twisted allows).
    /// </summary>
    /// <exception cref="InvalidOperationException">A producer is already registered.</exception>
    /// <exception cref="ArgumentException">The producer does not implement the interface <paramref name="streaming"/> calls for.</exception>
    void RegisterProducer(IProducer producer, bool streaming);

    /// <summary>Detaches the registered producer.</summary>
    /// <exception cref="InvalidOperationException">No producer is registered.</exception>
    void UnregisterProducer();

    /// <summary>
    /// Queues <paramref name="data"/> to be sent, in order. The consumer copies what it keeps before returning, so the
    /// caller may reuse its buffer at once.
    /// </summary>
    /// <remarks>
    /// <b>Reactor thread only.</b> Transports are not thread-safe. A write from another thread (for example after an
    /// <c>await ... ConfigureAwait(false)</c>, or from a <c>Task.Run</c>) is not refused today: it returns normally,
    /// but the bytes may go out only at the connection's next event, or race with the reactor. Hand the write to the
    /// reactor instead: <c>reactor.CallFromThread(() =&gt; transport.Write(data))</c> (copy <paramref name="data"/>
    /// first: the span does not outlive the call).
    /// </remarks>
    void Write(ReadOnlySpan<byte> data);
}
