using System.Net;
using System.Net.Sockets;
using Twine.Net.Udp;
using Twine.Reactors.Io;

namespace Twine.Net.Portable;

/// <summary>
/// A bound UDP socket on <see cref="System.Net.Sockets.Socket"/>: the portable layer's <see cref="UdpPort"/>, with the
/// rules of <see cref="DatagramSocket"/>. Receives complete on runtime threads and are posted to the loop. Loop thread
/// only, apart from the completion callback.
/// </summary>
internal sealed class PortableUdpPort : DatagramSocket
{
    private static readonly Action<PortableUdpPort> s_received = static p => p.OnReceived();

    private readonly Socket _socket;
    private readonly SocketAsyncEventArgs _receiveArgs = new();
    private readonly EndPoint _anyAddress;
    private IDisposable? _tracking;
    private EndPoint? _lastSender;
    private bool _receivePending;

    private PortableUdpPort(IIoLoop loop, DatagramProtocol protocol, Socket socket, int maxPacketSize)
        : base(loop, protocol, socket.LocalEndPoint ?? new IPEndPoint(IPAddress.Any, 0))
    {
        _socket = socket;
        _anyAddress = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        // A receive in flight owns its buffer, so the port cannot borrow the reactor's shared one.
        _receiveArgs.SetBuffer(GC.AllocateUninitializedArray<byte>(maxPacketSize, pinned: true), 0, maxPacketSize);
        _receiveArgs.Completed += (_, _) => _loop.Post(s_received, this);
    }

    /// <summary>Binds the port and attaches <paramref name="protocol"/> (its <c>StartProtocol</c> runs now).</summary>
    public static PortableUdpPort Listen(IIoLoop loop, int port, DatagramProtocol protocol, string interfaceAddress, int maxPacketSize)
    {
        var (local, description) = CheckListen(port, protocol, interfaceAddress, maxPacketSize);
        var socket = PortablePort.Bind(local, SocketType.Dgram, reuseAddress: false, backlog: null, description);
        var udp = new PortableUdpPort(loop, protocol, socket, maxPacketSize);
        udp.Attach();
        udp.ReceiveMore();
        return udp;
    }

    private protected override void JoinLoop() => _tracking = _loop.Track(this);

    private protected override void CloseSocket()
    {
        _tracking?.Dispose();
        _tracking = null;
        _socket.Dispose();
    }

    /// <inheritdoc />
    public override void OnIoReady(IoEvents events)
    {
        // Completions arrive through Post, never as readiness.
    }

    /// <summary>Receives while datagrams are there at once, up to the native layer's per-turn bound; then waits.</summary>
    private void ReceiveMore()
    {
        for (int i = 0; i < DatagramsPerReadiness && !_closed; i++)
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
            Received();
        }
        if (!_closed && !_receivePending) _loop.Post(static p => p.ReceiveMore(), this);
    }

    private void OnReceived()
    {
        _receivePending = false;
        if (_closed) return;
        Received();
        ReceiveMore();
    }

    /// <summary>One finished receive: a datagram, a refusal, or an error.</summary>
    private void Received()
    {
        var error = _receiveArgs.SocketError;
        if (error is SocketError.ConnectionRefused or SocketError.ConnectionReset)
        {
            Refused();
            return;
        }
        if (error != SocketError.Success)
        {
            if (error != SocketError.OperationAborted) ReadFailed(new SocketException((int)error));
            return;
        }
        var sender = _receiveArgs.RemoteEndPoint ?? Host;
        // Consecutive datagrams from one peer share one endpoint object, as on the native layer.
        if (_lastSender is not null && _lastSender.Equals(sender)) sender = _lastSender;
        else _lastSender = sender;
        Deliver(new ReadOnlySpan<byte>(_receiveArgs.Buffer, 0, _receiveArgs.BytesTransferred), sender);
    }

    private protected override SocketError SendDatagram(ReadOnlySpan<byte> data, EndPoint? address)
    {
        if (address is null)
        {
            _socket.Send(data, SocketFlags.None, out var error);
            return error;
        }
        try
        {
            _socket.SendTo(data, SocketFlags.None, address);
            return SocketError.Success;
        }
        catch (SocketException ex)
        {
            return ex.SocketErrorCode;
        }
    }

    private protected override void ConnectSocket(EndPoint address) => _socket.Connect(address);
}
