namespace Twine.Testing;

/// <summary>The state of a <see cref="MemoryTransport"/> in its role as a push producer (ST3).</summary>
/// <example><code>Assert.Equal(ProducerState.Paused, transport.ProducerState);</code></example>
public enum ProducerState
{
    /// <summary>Reading (the initial state).</summary>
    Producing,
    /// <summary>Paused by <c>PauseProducing</c>.</summary>
    Paused,
    /// <summary>Stopped by <c>StopProducing</c>; it cannot be paused or resumed any more.</summary>
    Stopped,
}
