using System.Net;
using System.Net.Sockets;
using Twine.Defer;
using Twine.Logging;
using Twine.Net.Tcp;
using Twine.Reactors.Io;

namespace Twine.Net.Udp;

/// <summary>
/// What a bound UDP socket does whatever moves its datagrams, after Twisted's <c>udp.Port</c>, written once for both
/// socket layers: the arguments and their checks, the destination rules of a connected port, what a send error means
/// (a datagram the system cannot take now is dropped, as the network could drop it; ICMP refusals reach a connected
/// port's protocol), closing, and keeping one bad datagram from closing the port. The native <see cref="UdpPort"/>
/// and the portable layer's port supply only the socket calls. Loop thread only.
/// </summary>
internal abstract class DatagramSocket : IListeningPort, IDatagramTransport, IIoHandler
{
    /// <summary>Datagrams read per readiness (or per turn) at most, so one busy port cannot starve the others.</summary>
    internal const int DatagramsPerReadiness = 64;

    /// <summary>How the thread rule names a UDP port in its message.</summary>
    internal const string Owner = "this UDP port";

    private protected readonly IIoLoop _loop;
    private protected readonly DatagramProtocol _protocol;
    private protected bool _closed;

    private protected DatagramSocket(IIoLoop loop, DatagramProtocol protocol, EndPoint host)
    {
        _loop = loop;
        _protocol = protocol;
        Host = host;
    }

    /// <inheritdoc />
    public EndPoint Host { get; }

    /// <inheritdoc />
    public EndPoint? Peer { get; private set; }

    /// <summary>Checks <c>ListenUdp</c>'s arguments; returns the address to bind and its description for errors.</summary>
    private protected static (IPEndPoint Local, string Description) CheckListen(int port, DatagramProtocol protocol, string interfaceAddress, int maxPacketSize)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPacketSize, 1);
        return TcpPort.LocalAddress(port, interfaceAddress);
    }

    /// <summary>
    /// Joins the loop and attaches the protocol (its <c>StartProtocol</c> runs now). If that throws, the socket is
    /// closed without stopping the protocol, which may be serving another port, and the exception propagates.
    /// </summary>
    private protected void Attach()
    {
        try
        {
            JoinLoop();
            Log.Info(LogEventId.PortListening, GetType(), $"{_protocol.LogPrefix} starting on {Host}");
            _protocol.MakeConnection(this);
        }
        catch
        {
            _closed = true;
            CloseSocket();
            throw;
        }
    }

    /// <summary>The layer registers the socket for readiness, or tracks its completions.</summary>
    private protected abstract void JoinLoop();

    /// <summary>The layer leaves the loop and closes the socket.</summary>
    private protected abstract void CloseSocket();

    /// <summary>
    /// Sends one datagram (to the connected peer when <paramref name="address"/> is null) and returns the outcome;
    /// the layer retries interruptions itself.
    /// </summary>
    private protected abstract SocketError SendDatagram(ReadOnlySpan<byte> data, EndPoint? address);

    /// <summary>The exception for a send that failed with <paramref name="error"/> (the native layer keeps the system's errno and text).</summary>
    private protected virtual SocketException SendError(SocketError error) => new((int)error);

    /// <summary>The layer connects the socket to <paramref name="address"/>; throws <see cref="SocketException"/> if it cannot.</summary>
    private protected abstract void ConnectSocket(EndPoint address);

    /// <inheritdoc />
    public abstract void OnIoReady(IoEvents events);

    /// <summary>Hands one datagram to the protocol; an exception it throws is logged and the port goes on.</summary>
    private protected void Deliver(ReadOnlySpan<byte> data, EndPoint sender)
    {
        try
        {
            _protocol.DatagramReceived(data, sender);
        }
        catch (Exception ex)
        {
            // One bad datagram must not close a port serving many peers: log it and go on (as Twisted does).
            Log.Error(LogEventId.ProtocolCallbackFailed, GetType(), $"Unhandled error in {_protocol.LogPrefix}.DatagramReceived on {this}", ex);
        }
    }

    /// <summary>An ICMP port-unreachable for an earlier datagram: only meaningful on a connected port.</summary>
    private protected void Refused()
    {
        if (Peer is null) return;
        try
        {
            _protocol.ConnectionRefused();
        }
        catch (Exception ex)
        {
            Log.Error(LogEventId.ProtocolCallbackFailed, GetType(), $"Unhandled error in {_protocol.LogPrefix}.ConnectionRefused on {this}", ex);
        }
    }

    /// <summary>Reading failed for a reason other than a refusal: logged, and the port goes on.</summary>
    private protected void ReadFailed(SocketException error) =>
        Log.Error(LogEventId.DatagramReadFailed, GetType(), $"Error reading from {this}", new Failure(error));

    /// <inheritdoc />
    public void Write(ReadOnlySpan<byte> data, EndPoint? address = null)
    {
        _loop.Thread.Check(nameof(Write), Owner);
        ObjectDisposedException.ThrowIf(_closed, this);
        if (Peer is not null)
        {
            if (address is not null && !address.Equals(Peer))
                throw new InvalidOperationException($"This port is connected to {Peer}; it cannot send to {address}.");
            address = null;
        }
        else if (address is null)
        {
            throw new InvalidOperationException("No address given, and the port is not connected.");
        }
        else if (address is not IPEndPoint)
        {
            throw new ArgumentException($"A UDP destination must be an IP address and port, not {address}.", nameof(address));
        }
        var error = SendDatagram(data, address);
        switch (error)
        {
            case SocketError.Success:
                return;
            case SocketError.MessageSize:
                throw new MessageLengthException(SendError(error));
            case SocketError.ConnectionRefused or SocketError.ConnectionReset:
                Refused();
                return;
            case SocketError.WouldBlock or SocketError.NoBufferSpaceAvailable:
                // The system's queue is full: drop the datagram, as a congested network would.
                return;
            default:
                throw SendError(error);
        }
    }

    /// <inheritdoc />
    public void Connect(EndPoint address)
    {
        ArgumentNullException.ThrowIfNull(address);
        _loop.Thread.Check(nameof(Connect), Owner);
        ObjectDisposedException.ThrowIf(_closed, this);
        if (Peer is not null) throw new InvalidOperationException("Already connected; reconnecting is not supported.");
        if (address is not IPEndPoint)
            throw new ArgumentException($"A UDP peer must be an IP address and port, not {address}.", nameof(address));
        ConnectSocket(address);
        Peer = address;
    }

    /// <inheritdoc />
    public void LoseConnection()
    {
        _loop.Thread.Check(nameof(LoseConnection), Owner);
        if (_closed) return;
        _closed = true;
        CloseSocket();
        Log.Info(LogEventId.PortClosed, GetType(), $"(UDP Port {Host} Closed)");
        try
        {
            _protocol.DoStop();
        }
        catch (Exception ex)
        {
            Log.Error(LogEventId.StopListeningFailed, GetType(), $"Unhandled error stopping {_protocol.LogPrefix} on {this}", ex);
        }
    }

    /// <inheritdoc />
    public Deferred StopListening()
    {
        LoseConnection();
        return Deferred.Succeed();
    }

    /// <inheritdoc />
    public void OnReactorShutdown() => LoseConnection();

    /// <summary>The port, for log messages.</summary>
    public override string ToString() => $"<{GetType().Name} on {Host}{(Peer is null ? "" : $" connected to {Peer}")}>";
}
