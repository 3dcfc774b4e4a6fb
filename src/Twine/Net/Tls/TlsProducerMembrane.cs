namespace Twine.Net.Tls;

/// <summary>
/// What a <see cref="TlsProtocol"/> registers with the transport below on behalf of the wrapped protocol's producer
/// (Twisted's <c>_ProducerMembrane</c>): the transport's pause, resume and stop reach the TLS layer, which decides what
/// the real producer is told — so a full socket buffer pauses the producer of plaintext.
/// </summary>
internal sealed class TlsProducerMembrane : IPushProducer
{
    private readonly TlsProtocol _owner;

    public TlsProducerMembrane(TlsProtocol owner, bool streaming)
    {
        _owner = owner;
        Streaming = streaming;
    }

    /// <summary>Whether the wrapped producer is streaming (registered below with the same flag).</summary>
    public bool Streaming { get; }

    public void PauseProducing()
    {
        if (Streaming) _owner.OnUnderlyingPaused(this, paused: true);
    }

    public void ResumeProducing()
    {
        if (Streaming) _owner.OnUnderlyingPaused(this, paused: false);
        else _owner.OnUnderlyingPull(this);
    }

    public void StopProducing() => _owner.OnUnderlyingStopped(this);
}
