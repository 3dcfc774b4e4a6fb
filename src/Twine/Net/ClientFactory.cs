using Twine.Defer;

namespace Twine.Net;

/// <summary>
/// A <see cref="Factory"/> for outgoing connections, after Twisted's <c>ClientFactory</c>: the connector tells it when
/// an attempt starts, fails, or an established connection is lost. The hooks do nothing by default (PF4).
/// </summary>
/// <remarks>
/// After a failure or loss the connector calls <see cref="Factory.DoStop"/>, unless the hook called
/// <see cref="IConnector.Connect"/> again (PF4).
/// </remarks>
/// <example>
/// <code>
/// sealed class Retry : ClientFactory
/// {
///     public Retry() : base(() => new Greeter()) { }
///     public override void ClientConnectionFailed(IConnector connector, Failure reason) => connector.Connect();
/// }
/// reactor.ConnectTcp("localhost", 8000, new Retry());
/// </code>
/// </example>
public class ClientFactory : Factory
{
    /// <summary>Creates a client factory with no protocol builder; set <see cref="Factory.ProtocolBuilder"/> or override <see cref="Factory.BuildProtocol"/>.</summary>
    public ClientFactory() { }

    /// <summary>Creates a client factory that builds protocols with <paramref name="protocolBuilder"/>.</summary>
    public ClientFactory(Func<IProtocol> protocolBuilder) : base(protocolBuilder) { }

    /// <summary>A client factory that builds a new <typeparamref name="T"/> per connection.</summary>
    public static new ClientFactory ForProtocol<T>() where T : IProtocol, new() => new(() => new T());

    /// <summary>A client factory that builds each connection's protocol with <paramref name="build"/>.</summary>
    public static new ClientFactory ForProtocol<T>(Func<T> build) where T : IProtocol
    {
        ArgumentNullException.ThrowIfNull(build);
        return new ClientFactory(() => build());
    }

    /// <summary>A connection attempt has started; call <see cref="IConnector.StopConnecting"/> to abandon it.</summary>
    public virtual void StartedConnecting(IConnector connector) { }

    /// <summary>A connection attempt failed. Calling <see cref="IConnector.Connect"/> here tries again.</summary>
    public virtual void ClientConnectionFailed(IConnector connector, Failure reason) { }

    /// <summary>An established connection was lost. Calling <see cref="IConnector.Connect"/> here reconnects.</summary>
    public virtual void ClientConnectionLost(IConnector connector, Failure reason) { }
}
