using Twine.Native;
using Twine.Reactors.Io;
using System.Net;
using Twine.Defer;
using Twine.Logging;
using Twine.Net.Native;

namespace Twine.Net.Sockets;

/// <summary>
/// A listening stream socket (TCP or Unix) on the native layer: accepts with <c>accept4</c> on readiness, up to
/// <see cref="StreamListener.AcceptsPerReadiness"/> per readiness (the rest wait for the next iteration, readiness
/// being level-triggered). The rules (factory, back-off, close) are <see cref="StreamListener"/>'s. Loop thread only.
/// </summary>
internal abstract unsafe class StreamPort : StreamListener
{
    private int _fd = -1;
    private IoRegistration? _registration;

    protected StreamPort(IIoLoop loop, IProtocolFactory factory) : base(loop, factory) { }

    /// <summary>
    /// Test seam for the accept path: when set, it is called before each <c>accept4</c>, and a non-zero result is taken
    /// as the errno <c>accept4</c> failed with (the call is then not made). Lets a test exercise EMFILE handling
    /// without lowering the whole test process's descriptor limit.
    /// </summary>
    internal Func<int>? AcceptFault { get; set; }

    /// <summary>Accept attempts made, including injected failures (tests: proves there is no busy loop).</summary>
    internal long AcceptAttempts { get; private set; }

    /// <summary>
    /// Takes over a bound, listening, non-blocking socket: starts the factory and watches for connections. If that
    /// fails the socket is closed and the exception propagates.
    /// </summary>
    protected void StartListening(int fd)
    {
        _fd = fd;
        Start(SocketAddressCodec.LocalAddress(fd));
    }

    /// <summary>Wraps an accepted socket in the right kind of connection.</summary>
    protected abstract StreamConnection CreateConnection(int fd, EndPoint host, EndPoint peer);

    private protected override void StartAccepting()
    {
        if (_registration is null) _registration = Loop.RegisterIo(_fd, IoEvents.Readable, this);
        else if (_registration.IsRegistered) _registration.Interest = IoEvents.Readable;
    }

    private protected override void PauseAccepting()
    {
        if (_registration is { IsRegistered: true } registration) registration.Interest = IoEvents.None;
    }

    private protected override void CloseListener()
    {
        _registration?.Dispose();
        if (_fd >= 0) LibC.Close(_fd);
        _fd = -1;
    }

    /// <inheritdoc />
    public override void OnIoReady(IoEvents events)
    {
        byte* address = stackalloc byte[SocketAddressCodec.MaxSize];
        for (int i = 0; i < AcceptsPerReadiness && !_stopped; i++)
        {
            AcceptAttempts++;
            int length = SocketAddressCodec.MaxSize;
            int fd = -1;
            int errno = AcceptFault?.Invoke() ?? 0;
            if (errno == 0)
            {
                fd = SocketNative.Accept4(_fd, address, &length, SocketNative.SOCK_NONBLOCK | SocketNative.SOCK_CLOEXEC);
                if (fd < 0) errno = SocketNative.LastError;
                else if (DescriptorReserve.Holds(fd))
                {
                    // The newcomer took a descriptor the runtime may need: turn it away now rather than let the
                    // process run out (see DescriptorReserve). Accepting pauses below, as for a real EMFILE.
                    LibC.Close(fd);
                    fd = -1;
                    errno = Errno.EMFILE;
                }
            }
            if (fd < 0)
            {
                if (!ContinueAfterAcceptError(errno)) return;
                continue;
            }
            var peer = SocketAddressCodec.Decode(new ReadOnlySpan<byte>(address, SocketAddressCodec.MaxSize), length) ?? Host;
            Accepted(fd, peer);
        }
    }

    /// <summary>Handles a failed accept; true to try the next one.</summary>
    private bool ContinueAfterAcceptError(int errno)
    {
        switch (errno)
        {
            case Errno.EAGAIN:
                return false;
            case Errno.EINTR:
            case Errno.ECONNABORTED:
            case Errno.EPROTO:
            case Errno.EPERM:
                // The connection died in the queue (or a firewall refused it): that one is gone, the next may be fine.
                return true;
            case Errno.EMFILE:
            case Errno.ENFILE:
            case Errno.ENOBUFS:
            case Errno.ENOMEM:
                SuspendAccepting(SocketNative.Describe(errno));
                return false;
            default:
                Log.Error(LogEventId.AcceptFailed, typeof(StreamPort), $"Could not accept new connection on {Host}", new Failure(SocketErrors.ToSocketException(errno)));
                return false;
        }
    }

    private void Accepted(int fd, EndPoint peer)
    {
        if (BuildProtocol(peer) is not { } protocol)
        {
            LibC.Close(fd);
            return;
        }
        var host = HostIsExact ? Host : SocketAddressCodec.LocalAddress(fd) ?? Host;
        CreateConnection(fd, host, peer).Start(protocol);
    }
}
