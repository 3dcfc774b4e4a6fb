using Twine.Defer;

namespace Twine.Net.Endpoints;

/// <summary>
/// Stands between a client endpoint's transport and the user's protocol (Twisted's <c>_WrappingProtocol</c>): forwards
/// every event, and fires the endpoint's Deferred with the user's protocol right after its <c>MakeConnection</c>.
/// </summary>
internal class WrappingProtocol : IProtocol, IProtocolWrapper
{
    private readonly Deferred<IProtocol> _connected;

    public WrappingProtocol(Deferred<IProtocol> connected, IProtocol wrapped)
    {
        _connected = connected;
        Wrapped = wrapped;
    }

    public IProtocol Wrapped { get; }

    public void MakeConnection(ITransport transport)
    {
        try
        {
            Wrapped.MakeConnection(transport);
        }
        catch (Exception ex)
        {
            // The transport logs it and closes the connection; the endpoint's caller hears why.
            if (!_connected.Called) _connected.Errback(ex);
            throw;
        }
        if (!_connected.Called) _connected.Callback(Wrapped);
    }

    public void DataReceived(ReadOnlySpan<byte> data) => Wrapped.DataReceived(data);

    public void ConnectionLost(Failure reason) => Wrapped.ConnectionLost(reason);

    public override string ToString() => Wrapped.ToString() ?? GetType().Name;
}

/// <summary>A <see cref="WrappingProtocol"/> that also forwards the half-close events, so the transport sees a half-closeable protocol.</summary>
internal sealed class HalfCloseableWrappingProtocol : WrappingProtocol, IHalfCloseableProtocol
{
    private readonly IHalfCloseableProtocol _halfCloseable;

    public HalfCloseableWrappingProtocol(Deferred<IProtocol> connected, IHalfCloseableProtocol wrapped) : base(connected, wrapped) =>
        _halfCloseable = wrapped;

    public void ReadConnectionLost() => _halfCloseable.ReadConnectionLost();

    public void WriteConnectionLost() => _halfCloseable.WriteConnectionLost();
}
