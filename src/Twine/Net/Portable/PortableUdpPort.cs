using System.Net;
using System.Net.Sockets;
using Twine.Defer;
using Twine.Logging;
using Twine.Net.Tcp;
using Twine.Net.Udp;
using Twine.Reactors.Io;

namespace Twine.Net.Portable;

/// <summary>
/// A bound UDP socket on <see cref="System.Net.Sockets.Socket"/>: the portable layer's <see cref="UdpPort"/>, with the
/// same rules (datagrams with their sender, writes straight to the system and dropped when it cannot take them,
/// optionally connected to one peer). Receives complete on runtime threads and are posted to the loop. Loop thread
/// only, apart from the completion callback.
/// </summary>
internal sealed class PortableUdpPort : IListeningPort, IDatagramTransport, IIoHandler
{
    private static readonly Action<PortableUdpPort> s_received = static p => p.OnReceived();

    private readonly IIoLoop _loop;
    private readonly DatagramProtocol _protocol;
    private readonly Socket _socket;
    private readonly SocketAsyncEventArgs _receiveArgs = new();
    private readonly EndPoint _anyAddress;
    private IDisposable? _tracking;
    private EndPoint? _lastSender;
    private bool _receivePending;
    private bool _closed;

    private PortableUdpPort(IIoLoop loop, DatagramProtocol protocol, Socket socket, int maxPacketSize)
    {
        _loop = loop;
        _protocol = protocol;
        _socket = socket;
        Host = socket.LocalEndPoint ?? new IPEndPoint(IPAddress.Any, 0);
        _anyAddress = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        // A receive in flight owns its buffer, so the port cannot borrow the reactor's shared one.
        _receiveArgs.SetBuffer(GC.AllocateUninitializedArray<byte>(maxPacketSize, pinned: true), 0, maxPacketSize);
        _receiveArgs.Completed += (_, _) => _loop.Post(s_received, this);
    }

    /// <summary>Binds the port and attaches <paramref name="protocol"/> (its <c>StartProtocol</c> runs now).</summary>
    public static PortableUdpPort Listen(IIoLoop loop, int port, DatagramProtocol protocol, string interfaceAddress, int maxPacketSize)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(interfaceAddress);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPacketSize, 1);
        var local = new IPEndPoint(TcpPort.ParseInterface(interfaceAddress), port);
        string description = $"{(interfaceAddress.Length == 0 ? "any" : interfaceAddress)}:{port}";
        var socket = PortablePort.Bind(local, SocketType.Dgram, reuseAddress: false, backlog: null, description);
        var udp = new PortableUdpPort(loop, protocol, socket, maxPacketSize);
        try
        {
            udp._tracking = loop.Track(udp);
            Log.Info($"{protocol.LogPrefix} starting on {udp.Host}");
            protocol.MakeConnection(udp);
        }
        catch
        {
            // Not attached (or refused to start): close the socket without stopping the protocol, which may serve another port.
            udp._closed = true;
            udp._tracking?.Dispose();
            socket.Dispose();
            throw;
        }
        udp.ReceiveMore();
        return udp;
    }

    /// <inheritdoc />
    public EndPoint Host { get; }

    /// <inheritdoc />
    public EndPoint? Peer { get; private set; }

    /// <summary>Receives while datagrams are there at once, up to the native layer's per-turn bound; then waits.</summary>
    private void ReceiveMore()
    {
        for (int i = 0; i < UdpPort.DatagramsPerReadiness && !_closed; i++)
        {
            _receiveArgs.RemoteEndPoint = _anyAddress;
            _receivePending = true;
            bool pending;
            try
            {
                pending = _socket.ReceiveFromAsync(_receiveArgs);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            if (pending) return;
            _receivePending = false;
            Deliver();
        }
        if (!_closed && !_receivePending) _loop.Post(static p => p.ReceiveMore(), this);
    }

    private void OnReceived()
    {
        _receivePending = false;
        if (_closed) return;
        Deliver();
        ReceiveMore();
    }

    private void Deliver()
    {
        var error = _receiveArgs.SocketError;
        if (error is SocketError.ConnectionRefused or SocketError.ConnectionReset)
        {
            // An ICMP port-unreachable for an earlier datagram: only meaningful on a connected port.
            if (Peer is not null) Guard("ConnectionRefused", static p => p.ConnectionRefused());
            return;
        }
        if (error != SocketError.Success)
        {
            if (error != SocketError.OperationAborted) Log.Error($"Error reading from {this}", new Failure(new SocketException((int)error)));
            return;
        }
        var sender = _receiveArgs.RemoteEndPoint ?? Host;
        // Consecutive datagrams from one peer share one endpoint object, as on the native layer.
        if (_lastSender is not null && _lastSender.Equals(sender)) sender = _lastSender;
        else _lastSender = sender;
        try
        {
            _protocol.DatagramReceived(new ReadOnlySpan<byte>(_receiveArgs.Buffer, 0, _receiveArgs.BytesTransferred), sender);
        }
        catch (Exception ex)
        {
            // One bad datagram must not close a port serving many peers: log it and go on (as Twisted does).
            Log.Error($"Unhandled error in {_protocol.LogPrefix}.DatagramReceived on {this}", ex);
        }
    }

    /// <inheritdoc />
    public void Write(ReadOnlySpan<byte> data, EndPoint? address = null)
    {
        _loop.Thread.Check(nameof(Write), UdpPort.Owner);
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
        SocketError error;
        if (address is null)
        {
            _socket.Send(data, SocketFlags.None, out error);
        }
        else
        {
            try
            {
                _socket.SendTo(data, SocketFlags.None, address);
                return;
            }
            catch (SocketException ex)
            {
                error = ex.SocketErrorCode;
            }
        }
        switch (error)
        {
            case SocketError.Success:
                return;
            case SocketError.MessageSize:
                throw new MessageLengthException(new SocketException((int)error));
            case SocketError.ConnectionRefused or SocketError.ConnectionReset:
                if (Peer is not null) Guard("ConnectionRefused", static p => p.ConnectionRefused());
                return;
            case SocketError.WouldBlock or SocketError.NoBufferSpaceAvailable:
                // The system's queue is full: drop the datagram, as a congested network would.
                return;
            default:
                throw new SocketException((int)error);
        }
    }

    /// <inheritdoc />
    public void Connect(EndPoint address)
    {
        ArgumentNullException.ThrowIfNull(address);
        _loop.Thread.Check(nameof(Connect), UdpPort.Owner);
        ObjectDisposedException.ThrowIf(_closed, this);
        if (Peer is not null) throw new InvalidOperationException("Already connected; reconnecting is not supported.");
        if (address is not IPEndPoint)
            throw new ArgumentException($"A UDP peer must be an IP address and port, not {address}.", nameof(address));
        _socket.Connect(address);
        Peer = address;
    }

    /// <inheritdoc />
    public void LoseConnection()
    {
        _loop.Thread.Check(nameof(LoseConnection), UdpPort.Owner);
        if (_closed) return;
        _closed = true;
        _tracking?.Dispose();
        _socket.Dispose();
        Log.Info($"(UDP Port {Host} Closed)");
        try
        {
            _protocol.DoStop();
        }
        catch (Exception ex)
        {
            Log.Error($"Unhandled error stopping {_protocol.LogPrefix} on {this}", ex);
        }
    }

    /// <inheritdoc />
    public Deferred StopListening()
    {
        LoseConnection();
        return Deferred.Succeed();
    }

    /// <inheritdoc />
    public void OnIoReady(IoEvents events)
    {
        // Completions arrive through Post, never as readiness.
    }

    /// <inheritdoc />
    public void OnReactorShutdown() => LoseConnection();

    private void Guard(string what, Action<DatagramProtocol> call)
    {
        try
        {
            call(_protocol);
        }
        catch (Exception ex)
        {
            Log.Error($"Unhandled error in {_protocol.LogPrefix}.{what} on {this}", ex);
        }
    }

    /// <summary>The port, for log messages.</summary>
    public override string ToString() => $"<PortableUdpPort on {Host}{(Peer is null ? "" : $" connected to {Peer}")}>";
}
