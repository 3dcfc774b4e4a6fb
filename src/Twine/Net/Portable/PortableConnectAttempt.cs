using System.Net;
using System.Net.Sockets;
using Twine.Net.Sockets;
using Twine.Reactors.Io;
using Twine.Time;

namespace Twine.Net.Portable;

/// <summary>
/// One outgoing connect on <see cref="Socket.ConnectAsync(SocketAsyncEventArgs)"/>, the portable counterpart of the
/// native <see cref="ConnectAttempt"/> with the same rules: the outcome is reported from a later reactor turn; a socket
/// landing in the descriptor reserve fails the connect as EMFILE would; a Unix connect refused because the server's
/// backlog is full (EAGAIN) is retried every <see cref="ConnectAttempt.UnixBacklogRetry"/> until it succeeds, fails
/// otherwise, is cancelled or times out. Loop thread only, apart from the completion callback.
/// </summary>
internal sealed class PortableConnectAttempt : IConnectAttempt, IIoHandler
{
    private static readonly Action<PortableConnectAttempt> s_connectDone = static a => a.OnConnectDone();

    private readonly IIoLoop _loop;
    private readonly EndPoint _target;
    private readonly EndPoint? _bindAddress;
    private readonly Action<StreamTransport> _connected;
    private readonly Action<Exception> _failed;
    private readonly SocketAsyncEventArgs _args;
    private Socket? _socket;
    private IDisposable? _tracking;
    private IDelayedCall? _pending;
    private bool _done;

    public PortableConnectAttempt(IIoLoop loop, EndPoint target, EndPoint? bindAddress, Action<StreamTransport> connected, Action<Exception> failed)
    {
        _loop = loop;
        _target = target;
        _bindAddress = bindAddress;
        _connected = connected;
        _failed = failed;
        _args = new SocketAsyncEventArgs { RemoteEndPoint = target };
        _args.Completed += (_, _) => _loop.Post(s_connectDone, this);
    }

    private bool IsUnix => _target is UnixDomainSocketEndPoint;

    /// <summary>Creates a socket and starts connecting it (again, after a full Unix backlog).</summary>
    public void Start()
    {
        _pending = null;
        if (_done) return;
        var protocol = IsUnix ? ProtocolType.Unspecified : ProtocolType.Tcp;
        Socket socket;
        try
        {
            socket = new Socket(_target.AddressFamily, SocketType.Stream, protocol);
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
        if (_bindAddress is not null)
        {
            try
            {
                socket.Bind(_bindAddress);
            }
            catch (SocketException ex)
            {
                FailLater(new ConnectException($"Couldn't bind to {_bindAddress}: {ex.Message}.", ex));
                return;
            }
        }
        _tracking ??= _loop.Track(this);
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
        if (!pending) _loop.Post(s_connectDone, this);
    }

    /// <inheritdoc />
    public void Cancel()
    {
        if (_done) return;
        _done = true;
        Release(closeSocket: true);
    }

    private void OnConnectDone()
    {
        if (_done)
        {
            // Cancelled (or timed out) meanwhile: the socket was closed; nothing is reported.
            return;
        }
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
        _done = true;
        Release(closeSocket: false);
        var host = PortablePort.LocalOf(socket) ?? _bindAddress ?? _target;
        var peer = PortablePort.RemoteOf(socket) ?? _target;
        StreamTransport connection = socket.AddressFamily == AddressFamily.Unix
            ? new PortableUnixConnection(_loop, socket, host, peer)
            : new PortableTcpConnection(_loop, socket, host, peer);
        _connected(connection);
    }

    /// <summary>
    /// The listener's backlog is full (a non-blocking Unix connect does not wait for room): try again shortly, on a
    /// fresh socket, since .NET will not connect a socket whose connect failed.
    /// </summary>
    private void RetryLater()
    {
        CloseSocket();
        _pending = _loop.CallLater(ConnectAttempt.UnixBacklogRetry, static a => a.Start(), this);
    }

    /// <inheritdoc />
    public void OnIoReady(IoEvents events)
    {
        // Completions arrive through Post, never as readiness.
    }

    /// <inheritdoc />
    public void OnReactorShutdown()
    {
        if (!_done) Fail(new ConnectException("The reactor shut down before the connection was made."));
    }

    private void Fail(Exception reason)
    {
        _done = true;
        Release(closeSocket: true);
        _failed(reason);
    }

    private void FailLater(Exception reason)
    {
        // StreamConnector requires a later turn: ClientFactory.StartedConnecting must come first.
        Release(closeSocket: true);
        _pending = _loop.CallLater(TimeSpan.Zero, static s =>
        {
            s.attempt._pending = null;
            if (s.attempt._done) return;
            s.attempt._done = true;
            s.attempt._failed(s.reason);
        }, (attempt: this, reason));
    }

    private void Release(bool closeSocket)
    {
        if (_pending is { IsActive: true } pending) pending.Cancel();
        _pending = null;
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

    /// <summary>The attempt, for log messages.</summary>
    public override string ToString() => $"<PortableConnectAttempt to {_target}>";
}
