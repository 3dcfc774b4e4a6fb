using System.Net;
using System.Net.Sockets;
using Twine.Net.Sockets;
using Twine.Reactors.Io;

namespace Twine.Net.Portable;

/// <summary>
/// One outgoing connect on <see cref="Socket.ConnectAsync(SocketAsyncEventArgs)"/>, the portable counterpart of the
/// native <see cref="ConnectAttempt"/>, with the reporting rules of <see cref="PendingConnect"/> and the native rules
/// for sockets: one landing in the descriptor reserve fails the connect as EMFILE would; a Unix connect refused
/// because the server's backlog is full (EAGAIN, UX2) is retried every <see cref="PendingConnect.UnixBacklogRetry"/>.
/// Loop thread only, apart from the completion callback.
/// </summary>
internal sealed class PortableConnectAttempt : PendingConnect
{
    private static readonly Action<PortableConnectAttempt> s_connectDone = static a => a.OnConnectDone();

    private readonly Action<StreamTransport> _connected;
    private readonly SocketAsyncEventArgs _args;
    private Socket? _socket;
    private IDisposable? _tracking;

    public PortableConnectAttempt(IIoLoop loop, EndPoint target, EndPoint? bindAddress, Action<StreamTransport> connected, Action<Exception> failed)
        : base(loop, target, bindAddress, failed)
    {
        _connected = connected;
        _args = new SocketAsyncEventArgs { RemoteEndPoint = target };
        _args.Completed += (_, _) => Loop.Post(s_connectDone, this);
    }

    /// <summary>Creates a socket and starts connecting it (again, after a full Unix backlog).</summary>
    public void Start()
    {
        if (Done) return;
        var protocol = IsUnix ? ProtocolType.Unspecified : ProtocolType.Tcp;
        Socket socket;
        try
        {
            socket = new Socket(Target.AddressFamily, SocketType.Stream, protocol);
        }
        catch (SocketException ex)
        {
            FailLater(PortableErrors.ConnectError(ex.SocketErrorCode));
            return;
        }
        if (PortableDescriptors.InReserve(socket))
        {
            // Keep the runtime's reserve (see DescriptorReserve): fail this connect as if the table were full.
            socket.Dispose();
            FailLater(PortableErrors.ConnectError(SocketError.TooManyOpenSockets));
            return;
        }
        _socket = socket;
        if (BindAddress is not null)
        {
            try
            {
                socket.Bind(BindAddress);
            }
            catch (SocketException ex)
            {
                FailLater(new ConnectException($"Couldn't bind to {BindAddress}: {ex.Message}.", ex));
                return;
            }
        }
        _tracking ??= Loop.Track(this);
        bool pending;
        try
        {
            pending = socket.ConnectAsync(_args);
        }
        catch (SocketException ex)
        {
            if (IsUnix && ex.SocketErrorCode == SocketError.WouldBlock) RetryLater();
            else FailLater(PortableErrors.ConnectError(ex.SocketErrorCode));
            return;
        }
        // Connected (or failed) at once: still reported on a later turn, after StartedConnecting.
        if (!pending) Loop.Post(s_connectDone, this);
    }

    private void OnConnectDone()
    {
        if (Done) return;   // cancelled (or timed out) meanwhile: the socket was closed; nothing is reported
        var error = _args.SocketError;
        if (error == SocketError.WouldBlock && IsUnix)
        {
            RetryLater();
            return;
        }
        if (error != SocketError.Success)
        {
            Fail(PortableErrors.ConnectError(error));
            return;
        }
        var socket = _socket!;
        _socket = null;
        Succeeded();
        var host = PortablePort.LocalOf(socket) ?? BindAddress ?? Target;
        var peer = PortablePort.RemoteOf(socket) ?? Target;
        StreamTransport connection = socket.AddressFamily == AddressFamily.Unix
            ? new PortableUnixConnection(Loop, socket, host, peer)
            : new PortableTcpConnection(Loop, socket, host, peer);
        _connected(connection);
    }

    /// <summary>
    /// The listener's backlog is full (a non-blocking Unix connect does not wait for room): try again shortly, on a
    /// fresh socket, since .NET will not connect a socket whose connect failed.
    /// </summary>
    private void RetryLater()
    {
        CloseSocket();
        Schedule(UnixBacklogRetry, static a => a.Start(), this);
    }

    /// <inheritdoc />
    public override void OnIoReady(IoEvents events)
    {
        // Completions arrive through Post, never as readiness.
    }

    private protected override void ReleaseIo(bool closeSocket)
    {
        _tracking?.Dispose();
        _tracking = null;
        if (closeSocket) CloseSocket();
    }

    /// <summary>Closes the socket; a connect in flight then completes as aborted, and is ignored.</summary>
    private void CloseSocket()
    {
        _socket?.Dispose();
        _socket = null;
    }
}
