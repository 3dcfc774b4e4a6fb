using System.Net;
using Twine.Net;

namespace Twine.Testing;

/// <summary>
/// The fake connector <see cref="MemoryReactor"/> returns from its <c>Connect*</c> methods (MR1): it records what is
/// asked of it and connects nothing. Drive the factory yourself to simulate the outcome.
/// </summary>
/// <example>
/// <code>
/// var connector = (MemoryConnector)reactor.ConnectTcp("example.org", 80, factory);
/// factory.ClientConnectionFailed(connector, new Failure(new ConnectException("refused")));
/// Assert.Equal(1, connector.ConnectCount);      // if the factory reconnected
/// </code>
/// </example>
public sealed class MemoryConnector : IConnector
{
    /// <summary>Creates a connector to <paramref name="destination"/> for <paramref name="factory"/>.</summary>
    public MemoryConnector(EndPoint destination, ClientFactory factory)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(factory);
        Destination = destination;
        Factory = factory;
    }

    /// <inheritdoc />
    public EndPoint Destination { get; }

    /// <summary>The factory passed to the <c>Connect*</c> call.</summary>
    public ClientFactory Factory { get; }

    /// <summary>How many times <see cref="Connect"/> was called.</summary>
    public int ConnectCount { get; private set; }

    /// <summary>True once <see cref="StopConnecting"/> was called.</summary>
    public bool StoppedConnecting { get; private set; }

    /// <summary>True once <see cref="Disconnect"/> was called.</summary>
    public bool Disconnected { get; private set; }

    /// <summary>Counts the call; connects nothing.</summary>
    public void Connect() => ConnectCount++;

    /// <summary>Records the call.</summary>
    public void StopConnecting() => StoppedConnecting = true;

    /// <summary>Records the call.</summary>
    public void Disconnect() => Disconnected = true;

    /// <summary>The destination, for log messages.</summary>
    public override string ToString() => $"<MemoryConnector to {Destination}>";
}
