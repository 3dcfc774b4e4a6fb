using Twine.Defer;

namespace Twine.Web.WebSockets;

/// <summary>
/// What <see cref="WebSocketServerProtocol.OnConnect"/> returns: a <see cref="ConnectionAccept"/> now, or a
/// <see cref="Deferred{T}"/> of one for a decision that takes time (an <c>async Deferred</c> lookup). Denials are
/// thrown, or failed with, as <see cref="ConnectionDeniedException"/>.
/// </summary>
/// <example>
/// <code>
/// public override ConnectDecision OnConnect(ConnectionRequest request) => CheckToken(request);   // async Deferred&lt;ConnectionAccept&gt;
/// </code>
/// </example>
public readonly struct ConnectDecision
{
    private ConnectDecision(ConnectionAccept? now, Deferred<ConnectionAccept>? later)
    {
        Now = now;
        Later = later;
    }

    internal ConnectionAccept? Now { get; }

    internal Deferred<ConnectionAccept>? Later { get; }

    /// <summary>Accept now.</summary>
    public static implicit operator ConnectDecision(ConnectionAccept accept) => new(accept ?? throw new ArgumentNullException(nameof(accept)), null);

    /// <summary>Decide when <paramref name="later"/> fires.</summary>
    public static implicit operator ConnectDecision(Deferred<ConnectionAccept> later) => new(null, later ?? throw new ArgumentNullException(nameof(later)));
}
