using Twine.Logging;
using Twine.Native;
using Twine.Net.Native;

namespace Twine.Net.Sockets;

// Descriptor passing over Unix sockets (SCM_RIGHTS), after Twisted's unix.Server/Client: each queued descriptor leaves
// with one byte of data in its own sendmsg; received descriptors are handed to the protocol before the data they came with.
internal abstract unsafe partial class StreamConnection
{
    /// <summary>Descriptors a single recvmsg can take; more in one message are truncated by the kernel (and reported).</summary>
    private const int MaxDescriptorsPerRead = 16;

    private Queue<int>? _descriptorsOut;

    /// <summary>Reads with recvmsg and accepts SCM_RIGHTS (Unix sockets); false: plain recv.</summary>
    private protected bool ReceivesDescriptors { get; init; }

    /// <summary>Descriptors queued and not yet sent (tests).</summary>
    internal int QueuedDescriptors => _descriptorsOut?.Count ?? 0;

    /// <summary>Queues a close-on-exec copy of <paramref name="fd"/> to leave with the next byte written.</summary>
    private protected void QueueDescriptor(int fd)
    {
        int copy = SocketNative.Fcntl(fd, SocketNative.F_DUPFD_CLOEXEC, 0);
        if (copy < 0) throw new IOException($"Cannot send descriptor {fd}: {SocketNative.Describe(SocketNative.LastError)}", SocketNative.LastError);
        if (_closed)
        {
            LibC.Close(copy);
            return;
        }
        (_descriptorsOut ??= new Queue<int>()).Enqueue(copy);
        EnsureFlushScheduled();
    }

    /// <summary>
    /// Sends queued descriptors, one byte of the buffer with each. False when the kernel is full or the connection
    /// closed: the caller stops writing.
    /// </summary>
    private bool SendQueuedDescriptors()
    {
        var control = stackalloc byte[SocketNative.CmsgSpace(sizeof(int))];
        while (_descriptorsOut is { Count: > 0 } queue && _buffer.Count > 0)
        {
            SocketNative.IoVec iov;
            _buffer.Gather(&iov, 1, out _, out _);
            iov.Length = 1;
            new Span<byte>(control, SocketNative.CmsgSpace(sizeof(int))).Clear();
            *(nuint*)control = (nuint)(SocketNative.CmsgHeaderSize + sizeof(int));
            *(int*)(control + IntPtr.Size) = SocketNative.SOL_SOCKET;
            *(int*)(control + IntPtr.Size + 4) = SocketNative.SCM_RIGHTS;
            *(int*)(control + SocketNative.CmsgHeaderSize) = queue.Peek();
            var message = new SocketNative.MsgHdr
            {
                Iov = &iov, IovLength = 1, Control = control, ControlLength = (nuint)SocketNative.CmsgSpace(sizeof(int)),
            };
            nint sent = SocketNative.SendMsg(_fd, &message, SocketNative.MSG_NOSIGNAL);
            if (sent < 0)
            {
                int errno = SocketNative.LastError;
                if (errno == Errno.EINTR) continue;
                if (errno == Errno.EAGAIN)
                {
                    SetWritableWanted(true);
                    return false;
                }
                CloseNow(new Failure(SocketErrors.Lost(errno)), abortive: false);
                return false;
            }
            LibC.Close(queue.Dequeue());   // the kernel holds its own reference in flight
            _buffer.Consume(sent);
        }
        return true;
    }

    /// <summary>recvmsg into <paramref name="buffer"/>, handing any descriptors that came with the bytes to the protocol first.</summary>
    private nint ReceiveWithDescriptors(byte* buffer, nuint length)
    {
        int controlSize = SocketNative.CmsgSpace(sizeof(int) * MaxDescriptorsPerRead);
        var control = stackalloc byte[controlSize];
        var iov = new SocketNative.IoVec { Base = buffer, Length = length };
        var message = new SocketNative.MsgHdr { Iov = &iov, IovLength = 1, Control = control, ControlLength = (nuint)controlSize };
        nint n = SocketNative.RecvMsg(_fd, &message, SocketNative.MSG_CMSG_CLOEXEC);
        if (n < 0 || message.ControlLength == 0) return n;
        int errno = SocketNative.LastError;
        var received = new List<int>();
        for (nuint offset = 0; offset + (nuint)SocketNative.CmsgHeaderSize <= message.ControlLength;)
        {
            byte* header = control + offset;
            nuint cmsgLength = *(nuint*)header;
            if (cmsgLength < (nuint)SocketNative.CmsgHeaderSize) break;
            if (*(int*)(header + IntPtr.Size) == SocketNative.SOL_SOCKET && *(int*)(header + IntPtr.Size + 4) == SocketNative.SCM_RIGHTS)
            {
                int count = (int)(cmsgLength - (nuint)SocketNative.CmsgHeaderSize) / sizeof(int);
                for (int i = 0; i < count; i++) received.Add(*(int*)(header + SocketNative.CmsgHeaderSize + i * sizeof(int)));
            }
            offset += (cmsgLength + (nuint)IntPtr.Size - 1) & ~(nuint)(IntPtr.Size - 1);
        }
        if ((message.Flags & 0x08 /* MSG_CTRUNC */) != 0)
            Log.Error($"Descriptors passed to {this} were truncated: more than {MaxDescriptorsPerRead} in one message");
        DeliverDescriptors(received);
        System.Runtime.InteropServices.Marshal.SetLastPInvokeError(errno);
        return n;
    }

    private void DeliverDescriptors(List<int> descriptors)
    {
        var protocol = _protocol;
        while (protocol is not IFileDescriptorReceiver && protocol is IProtocolWrapper wrapper) protocol = wrapper.Wrapped;
        foreach (int fd in descriptors)
        {
            if (_closed || protocol is not IFileDescriptorReceiver receiver)
            {
                // Twisted closes descriptors nobody can take, so they do not leak.
                LibC.Close(fd);
                if (!_closed) Log.Error($"{LogPrefix} on {this} received descriptor {fd} but is not an IFileDescriptorReceiver; closed it");
                continue;
            }
            try
            {
                receiver.FileDescriptorReceived(fd);
            }
            catch (Exception ex)
            {
                Fail($"{LogPrefix}.FileDescriptorReceived", ex);
            }
        }
    }

    /// <summary>Closes descriptors that never left (the connection closed first).</summary>
    private void DiscardQueuedDescriptors()
    {
        while (_descriptorsOut is { Count: > 0 } queue) LibC.Close(queue.Dequeue());
    }
}
