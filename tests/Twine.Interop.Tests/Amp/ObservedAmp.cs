using Twine.Defer;
using Twine.Protocols.Amp;

namespace Twine.Interop.Tests.Amp;

/// <summary>An AmpProtocol whose connection loss a test can await.</summary>
internal sealed class ObservedAmp(AmpResponders? responders = null) : AmpProtocol(responders)
{
    /// <summary>Fires with the reason once the connection is lost.</summary>
    public Deferred<Exception> Lost { get; } = new();

    public override void ConnectionLost(Failure reason)
    {
        base.ConnectionLost(reason);
        Lost.Callback(reason.Value);
    }
}
