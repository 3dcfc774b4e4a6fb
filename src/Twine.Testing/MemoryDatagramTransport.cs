using System.Net;
using Twine.Net;

namespace Twine.Testing;

/// <summary>
/// A datagram transport that records what is sent instead of sending it, for testing a
/// <see cref="DatagramProtocol"/> without sockets (Twisted's <c>FakeDatagramTransport</c>). Feed datagrams with
/// <c>protocol.DatagramReceived(...)</c>.
/// </summary>
/// <example>
/// <code>
/// var transport = new MemoryDatagramTransport();
/// var echo = new Echo();
/// echo.MakeConnection(transport);
/// var sender = new IPEndPoint(IPAddress.Loopback, 5000);
/// echo.DatagramReceived("ping"u8, sender);
/// Assert.Equal(("ping"u8.ToArray(), sender), (transport.Written[0].Data, transport.Written[0].Address));
/// </code>
/// </example>
public sealed class MemoryDatagramTransport : IDatagramTransport
{
    /// <summary>Creates the transport, bound to <paramref name="host"/> (default 10.0.0.1:12345).</summary>
    public MemoryDatagramTransport(EndPoint? host = null) =>
        Host = host ?? new IPEndPoint(IPAddress.Parse("10.0.0.1"), 12345);

    /// <summary>The protocol to stop when the transport is closed (set by <see cref="DatagramProtocol.MakeConnection"/> callers).</summary>
    public DatagramProtocol? Protocol { get; set; }

    /// <summary>Every datagram written, with the address it was sent to (null when sent to the connected peer).</summary>
    public List<(byte[] Data, EndPoint? Address)> Written { get; } = new();

    /// <inheritdoc />
    public EndPoint Host { get; }

    /// <inheritdoc />
    public EndPoint? Peer { get; private set; }

    /// <summary>True once <see cref="LoseConnection"/> was called.</summary>
    public bool Closed { get; private set; }

    /// <summary>Records the datagram, enforcing the connected-transport rules.</summary>
    /// <exception cref="InvalidOperationException">No address and not connected, an address other than the connected peer, or closed.</exception>
    public void Write(ReadOnlySpan<byte> data, EndPoint? address = null)
    {
        if (Closed) throw new InvalidOperationException("The transport is closed.");
        if (address is null && Peer is null) throw new InvalidOperationException("No address given and the transport is not connected.");
        if (address is not null && Peer is not null && !address.Equals(Peer))
            throw new InvalidOperationException($"A transport connected to {Peer} cannot send to {address}.");
        Written.Add((data.ToArray(), address));
    }

    /// <summary>Records the peer.</summary>
    /// <exception cref="InvalidOperationException">Already connected.</exception>
    public void Connect(EndPoint address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (Peer is not null) throw new InvalidOperationException("Already connected.");
        Peer = address;
    }

    /// <summary>Marks the transport closed and stops <see cref="Protocol"/>, once.</summary>
    public void LoseConnection()
    {
        if (Closed) return;
        Closed = true;
        Protocol?.DoStop();
    }
}
