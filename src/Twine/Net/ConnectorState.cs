namespace Twine.Net;

/// <summary>Where a <see cref="Connector"/> is in its life (Twisted's <c>BaseConnector.state</c>).</summary>
/// <example><code>if (connector.State == ConnectorState.Connecting) connector.StopConnecting();</code></example>
public enum ConnectorState
{
    /// <summary>Not connected and not trying.</summary>
    Disconnected,
    /// <summary>An attempt is in progress.</summary>
    Connecting,
    /// <summary>The connection is established.</summary>
    Connected,
}
