using Twine.Net;

namespace Twine.Testing;

/// <summary>The rules every consumer here applies to producers.</summary>
internal static class ProducerRules
{
    /// <summary>
    /// A streaming producer must be an <see cref="IPushProducer"/>. A non-streaming one is driven through
    /// <c>ResumeProducing</c>, so it must be an <see cref="IPullProducer"/> or an <see cref="IPushProducer"/> (Twisted
    /// lets a LineReceiver register itself as non-streaming).
    /// </summary>
    public static void CheckKind(IProducer producer, bool streaming)
    {
        if (streaming && producer is not IPushProducer)
            throw new ArgumentException("A streaming producer must implement IPushProducer.", nameof(producer));
        if (!streaming && producer is not (IPullProducer or IPushProducer))
            throw new ArgumentException("A non-streaming producer must implement IPullProducer (or IPushProducer).", nameof(producer));
    }

    /// <summary>Asks a non-streaming producer for the next piece.</summary>
    public static void Pull(IProducer producer)
    {
        if (producer is IPullProducer pull) pull.ResumeProducing();
        else ((IPushProducer)producer).ResumeProducing();
    }
}
