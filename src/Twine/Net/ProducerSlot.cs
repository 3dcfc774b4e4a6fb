namespace Twine.Net;

/// <summary>
/// The producer side of an <see cref="IConsumer"/>, written once for every transport — the socket transports, the
/// TLS layer and Twine.Testing's doubles — so none of them can drift from the rules: one producer at a time; a
/// streaming producer must be an <see cref="IPushProducer"/>, a non-streaming one an <see cref="IPullProducer"/> (or
/// push); a non-streaming producer is asked for data when it registers and each time the consumer's buffer drains; a
/// streaming one is paused when the buffer passes the high-water mark and resumed when it falls to the low-water
/// mark; registering on a closed consumer stops the producer; unregistering is always allowed, also with
/// nothing registered and after the connection is lost, as Twisted's transports allow it.
/// </summary>
/// <example>
/// <code>
/// // In a transport:
/// private readonly ProducerSlot _producer = new();
/// public void RegisterProducer(IProducer p, bool streaming) { if (_producer.Register(p, streaming, _closed)) _producer.Written(Buffered, HighWater); }
/// public void Write(ReadOnlySpan&lt;byte&gt; data) { Append(data); _producer.Written(Buffered, HighWater); }
/// private void AfterSend() => _producer.Drained(Buffered, LowWater);
/// </code>
/// </example>
public sealed class ProducerSlot
{
    /// <summary>The registered producer, or null.</summary>
    public IProducer? Producer { get; private set; }

    /// <summary>Whether <see cref="Producer"/> is streaming (push) rather than pulled.</summary>
    public bool Streaming { get; private set; }

    /// <summary>True while a streaming producer is paused because the consumer's buffer is full.</summary>
    public bool Paused { get; private set; }

    /// <summary>
    /// Registers <paramref name="producer"/>. On a closed consumer the producer is stopped instead and false is
    /// returned. A non-streaming producer is asked for its first data at once.
    /// </summary>
    /// <exception cref="InvalidOperationException">A producer is already registered.</exception>
    /// <exception cref="ArgumentException">The producer does not implement the interface <paramref name="streaming"/> calls for.</exception>
    public bool Register(IProducer producer, bool streaming, bool consumerClosed)
    {
        ArgumentNullException.ThrowIfNull(producer);
        if (Producer is not null)
            throw new InvalidOperationException($"Cannot register producer {producer}, because producer {Producer} was never unregistered.");
        CheckKind(producer, streaming);
        if (consumerClosed)
        {
            producer.StopProducing();
            return false;
        }
        Producer = producer;
        Streaming = streaming;
        Paused = false;
        if (!streaming) Pull(producer);
        return true;
    }

    /// <summary>Checks that <paramref name="producer"/> implements the interface <paramref name="streaming"/> calls for.</summary>
    /// <exception cref="ArgumentException">It does not.</exception>
    public static void CheckKind(IProducer producer, bool streaming)
    {
        ArgumentNullException.ThrowIfNull(producer);
        if (streaming && producer is not IPushProducer)
            throw new ArgumentException("A streaming producer must implement IPushProducer.", nameof(producer));
        if (!streaming && producer is not (IPullProducer or IPushProducer))
            throw new ArgumentException("A non-streaming producer must implement IPullProducer (or IPushProducer).", nameof(producer));
    }

    /// <summary>Forgets the producer. Never throws: Twisted's transports allow it at any time (TCP1).</summary>
    public void Unregister()
    {
        Producer = null;
        Paused = false;
    }

    /// <summary>After data was buffered: pauses a streaming producer once <paramref name="buffered"/> passes <paramref name="highWaterMark"/>.</summary>
    public void Written(long buffered, long highWaterMark)
    {
        if (Streaming && !Paused && buffered > highWaterMark && Producer is IPushProducer push)
        {
            Paused = true;
            push.PauseProducing();
        }
    }

    /// <summary>
    /// After data was sent: resumes a paused streaming producer once <paramref name="buffered"/> is at most
    /// <paramref name="lowWaterMark"/>, and asks a non-streaming one for more once the buffer is empty. True when
    /// the producer was called.
    /// </summary>
    public bool Drained(long buffered, long lowWaterMark)
    {
        if (Producer is not { } producer) return false;
        if (Streaming)
        {
            if (!Paused || buffered > lowWaterMark) return false;
            Paused = false;
            ((IPushProducer)producer).ResumeProducing();
            return true;
        }
        if (buffered > 0) return false;
        Pull(producer);
        return true;
    }

    /// <summary>Stops and forgets the producer (the consumer closed for good).</summary>
    public void Stop()
    {
        if (Producer is not { } producer) return;
        Unregister();
        producer.StopProducing();
    }

    private static void Pull(IProducer producer)
    {
        if (producer is IPullProducer pull) pull.ResumeProducing();
        else ((IPushProducer)producer).ResumeProducing();
    }
}
