using Twine.Reactors.Io;
using Twine.Native;
using Twine.Defer;
using Twine.Logging;
using Twine.Net.Native;
using Microsoft.Win32.SafeHandles;

namespace Twine.Net.Sockets;

// The native sending half: sendmsg over the buffer's chunks, sendfile for file regions, and Writable interest while
// the kernel is full. Buffering and flow control are StreamTransport's.
internal abstract unsafe partial class StreamConnection
{
    /// <summary>Iovecs gathered per <c>sendmsg</c>; 64 pieces cover a megabyte of chunks, and more just loop.</summary>
    private const int IovPerSend = 64;

    /// <summary>The most one <c>sendfile</c> is asked for (Linux caps a call just under 2 GiB anyway).</summary>
    private const long MaxSendFile = 1L << 30;

    /// <inheritdoc />
    public void WriteFile(SafeFileHandle file, long offset, long count)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (_closed || _aborting || _writeShutDown || count == 0)
        {
            file.Dispose();
            return;
        }
        _buffer.AppendFile(file, offset, count);
        EnsureFlushScheduled();
        _producer.Written(_buffer.Count, HighWaterMark);
    }

    /// <inheritdoc />
    public sealed override void Flush()
    {
        if (FlushDue()) WriteOut();
    }

    /// <inheritdoc />
    private protected sealed override void SendWithoutAfterSend() => SendBuffered();

    /// <summary>Sends until the buffer is empty or the kernel is full, then applies what follows from that.</summary>
    private void WriteOut()
    {
        if (SendBuffered()) AfterSend();
    }

    /// <summary>
    /// Sends until the buffer is empty or the kernel is full, and asks for Writable readiness if bytes remain. Returns
    /// false if the connection closed on the way (the peer is gone, a file failed).
    /// </summary>
    private bool SendBuffered()
    {
        if (_descriptorsOut is { Count: > 0 } && !SendQueuedDescriptors()) return false;
        var iov = stackalloc SocketNative.IoVec[IovPerSend];
        while (_buffer.Count > 0)
        {
            if (_buffer.HeadFile is { } region)
            {
                if (!SendFileRegion(region, out bool full)) return false;
                if (full) break;
                continue;
            }
            int count = _buffer.Gather(iov, IovPerSend, out long total, out bool fileFollows);
            var message = new SocketNative.MsgHdr { Iov = iov, IovLength = (nuint)count };
            // A head in front of a file (an HTTP response) is held back to share segments with the file's first bytes,
            // as TCP_CORK would do, without two more system calls: on its own it costs the peer a wake-up and a read
            // per response, which halved a 1 MiB static file's rate against nginx (whose tcp_nopush does the same).
            int flags = fileFollows ? SocketNative.MSG_NOSIGNAL | SocketNative.MSG_MORE : SocketNative.MSG_NOSIGNAL;
            nint sent = SocketNative.SendMsg(_fd, &message, flags);
            if (sent < 0)
            {
                int errno = SocketNative.LastError;
                if (errno == Errno.EINTR) continue;
                if (errno == Errno.EAGAIN) break;
                // EPIPE / ECONNRESET: the peer is gone; what is buffered can never be delivered.
                CloseNow(new Failure(SocketErrors.Lost(errno)), abortive: false);
                return false;
            }
            _buffer.Consume(sent);
            if (sent < total) break;   // a short write: the kernel's buffer is full
        }
        SetWritableWanted(_buffer.Count > 0);
        return true;
    }

    /// <summary>
    /// Sends from the file region at the head of the buffer. Returns false if the connection was closed; sets
    /// <paramref name="full"/> when the kernel took less than asked (its buffer is full).
    /// </summary>
    private bool SendFileRegion(WriteSegment region, out bool full)
    {
        full = false;
        long offset = region.FileOffset;
        long asked = Math.Min(region.FileCount, MaxSendFile);
        nint sent;
        do sent = SocketNative.SendFile(_fd, (int)region.File!.DangerousGetHandle(), &offset, (nuint)asked);
        while (sent < 0 && SocketNative.LastError == Errno.EINTR);
        if (sent < 0)
        {
            int errno = SocketNative.LastError;
            if (errno == Errno.EAGAIN)
            {
                full = true;
                return true;
            }
            if (errno is Errno.EPIPE or Errno.ECONNRESET)
            {
                CloseNow(new Failure(SocketErrors.Lost(errno)), abortive: false);
                return false;
            }
            // The file, not the socket, failed (EIO...): the peer can never get the bytes it was promised.
            CloseNow(new Failure(new IOException($"sendfile failed with errno {errno} on {this}.")), abortive: true);
            return false;
        }
        if (sent == 0)
        {
            // The file is shorter than the region (truncated since it was queued): end the connection rather than
            // leave the peer waiting for bytes that will never come, or let later writes pose as the missing ones.
            CloseNow(new Failure(new IOException($"The file being sent ended {region.FileCount} bytes early on {this}.")), abortive: true);
            return false;
        }
        _buffer.Consume(sent);
        full = sent < asked;
        return true;
    }

    private void SetWritableWanted(bool wanted)
    {
        if (_sendBlocked == wanted || _closed) return;
        _sendBlocked = wanted;
        UpdateInterest();
    }
}
