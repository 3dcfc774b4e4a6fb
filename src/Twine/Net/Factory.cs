using System.Net;
using Twine.Logging;

namespace Twine.Net;

/// <summary>
/// The standard <see cref="IProtocolFactory"/>, after Twisted's <c>Factory</c>: builds protocols with
/// <see cref="ProtocolBuilder"/>, sets their <see cref="Protocol.Factory"/>, and counts the ports using it so that
/// <see cref="StartFactory"/> and <see cref="StopFactory"/> run once each (PF2, PF3).
/// </summary>
/// <remarks>
/// Shared state for all connections (a chat room's member list, a cache) belongs on a factory subclass; each
/// protocol reaches it through <see cref="Protocol.Factory"/>. Override <see cref="BuildProtocol"/> to choose or
/// refuse per connection.
/// </remarks>
/// <example>
/// <code>
/// reactor.ListenTcp(8000, Factory.ForProtocol&lt;Echo&gt;());
///
/// sealed class ChatFactory : Factory
/// {
///     public readonly List&lt;Chat&gt; Members = new();
///     public ChatFactory() : base(() => new Chat()) { }
///     public override IProtocol? BuildProtocol(EndPoint address) =>
///         Members.Count &gt;= 100 ? null : base.BuildProtocol(address);     // refuse when full
/// }
/// </code>
/// </example>
public class Factory : IProtocolFactory
{
    /// <summary>Creates a factory with no <see cref="ProtocolBuilder"/>; set it, or override <see cref="BuildProtocol"/>.</summary>
    public Factory() { }

    /// <summary>Creates a factory that builds protocols with <paramref name="protocolBuilder"/>.</summary>
    public Factory(Func<IProtocol> protocolBuilder)
    {
        ArgumentNullException.ThrowIfNull(protocolBuilder);
        ProtocolBuilder = protocolBuilder;
    }

    /// <summary>Creates a new protocol for each connection: Twisted's <c>protocol</c> class attribute.</summary>
    public Func<IProtocol>? ProtocolBuilder { get; set; }

    /// <summary>How many ports and connectors are using this factory (PF3).</summary>
    public int NumPorts { get; private set; }

    /// <summary>Whether starting and stopping are logged (PF3). True by default.</summary>
    public bool Noisy { get; set; } = true;

    /// <summary>The prefix for log messages about this factory: its class name (PF2).</summary>
    public virtual string LogPrefix => GetType().Name;

    /// <summary>A factory that builds a new <typeparamref name="T"/> per connection (PF2).</summary>
    public static Factory ForProtocol<T>() where T : IProtocol, new() => new(() => new T());

    /// <summary>A factory that builds each connection's protocol with <paramref name="build"/> (PF2).</summary>
    public static Factory ForProtocol<T>(Func<T> build) where T : IProtocol
    {
        ArgumentNullException.ThrowIfNull(build);
        return new Factory(() => build());
    }

    /// <summary>
    /// Counts one more user; on the first (0→1) logs "Starting factory …" when <see cref="Noisy"/> and calls
    /// <see cref="StartFactory"/> (PF3). Ports and connectors call this; applications should not.
    /// </summary>
    public void DoStart()
    {
        if (NumPorts == 0)
        {
            if (Noisy) Log.Info(LogEventId.FactoryStarting, typeof(Factory), $"Starting factory {this}");
            StartFactory();
        }
        NumPorts++;
    }

    /// <summary>
    /// Counts one user fewer; on the last (1→0) logs "Stopping factory …" when <see cref="Noisy"/> and calls
    /// <see cref="StopFactory"/>. At zero it does nothing (PF3).
    /// </summary>
    public void DoStop()
    {
        // Twisted tolerates an unbalanced stop rather than asserting: a port that failed half-way may stop twice.
        if (NumPorts == 0) return;
        NumPorts--;
        if (NumPorts == 0)
        {
            if (Noisy) Log.Info(LogEventId.FactoryStopping, typeof(Factory), $"Stopping factory {this}");
            StopFactory();
        }
    }

    /// <summary>Called before the first port or connector uses the factory: open databases, load files.</summary>
    protected virtual void StartFactory() { }

    /// <summary>Called after the last port or connector stops using the factory.</summary>
    protected virtual void StopFactory() { }

    /// <summary>
    /// Builds the protocol for a connection from <paramref name="address"/> with <see cref="ProtocolBuilder"/> and sets
    /// its <see cref="Protocol.Factory"/> to this factory. Override to return null and refuse the connection (PF2).
    /// </summary>
    /// <exception cref="InvalidOperationException">No <see cref="ProtocolBuilder"/> is set.</exception>
    public virtual IProtocol? BuildProtocol(EndPoint address)
    {
        var build = ProtocolBuilder ?? throw new InvalidOperationException(
            $"{GetType().Name} has no ProtocolBuilder: use Factory.ForProtocol, pass one to the constructor, or override BuildProtocol.");
        var protocol = build();
        if (protocol is Protocol p) p.Factory = this;
        return protocol;
    }

    /// <summary>The factory's class name, as used in the start/stop log messages.</summary>
    public override string ToString() => GetType().FullName ?? GetType().Name;
}
