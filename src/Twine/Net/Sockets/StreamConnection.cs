using Twine.Native;
using Twine.Reactors.Io;
using System.Net;
using Twine.Defer;
using Twine.Net.Native;

namespace Twine.Net.Sockets;

/// <summary>
/// One connected stream socket (TCP or Unix) on the native layer, after Twisted's <c>tcp.Connection</c>: reads on
/// readiness into the reactor's shared buffer, and flushes the write buffer with <c>sendmsg</c>/<c>sendfile</c> once
/// per loop iteration. The rules (state, flow control, close order) are <see cref="StreamTransport"/>'s. Loop thread only.
/// </summary>
/// <remarks>
/// Interest in the reactor follows the state: Readable while reading is wanted (not paused, not after EOF, not
/// while closing), Writable only while the kernel's send buffer is full. Everything else waits for the flush phase,
/// so a burst of small writes from one callback leaves in one <c>sendmsg</c>.
/// </remarks>
internal abstract unsafe partial class StreamConnection : StreamTransport, IFileSendingTransport
{
    private readonly int _fd;
    private IoRegistration? _registration;

    protected StreamConnection(IIoLoop loop, int fd, EndPoint host, EndPoint peer) : base(loop, host, peer) => _fd = fd;

    /// <summary>The socket's descriptor.</summary>
    internal int Fd => _fd;

    /// <summary>True while Writable interest is on: the kernel's send buffer was full at the last write.</summary>
    internal bool WaitingForWritable => _sendBlocked;

    private protected override void Attach() => _registration = _loop.RegisterIo(_fd, IoEvents.Readable, this);

    /// <inheritdoc />
    public sealed override void OnIoReady(IoEvents events)
    {
        if ((events & IoEvents.Readable) != 0 && !_closed) DoRead();
        if ((events & IoEvents.Writable) != 0 && !_closed) WriteOut();
    }

    /// <summary>Reads once (level-triggered readiness calls again if more is waiting, which keeps connections fair).</summary>
    private void DoRead()
    {
        var buffer = _loop.ReadBuffer;
        nint n;
        fixed (byte* p = buffer) n = ReceivesDescriptors ? ReceiveWithDescriptors(p, (nuint)buffer.Length) : SocketNative.Recv(_fd, p, (nuint)buffer.Length, 0);
        if (n > 0)
        {
            if (_closed) return;   // a descriptor receiver closed the connection
            Deliver(new ReadOnlySpan<byte>(buffer, 0, (int)n));
            return;
        }
        if (n == 0)
        {
            ReadEndOfStream();
            return;
        }
        int errno = SocketNative.LastError;
        if (errno is Errno.EAGAIN or Errno.EINTR) return;
        CloseNow(new Failure(SocketErrors.Lost(errno)), abortive: false);
    }

    private protected override void ReadingChanged() => UpdateInterest();

    private protected override void ReleaseSocket(bool abortive)
    {
        _registration?.Dispose();
        if (abortive) SocketNative.SetAbortiveClose(_fd);
        LibC.Close(_fd);
        _buffer.Clear();
        DiscardQueuedDescriptors();
    }

    private protected override void ShutdownSocketWrite() =>
        // ENOTCONN here means the peer already reset the connection; reading will report that.
        SocketNative.Shutdown(_fd, SocketNative.SHUT_WR);

    private void UpdateInterest()
    {
        if (_registration is not { IsRegistered: true } registration) return;
        var interest = IoEvents.None;
        if (ReadingWanted) interest |= IoEvents.Readable;
        if (_sendBlocked) interest |= IoEvents.Writable;
        registration.Interest = interest;
    }

    /// <summary>The connection, for log messages.</summary>
    public override string ToString() => $"<{GetType().Name} fd={_fd} {Host} -> {Peer}>";
}
