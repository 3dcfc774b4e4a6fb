using Twine.Net;

namespace Twine.Testing;

/// <summary>
/// A server protocol and a client protocol connected in memory by <see cref="LoopbackPump.Connect"/>, with typed
/// access to both and to their transports (MR3).
/// </summary>
/// <example>
/// <code>
/// var pair = LoopbackPump.Connect(new Server(), new Client());
/// pair.Client.Ask("time?");
/// pair.Flush();
/// Assert.Equal("noon", pair.Client.LastAnswer);
/// </code>
/// </example>
/// <typeparam name="TServer">The server protocol's type.</typeparam>
/// <typeparam name="TClient">The client protocol's type.</typeparam>
public sealed class ConnectedPair<TServer, TClient>
    where TServer : IProtocol
    where TClient : IProtocol
{
    internal ConnectedPair(TServer server, TClient client, LoopbackPump pump)
    {
        Server = server;
        Client = client;
        Pump = pump;
    }

    /// <summary>The server side's protocol.</summary>
    public TServer Server { get; }

    /// <summary>The client side's protocol.</summary>
    public TClient Client { get; }

    /// <summary>The pump that moves bytes between them.</summary>
    public LoopbackPump Pump { get; }

    /// <summary>The server protocol's transport.</summary>
    public LoopbackTransport ServerTransport => Pump.ServerTransport;

    /// <summary>The client protocol's transport.</summary>
    public LoopbackTransport ClientTransport => Pump.ClientTransport;

    /// <summary>Pumps until nothing more happens (see <see cref="LoopbackPump.Flush"/>).</summary>
    public bool Flush() => Pump.Flush();
}
