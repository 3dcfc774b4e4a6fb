using Twine.Native;
using Twine.Reactors.Io;
using System.Net;
using Twine.Net.Native;
using Twine.Time;

namespace Twine.Net.Sockets;

/// <summary>
/// One non-blocking <c>connect</c> to a resolved address: start it, wait for Writable readiness, read
/// <c>SO_ERROR</c>, and hand over the connected socket or the error. The outcome is always reported from a later
/// reactor turn than <see cref="Start"/>, as <see cref="Connector"/> requires. Loop thread only.
/// </summary>
internal sealed unsafe class ConnectAttempt : IConnectAttempt, IIoHandler
{
    /// <summary>How long to wait before retrying a Unix connect refused with EAGAIN (the server's backlog is full).</summary>
    internal static readonly TimeSpan UnixBacklogRetry = TimeSpan.FromMilliseconds(10);

    private readonly IIoLoop _loop;
    private readonly EndPoint _target;
    private readonly EndPoint? _bindAddress;
    private readonly Action<int, EndPoint, EndPoint> _connected;
    private readonly Action<Exception> _failed;
    private int _fd = -1;
    private IoRegistration? _registration;
    private IDelayedCall? _pending;
    private bool _done;

    /// <param name="loop">The reactor to wait on.</param>
    /// <param name="target">Where to connect.</param>
    /// <param name="bindAddress">A local address to bind first, or null.</param>
    /// <param name="connected">Takes ownership of the connected descriptor, with the local and remote addresses.</param>
    /// <param name="failed">Hears why the attempt failed.</param>
    public ConnectAttempt(IIoLoop loop, EndPoint target, EndPoint? bindAddress,
        Action<int, EndPoint, EndPoint> connected, Action<Exception> failed)
    {
        _loop = loop;
        _target = target;
        _bindAddress = bindAddress;
        _connected = connected;
        _failed = failed;
    }

    private bool IsUnix => _target is System.Net.Sockets.UnixDomainSocketEndPoint;

    /// <summary>Creates the socket and starts connecting.</summary>
    public void Start()
    {
        if (!SocketNative.IsSupported)
        {
            FailLater(new PlatformNotSupportedException("Twine's socket transports use the Linux socket ABI; this OS is not supported yet."));
            return;
        }
        _fd = SocketNative.Socket(SocketAddressCodec.FamilyOf(_target), SocketNative.SOCK_STREAM | SocketNative.SOCK_NONBLOCK | SocketNative.SOCK_CLOEXEC, 0);
        int socketError = _fd < 0 ? SocketNative.LastError : 0;
        if (_fd >= 0 && DescriptorReserve.Holds(_fd))
        {
            // Keep the runtime's reserve (see DescriptorReserve): fail this connect as if the table were full.
            LibC.Close(_fd);
            _fd = -1;
            socketError = Errno.EMFILE;
        }
        if (_fd < 0)
        {
            FailLater(SocketErrors.ConnectError(socketError));
            return;
        }
        byte* address = stackalloc byte[SocketAddressCodec.MaxSize];
        if (_bindAddress is not null)
        {
            int bindLength = SocketAddressCodec.Encode(_bindAddress, new Span<byte>(address, SocketAddressCodec.MaxSize));
            if (SocketNative.Bind(_fd, address, bindLength) != 0)
            {
                var inner = SocketErrors.ToSocketException(SocketNative.LastError);
                FailLater(new ConnectException($"Couldn't bind to {_bindAddress}: {inner.Message}.", inner));
                return;
            }
        }
        int errno = TryConnect();
        if (errno == 0 || errno == Errno.EINPROGRESS || errno == Errno.EINTR)
        {
            // Connected at once (Unix sockets) or in progress (TCP): either way Writable readiness reports it.
            _registration = _loop.RegisterIo(_fd, IoEvents.Writable, this);
        }
        else if (errno == Errno.EAGAIN && IsUnix)
        {
            _pending = _loop.CallLater(UnixBacklogRetry, static a => a.RetryUnixConnect(), this);
        }
        else
        {
            FailLater(SocketErrors.ConnectError(errno));
        }
    }

    /// <summary>Abandons the attempt: the socket is closed and nothing is reported.</summary>
    public void Cancel()
    {
        if (_done) return;
        _done = true;
        Release(closeSocket: true);
    }

    /// <inheritdoc />
    public void OnIoReady(IoEvents events)
    {
        if (_done) return;
        int error = SocketNative.GetIntOption(_fd, SocketNative.SOL_SOCKET, SocketNative.SO_ERROR);
        if (error < 0) error = -error;
        if (error != 0) Fail(SocketErrors.ConnectError(error));
        else Succeed();
    }

    /// <inheritdoc />
    public void OnReactorShutdown()
    {
        if (!_done) Fail(new ConnectException("The reactor shut down before the connection was made."));
    }

    private int TryConnect()
    {
        byte* address = stackalloc byte[SocketAddressCodec.MaxSize];
        int length = SocketAddressCodec.Encode(_target, new Span<byte>(address, SocketAddressCodec.MaxSize));
        return SocketNative.Connect(_fd, address, length) == 0 ? 0 : SocketNative.LastError;
    }

    private void RetryUnixConnect()
    {
        _pending = null;
        if (_done) return;
        int errno = TryConnect();
        if (errno == 0) Succeed();
        else if (errno == Errno.EAGAIN) _pending = _loop.CallLater(UnixBacklogRetry, static a => a.RetryUnixConnect(), this);
        else Fail(SocketErrors.ConnectError(errno));
    }

    private void Succeed()
    {
        _done = true;
        Release(closeSocket: false);
        int fd = _fd;
        _fd = -1;
        var host = SocketAddressCodec.LocalAddress(fd) ?? _bindAddress ?? _target;
        var peer = SocketAddressCodec.RemoteAddress(fd) ?? _target;
        _connected(fd, host, peer);
    }

    private void Fail(Exception reason)
    {
        _done = true;
        Release(closeSocket: true);
        _failed(reason);
    }

    private void FailLater(Exception reason)
    {
        // Connector requires a later turn: ClientFactory.StartedConnecting must come first.
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
        _registration?.Dispose();
        _registration = null;
        if (closeSocket && _fd >= 0)
        {
            LibC.Close(_fd);
            _fd = -1;
        }
    }

    /// <summary>The attempt, for log messages.</summary>
    public override string ToString() => $"<ConnectAttempt to {_target}>";
}
