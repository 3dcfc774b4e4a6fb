using Twine.Defer;
using Twine.Net;

namespace Twine.Testing;

/// <summary>
/// A protocol that records everything that happens to it, after Twisted's test helper of the same name: whether it
/// was connected, every byte received, and whether and why it was disconnected.
/// </summary>
/// <example>
/// <code>
/// var pair = LoopbackPump.Connect(new AccumulatingProtocol(), new AccumulatingProtocol());
/// pair.ClientTransport.Write("ping"u8);
/// pair.Flush();
/// Assert.Equal("ping"u8.ToArray(), pair.Server.Data);
/// </code>
/// </example>
public class AccumulatingProtocol : Protocol
{
    private readonly MemoryStream _data = new();

    /// <summary>True once <c>ConnectionMade</c> ran.</summary>
    public bool Made { get; private set; }

    /// <summary>True once <see cref="ConnectionLost"/> ran.</summary>
    public bool Closed { get; private set; }

    /// <summary>The reason given to <see cref="ConnectionLost"/>.</summary>
    public Failure? ClosedReason { get; private set; }

    /// <summary>Everything received so far.</summary>
    public byte[] Data => _data.ToArray();

    /// <summary>Fires with this protocol when the connection is lost.</summary>
    public Deferred<AccumulatingProtocol> ClosedDeferred { get; } = new();

    /// <summary>Records that the connection was made.</summary>
    public override void ConnectionMade() => Made = true;

    /// <summary>Appends <paramref name="data"/> to <see cref="Data"/>.</summary>
    public override void DataReceived(ReadOnlySpan<byte> data) => _data.Write(data);

    /// <summary>Records the loss and fires <see cref="ClosedDeferred"/>.</summary>
    public override void ConnectionLost(Failure reason)
    {
        Closed = true;
        ClosedReason = reason;
        if (!ClosedDeferred.Called) ClosedDeferred.Callback(this);
    }
}
