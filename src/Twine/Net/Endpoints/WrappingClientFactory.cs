using System.Net;
using Twine.Defer;
using Twine.Logging;

namespace Twine.Net.Endpoints;

/// <summary>
/// Adapts an endpoint user's <see cref="IProtocolFactory"/> to the connector's <see cref="ClientFactory"/>, after
/// Twisted's <c>_WrappingFactory</c>: <see cref="OnConnection"/> fires with the user's protocol once it is connected,
/// or fails with the connect error; cancelling it stops the connector.
/// </summary>
internal sealed class WrappingClientFactory : ClientFactory
{
    private readonly IProtocolFactory _wrapped;
    private IConnector? _connector;

    public WrappingClientFactory(IProtocolFactory wrapped)
    {
        _wrapped = wrapped;
        Noisy = false;
        OnConnection = new Deferred<IProtocol>(Cancel);
    }

    /// <summary>Fires with the connected protocol, or fails.</summary>
    public Deferred<IProtocol> OnConnection { get; }

    public override void StartedConnecting(IConnector connector) => _connector = connector;

    public override IProtocol? BuildProtocol(EndPoint address)
    {
        IProtocol? built;
        try
        {
            built = _wrapped.BuildProtocol(address) ?? throw new NoProtocolException();
        }
        catch (Exception ex)
        {
            if (!OnConnection.Called) OnConnection.Errback(ex);
            return null;
        }
        return built is IHalfCloseableProtocol halfCloseable
            ? new HalfCloseableWrappingProtocol(OnConnection, halfCloseable)
            : new WrappingProtocol(OnConnection, built);
    }

    public override void ClientConnectionFailed(IConnector connector, Failure reason)
    {
        if (!OnConnection.Called) OnConnection.Errback(reason);
    }

    // The user's factory is started and stopped with the connection attempt, as Twisted's wrapper forwards doStart/doStop.
    protected override void StartFactory() => _wrapped.DoStart();

    protected override void StopFactory() => _wrapped.DoStop();

    private void Cancel(Deferred<IProtocol> d)
    {
        // Fail first, so the ClientConnectionFailed that StopConnecting causes finds the Deferred already fired.
        d.Errback(new ConnectingCancelledException(_connector?.Destination ?? new IPEndPoint(IPAddress.None, 0)));
        try
        {
            _connector?.StopConnecting();
        }
        catch (NotConnectingException)
        {
            // Already connected or failed in the same turn: nothing left to stop.
        }
        catch (Exception ex)
        {
            Log.Error(LogEventId.EndpointCancelFailed, typeof(WrappingClientFactory), $"Unhandled error stopping {_connector} after its endpoint Deferred was cancelled", ex);
        }
    }

    public override string ToString() => $"<WrappingClientFactory for {_wrapped}>";
}
