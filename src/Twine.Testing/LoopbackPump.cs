using System.Net;
using Twine.Net;
using Twine.Time;

namespace Twine.Testing;

/// <summary>
/// Connects a server protocol and a client protocol in memory and moves bytes between them on demand (MR3), after
/// Twisted's <c>iosim</c> (<c>connectedServerAndClient</c>, <c>IOPump</c>): test a whole conversation, including
/// closing, half-closing, aborting and flow control, with no sockets and no real time.
/// </summary>
/// <remarks>
/// <para>Each <see cref="Pump"/> moves everything written on each side to the other and delivers it (unless that side
/// paused reading), then takes the closing steps that are due: a side that called
/// <see cref="ITransport.LoseConnection"/> and has sent everything loses the connection with
/// <see cref="ConnectionDoneException"/>, and so does its peer once it has read everything; an abort reaches both
/// sides at once, ahead of any data. <see cref="Flush"/> pumps until nothing more happens.</para>
/// <para>Addresses: the server is 127.0.0.1:8000 and the client 127.0.0.1:54321 unless given.</para>
/// </remarks>
/// <example>
/// <code>
/// var pair = LoopbackPump.Connect(new EchoServer(), new Client());   // both ConnectionMade, then flushed
/// pair.Client.SendLine("hello");
/// pair.Flush();
/// Assert.Equal(["hello"], pair.Client.Lines);
/// pair.ClientTransport.LoseConnection();
/// pair.Flush();                                  // both sides got ConnectionLost(ConnectionDone)
/// </code>
/// </example>
public sealed class LoopbackPump
{
    private readonly Clock? _clock;

    private LoopbackPump(LoopbackTransport serverTransport, LoopbackTransport clientTransport, Clock? clock)
    {
        ServerTransport = serverTransport;
        ClientTransport = clientTransport;
        _clock = clock;
    }

    /// <summary>The server protocol's transport.</summary>
    public LoopbackTransport ServerTransport { get; }

    /// <summary>The client protocol's transport.</summary>
    public LoopbackTransport ClientTransport { get; }

    /// <summary>The most <see cref="Pump"/> rounds one <see cref="Flush"/> runs before deciding the two sides will never go quiet.</summary>
    public int MaxFlushRounds { get; set; } = 100_000;

    /// <summary>
    /// Connects <paramref name="server"/> and <paramref name="client"/>: the server's <c>MakeConnection</c> runs first,
    /// then the client's, then (when <paramref name="greet"/>) a <see cref="Flush"/> delivers what they wrote on connecting.
    /// </summary>
    /// <param name="server">The server side's protocol.</param>
    /// <param name="client">The client side's protocol.</param>
    /// <param name="greet">Flush once after connecting.</param>
    /// <param name="clock">If given, advanced by zero at the start of each pump round, so zero-delay calls run between rounds.</param>
    /// <param name="serverAddress">The server's address; default 127.0.0.1:8000.</param>
    /// <param name="clientAddress">The client's address; default 127.0.0.1:54321.</param>
    public static ConnectedPair<TServer, TClient> Connect<TServer, TClient>(
        TServer server, TClient client, bool greet = true, Clock? clock = null,
        EndPoint? serverAddress = null, EndPoint? clientAddress = null)
        where TServer : IProtocol
        where TClient : IProtocol
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(client);
        serverAddress ??= new IPEndPoint(IPAddress.Loopback, 8000);
        clientAddress ??= new IPEndPoint(IPAddress.Loopback, 54321);
        var serverTransport = new LoopbackTransport(serverAddress, clientAddress) { Protocol = server };
        var clientTransport = new LoopbackTransport(clientAddress, serverAddress) { Protocol = client };
        serverTransport.Other = clientTransport;
        clientTransport.Other = serverTransport;
        var pump = new LoopbackPump(serverTransport, clientTransport, clock);
        server.MakeConnection(serverTransport);
        client.MakeConnection(clientTransport);
        if (greet) pump.Flush();
        return new ConnectedPair<TServer, TClient>(server, client, pump);
    }

    /// <summary>
    /// Runs one round: moves and delivers the bytes written on both sides, then takes the closing steps that are due.
    /// Returns whether anything happened.
    /// </summary>
    public bool Pump()
    {
        _clock?.Advance(TimeSpan.Zero);
        // An abort is immediate, as a reset is: it overtakes any data still in flight.
        if (ServerTransport.AdvanceAbort() | ClientTransport.AdvanceAbort()) return true;
        var moved = ClientTransport.Transfer() | ServerTransport.Transfer();
        var delivered = ServerTransport.Deliver() | ClientTransport.Deliver();
        // Closing steps run after the data of the round, and each waits only for its own side (its send buffer
        // drained, or everything received delivered), as on TCP: a peer that keeps writing cannot hold a close up.
        var closed = ServerTransport.AdvanceClose() | ClientTransport.AdvanceClose();
        return moved || delivered || closed;
    }

    /// <summary>Pumps until nothing more happens; returns whether anything did.</summary>
    /// <exception cref="InvalidOperationException">The sides were still talking after <see cref="MaxFlushRounds"/> rounds.</exception>
    public bool Flush()
    {
        var any = false;
        for (var round = 0; round < MaxFlushRounds; round++)
        {
            if (!Pump()) return any;
            any = true;
        }
        throw new InvalidOperationException($"The connection did not go quiet after {MaxFlushRounds} pump rounds.");
    }
}
