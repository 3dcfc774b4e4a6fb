using Twine.Native;
using Twine.Reactors.Io;
using Twine.Net.Sockets;
using System.Net;
using System.Net.Sockets;
using Twine.Net.Native;

namespace Twine.Net.Udp;

/// <summary>
/// A bound UDP socket on the native layer: datagrams are read on readiness with <c>recvfrom</c>, each with its sender,
/// and written straight to the kernel with <c>send</c>/<c>sendto</c>. The rules are <see cref="DatagramSocket"/>'s.
/// Loop thread only.
/// </summary>
internal sealed unsafe class UdpPort : DatagramSocket
{
    private readonly int _fd;
    private readonly int _maxPacketSize;
    private readonly byte[]? _ownBuffer;
    private readonly byte[] _lastSender = new byte[SocketAddressCodec.MaxSize];
    private int _lastSenderLength;
    private EndPoint? _lastSenderEndPoint;
    private IoRegistration? _registration;
    private int _lastSendErrno;

    private UdpPort(IIoLoop loop, DatagramProtocol protocol, int fd, int maxPacketSize)
        : base(loop, protocol, SocketAddressCodec.LocalAddress(fd) ?? new IPEndPoint(IPAddress.Any, 0))
    {
        _fd = fd;
        _maxPacketSize = maxPacketSize;
        // Datagrams up to 64 KiB are read into the reactor's shared buffer; a port allowing larger ones has its own.
        if (maxPacketSize > loop.ReadBuffer.Length) _ownBuffer = GC.AllocateUninitializedArray<byte>(maxPacketSize, pinned: true);
    }

    /// <summary>Binds the port and attaches <paramref name="protocol"/> (its <c>StartProtocol</c> runs now).</summary>
    public static UdpPort Listen(IIoLoop loop, int port, DatagramProtocol protocol, string interfaceAddress, int maxPacketSize)
    {
        var (local, description) = CheckListen(port, protocol, interfaceAddress, maxPacketSize);
        int fd = BoundSocket.Create(local, SocketNative.SOCK_DGRAM, reuseAddress: false, backlog: null, description);
        var udp = new UdpPort(loop, protocol, fd, maxPacketSize);
        udp.Attach();
        return udp;
    }

    private protected override void JoinLoop() => _registration = _loop.RegisterIo(_fd, IoEvents.Readable, this);

    private protected override void CloseSocket()
    {
        _registration?.Dispose();
        LibC.Close(_fd);
    }

    /// <inheritdoc />
    public override void OnIoReady(IoEvents events)
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
                    Refused();
                    continue;
                }
                ReadFailed(SocketErrors.ToSocketException(errno));
                return;
            }
            Deliver(new ReadOnlySpan<byte>(buffer, 0, (int)n), Sender(new ReadOnlySpan<byte>(address, SocketAddressCodec.MaxSize), length));
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

    private protected override SocketError SendDatagram(ReadOnlySpan<byte> data, EndPoint? address)
    {
        byte* sockaddr = stackalloc byte[SocketAddressCodec.MaxSize];
        int sockaddrLength = address is null ? 0 : SocketAddressCodec.Encode(address, new Span<byte>(sockaddr, SocketAddressCodec.MaxSize));
        while (true)
        {
            nint sent;
            fixed (byte* p = data)
                sent = address is null
                    ? SocketNative.Send(_fd, p, (nuint)data.Length, SocketNative.MSG_NOSIGNAL)
                    : SocketNative.SendTo(_fd, p, (nuint)data.Length, SocketNative.MSG_NOSIGNAL, sockaddr, sockaddrLength);
            if (sent >= 0) return SocketError.Success;
            int errno = SocketNative.LastError;
            if (errno == Errno.EINTR) continue;
            _lastSendErrno = errno;
            return SocketErrors.ToSocketError(errno);
        }
    }

    /// <summary>The failed send's errno, with the system's text.</summary>
    private protected override SocketException SendError(SocketError error) => SocketErrors.ToSocketException(_lastSendErrno);

    private protected override void ConnectSocket(EndPoint address)
    {
        byte* sockaddr = stackalloc byte[SocketAddressCodec.MaxSize];
        int length = SocketAddressCodec.Encode(address, new Span<byte>(sockaddr, SocketAddressCodec.MaxSize));
        if (SocketNative.Connect(_fd, sockaddr, length) != 0) throw SocketErrors.ToSocketException(SocketNative.LastError);
    }
}
