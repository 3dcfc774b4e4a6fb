using Twine.Native;
using Twine.Reactors.Io;
using System.Net;
using Twine.Net.Native;

namespace Twine.Net.Sockets;

/// <summary>
/// One non-blocking <c>connect</c> on the native layer: start it, wait for Writable readiness, read <c>SO_ERROR</c>,
/// and hand over the connected socket or the error, with the reporting rules of <see cref="PendingConnect"/>. Loop
/// thread only.
/// </summary>
internal sealed unsafe class ConnectAttempt : PendingConnect
{
    private readonly Action<int, EndPoint, EndPoint> _connected;
    private int _fd = -1;
    private IoRegistration? _registration;

    /// <param name="loop">The reactor to wait on.</param>
    /// <param name="target">Where to connect.</param>
    /// <param name="bindAddress">A local address to bind first, or null.</param>
    /// <param name="connected">Takes ownership of the connected descriptor, with the local and remote addresses.</param>
    /// <param name="failed">Hears why the attempt failed.</param>
    public ConnectAttempt(IIoLoop loop, EndPoint target, EndPoint? bindAddress,
        Action<int, EndPoint, EndPoint> connected, Action<Exception> failed)
        : base(loop, target, bindAddress, failed) => _connected = connected;

    /// <summary>Creates the socket and starts connecting.</summary>
    public void Start()
    {
        if (!SocketNative.IsSupported)
        {
            FailLater(new PlatformNotSupportedException("Twine's socket transports use the Linux socket ABI; this OS is not supported yet."));
            return;
        }
        _fd = SocketNative.Socket(SocketAddressCodec.FamilyOf(Target), SocketNative.SOCK_STREAM | SocketNative.SOCK_NONBLOCK | SocketNative.SOCK_CLOEXEC, 0);
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
        if (BindAddress is not null)
        {
            int bindLength = SocketAddressCodec.Encode(BindAddress, new Span<byte>(address, SocketAddressCodec.MaxSize));
            if (SocketNative.Bind(_fd, address, bindLength) != 0)
            {
                var inner = SocketErrors.ToSocketException(SocketNative.LastError);
                FailLater(new ConnectException($"Couldn't bind to {BindAddress}: {inner.Message}.", inner));
                return;
            }
        }
        int errno = TryConnect();
        if (errno == 0 || errno == Errno.EINPROGRESS || errno == Errno.EINTR)
        {
            // Connected at once (Unix sockets) or in progress (TCP): either way Writable readiness reports it.
            _registration = Loop.RegisterIo(_fd, IoEvents.Writable, this);
        }
        else if (errno == Errno.EAGAIN && IsUnix)
        {
            Schedule(UnixBacklogRetry, static a => a.RetryUnixConnect(), this);
        }
        else
        {
            FailLater(SocketErrors.ConnectError(errno));
        }
    }

    /// <inheritdoc />
    public override void OnIoReady(IoEvents events)
    {
        if (Done) return;
        int error = SocketNative.GetIntOption(_fd, SocketNative.SOL_SOCKET, SocketNative.SO_ERROR);
        if (error < 0) error = -error;
        if (error != 0) Fail(SocketErrors.ConnectError(error));
        else Succeed();
    }

    private int TryConnect()
    {
        byte* address = stackalloc byte[SocketAddressCodec.MaxSize];
        int length = SocketAddressCodec.Encode(Target, new Span<byte>(address, SocketAddressCodec.MaxSize));
        return SocketNative.Connect(_fd, address, length) == 0 ? 0 : SocketNative.LastError;
    }

    /// <summary>The listener's backlog was full (UX2): the same socket may connect now that time has passed.</summary>
    private void RetryUnixConnect()
    {
        if (Done) return;
        int errno = TryConnect();
        if (errno == 0) Succeed();
        else if (errno == Errno.EAGAIN) Schedule(UnixBacklogRetry, static a => a.RetryUnixConnect(), this);
        else Fail(SocketErrors.ConnectError(errno));
    }

    private void Succeed()
    {
        Succeeded();
        int fd = _fd;
        _fd = -1;
        var host = SocketAddressCodec.LocalAddress(fd) ?? BindAddress ?? Target;
        var peer = SocketAddressCodec.RemoteAddress(fd) ?? Target;
        _connected(fd, host, peer);
    }

    private protected override void ReleaseIo(bool closeSocket)
    {
        _registration?.Dispose();
        _registration = null;
        if (closeSocket && _fd >= 0)
        {
            LibC.Close(_fd);
            _fd = -1;
        }
    }
}
