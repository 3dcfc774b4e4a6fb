using System.Net;

namespace Twine.Net;

/// <summary>
/// The transport a <see cref="DatagramProtocol"/> sends with: a bound UDP socket, optionally connected to one peer
/// (Twisted's <c>IUDPTransport</c>).
/// </summary>
/// <example>
/// <code>
/// transport.Write("ping"u8, new IPEndPoint(IPAddress.Loopback, 9999));
/// transport.Connect(new IPEndPoint(IPAddress.Loopback, 9999));
/// transport.Write("ping"u8);              // to the connected peer
/// </code>
/// </example>
public interface IDatagramTransport
{
    /// <summary>
    /// Sends one datagram to <paramref name="address"/>, or to the connected peer when it is null. A connected transport
    /// only sends to its peer.
    /// </summary>
    /// <exception cref="InvalidOperationException">No address was given and the transport is not connected, or an address other than the connected peer was given.</exception>
    void Write(ReadOnlySpan<byte> data, EndPoint? address = null);

    /// <summary>
    /// Connects to one peer: only its datagrams are received, and ICMP errors are reported through
    /// <see cref="DatagramProtocol.ConnectionRefused"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">Already connected.</exception>
    void Connect(EndPoint address);

    /// <summary>The address the socket is bound to.</summary>
    EndPoint Host { get; }

    /// <summary>The connected peer, or null.</summary>
    EndPoint? Peer { get; }

    /// <summary>Closes the socket; the protocol's <see cref="DatagramProtocol.DoStop"/> is called.</summary>
    void LoseConnection();
}
