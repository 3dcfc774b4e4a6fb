using Twine.Native;
using Twine.Reactors.Io;
using Twine.Net.Sockets;
using System.Net;
using Twine.Defer;
using Twine.Logging;
using Twine.Net.Native;
using Twine.Net.Tcp;

namespace Twine.Net.Udp;

/// <summary>
/// A bound UDP socket driving one <see cref="DatagramProtocol"/>, after Twisted's <c>udp.Port</c>: datagrams are
/// read on readiness with their sender, written straight to the kernel (UDP has no send buffer to manage: a datagram
/// the kernel cannot take right now is dropped, as the network could drop it), optionally connected to one peer.
/// Loop thread only.
/// </summary>
internal sealed unsafe class UdpPort : IListeningPort, IDatagramTransport, IIoHandler
{
    /// <summary>Datagrams read per readiness at most, so one busy port cannot starve the others.</summary>
    internal const int DatagramsPerReadiness = 64;

    /// <summary>How the thread rule names a UDP port in its message.</summary>
    internal const string Owner = "this UDP port";

    private readonly IIoLoop _loop;
    private readonly DatagramProtocol _protocol;
    private readonly int _fd;
    private readonly int _maxPacketSize;
    private readonly byte[]? _ownBuffer;
    private readonly byte[] _lastSender = new byte[SocketAddressCodec.MaxSize];
    private int _lastSenderLength;
    private EndPoint? _lastSenderEndPoint;
    private IoRegistration? _registration;
    private bool _closed;

    private UdpPort(IIoLoop loop, DatagramProtocol protocol, int fd, int maxPacketSize)
    {
        _loop = loop;
        _protocol = protocol;
        _fd = fd;
        _maxPacketSize = maxPacketSize;
        // Datagrams up to 64 KiB are read into the reactor's shared buffer; a port allowing larger ones has its own.
        if (maxPacketSize > loop.ReadBuffer.Length) _ownBuffer = GC.AllocateUninitializedArray<byte>(maxPacketSize, pinned: true);
        Host = SocketAddressCodec.LocalAddress(fd) ?? new IPEndPoint(IPAddress.Any, 0);
    }

    /// <summary>Binds the port and attaches <paramref name="protocol"/> (its <c>StartProtocol</c> runs now).</summary>
    public static UdpPort Listen(IIoLoop loop, int port, DatagramProtocol protocol, string interfaceAddress, int maxPacketSize)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(interfaceAddress);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPacketSize, 1);
        var local = new IPEndPoint(TcpPort.ParseInterface(interfaceAddress), port);
        string description = $"{(interfaceAddress.Length == 0 ? "any" : interfaceAddress)}:{port}";
        int fd = BoundSocket.Create(local, SocketNative.SOCK_DGRAM, reuseAddress: false, backlog: null, description);
        var udp = new UdpPort(loop, protocol, fd, maxPacketSize);
        try
        {
            udp._registration = loop.RegisterIo(fd, IoEvents.Readable, udp);
            Log.Info(LogEventId.PortListening, typeof(UdpPort), $"{protocol.LogPrefix} starting on {udp.Host}");
            protocol.MakeConnection(udp);
        }
        catch
        {
            // The protocol was not attached (or refused to start): close the socket without stopping the protocol,
            // which may be serving another port.
            udp._closed = true;
            udp._registration?.Dispose();
            LibC.Close(fd);
            throw;
        }
        return udp;
    }

    /// <inheritdoc />
    public EndPoint Host { get; }

    /// <inheritdoc />
    public EndPoint? Peer { get; private set; }

    /// <inheritdoc />
    public void OnIoReady(IoEvents events)
    {
        var buffer = _ownBuffer ?? _loop.ReadBuffer;
        byte* address = stackalloc byte[SocketAddressCodec.MaxSize];
        for (int i = 0; i < DatagramsPerReadiness && !_closed; i++)
        {
            int length = SocketAddressCodec.MaxSize;
            nint n;
            fixed (byte* p = buffer) n = SocketNative.RecvFrom(_fd, p, (nuint)_maxPacketSize, 0, address, &length);
            if (n < 0)
            {
                int errno = SocketNative.LastError;
                if (errno == Errno.EINTR) continue;
                if (errno == Errno.EAGAIN) return;
                if (errno == Errno.ECONNREFUSED)
                {
                    // An ICMP port-unreachable for an earlier datagram: only meaningful on a connected port.
                    if (Peer is not null) Guard("ConnectionRefused", static p => p.ConnectionRefused());
                    continue;
                }
                Log.Error(LogEventId.DatagramReadFailed, typeof(UdpPort), $"Error reading from {this}", new Failure(SocketErrors.ToSocketException(errno)));
                return;
            }
            var sender = Sender(new ReadOnlySpan<byte>(address, SocketAddressCodec.MaxSize), length);
            try
            {
                _protocol.DatagramReceived(new ReadOnlySpan<byte>(buffer, 0, (int)n), sender);
            }
            catch (Exception ex)
            {
                // One bad datagram must not close a port serving many peers: log it and go on (as Twisted does).
                Log.Error(LogEventId.ProtocolCallbackFailed, typeof(UdpPort), $"Unhandled error in {_protocol.LogPrefix}.DatagramReceived on {this}", ex);
            }
        }
    }

    /// <summary>The sender's endpoint; the same object for consecutive datagrams from the same address.</summary>
    private EndPoint Sender(ReadOnlySpan<byte> address, int length)
    {
        if (_lastSenderEndPoint is not null && SocketAddressCodec.SameBytes(address, length, _lastSender, _lastSenderLength))
            return _lastSenderEndPoint;
        var decoded = SocketAddressCodec.Decode(address, length) ?? Host;
        address[..Math.Min(length, _lastSender.Length)].CopyTo(_lastSender);
        _lastSenderLength = length;
        _lastSenderEndPoint = decoded;
        return decoded;
    }

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

        byte* sockaddr = stackalloc byte[SocketAddressCodec.MaxSize];
        int sockaddrLength = address is null ? 0 : SocketAddressCodec.Encode(address, new Span<byte>(sockaddr, SocketAddressCodec.MaxSize));
        while (true)
        {
            nint sent;
            fixed (byte* p = data)
                sent = address is null
                    ? SocketNative.Send(_fd, p, (nuint)data.Length, SocketNative.MSG_NOSIGNAL)
                    : SocketNative.SendTo(_fd, p, (nuint)data.Length, SocketNative.MSG_NOSIGNAL, sockaddr, sockaddrLength);
            if (sent >= 0) return;
            int errno = SocketNative.LastError;
            switch (errno)
            {
                case Errno.EINTR:
                    continue;
                case Errno.EMSGSIZE:
                    throw new MessageLengthException(SocketErrors.ToSocketException(errno));
                case Errno.ECONNREFUSED:
                    if (Peer is not null) Guard("ConnectionRefused", static p => p.ConnectionRefused());
                    return;
                case Errno.EAGAIN:
                case Errno.ENOBUFS:
                    // The kernel's queue is full: drop the datagram, as a congested network would.
                    return;
                default:
                    throw SocketErrors.ToSocketException(errno);
            }
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
        byte* sockaddr = stackalloc byte[SocketAddressCodec.MaxSize];
        int length = SocketAddressCodec.Encode(address, new Span<byte>(sockaddr, SocketAddressCodec.MaxSize));
        if (SocketNative.Connect(_fd, sockaddr, length) != 0) throw SocketErrors.ToSocketException(SocketNative.LastError);
        Peer = address;
    }

    /// <inheritdoc />
    public void LoseConnection()
    {
        _loop.Thread.Check(nameof(LoseConnection), Owner);
        if (_closed) return;
        _closed = true;
        _registration?.Dispose();
        LibC.Close(_fd);
        Log.Info(LogEventId.PortClosed, typeof(UdpPort), $"(UDP Port {Host} Closed)");
        try
        {
            _protocol.DoStop();
        }
        catch (Exception ex)
        {
            Log.Error(LogEventId.StopListeningFailed, typeof(UdpPort), $"Unhandled error stopping {_protocol.LogPrefix} on {this}", ex);
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

    private void Guard(string what, Action<DatagramProtocol> call)
    {
        try
        {
            call(_protocol);
        }
        catch (Exception ex)
        {
            Log.Error(LogEventId.ProtocolCallbackFailed, typeof(UdpPort), $"Unhandled error in {_protocol.LogPrefix}.{what} on {this}", ex);
        }
    }

    /// <summary>The port, for log messages.</summary>
    public override string ToString() => $"<UdpPort on {Host}{(Peer is null ? "" : $" connected to {Peer}")}>";
}
