using Microsoft.Win32.SafeHandles;
using Twine.Net.Native;

namespace Twine.Net.Sockets;

/// <summary>
/// A transport's outgoing bytes: a linked list of pinned segments, gathered into one <c>sendmsg</c> per flush.
/// </summary>
/// <remarks>
/// <para>Small writes are packed into shared 16 KiB chunks from the reactor's <see cref="WriteSegmentPool"/>; a write
/// of a chunk or more gets a pinned array of exactly its size. Either way each byte is copied once (the caller's span
/// is only valid during the call), and never again: sending advances a segment's start instead of moving data.</para>
/// <para>A segment can also be a file region (<see cref="AppendFile"/>): it keeps its place in the order, costs no
/// memory for its bytes, and is sent with <c>sendfile</c> when it reaches the head.</para>
/// </remarks>
internal sealed unsafe class WriteBuffer
{
    private readonly WriteSegmentPool _pool;
    private WriteSegment? _head;
    private WriteSegment? _tail;

    public WriteBuffer(WriteSegmentPool pool) => _pool = pool;

    /// <summary>Bytes waiting to be sent (file regions included).</summary>
    public long Count { get; private set; }

    /// <summary>The part of <see cref="Count"/> that is in file regions, not in memory.</summary>
    public long FileBytes { get; private set; }

    /// <summary>Segments in the list (tests).</summary>
    public int SegmentCount
    {
        get
        {
            int n = 0;
            for (var s = _head; s is not null; s = s.Next) n++;
            return n;
        }
    }

    /// <summary>Copies <paramref name="data"/> to the end of the buffer.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        Count += data.Length;
        if (data.Length >= WriteSegmentPool.ChunkSize)
        {
            // A large write: its own array, so it is copied once and sent straight from there.
            var own = new WriteSegment(data.Length, pooled: false);
            own.Append(data);
            Link(own);
            return;
        }
        if (_tail is { Pooled: true } tail)
        {
            data = data[tail.Append(data)..];
            if (data.IsEmpty) return;
        }
        var chunk = _pool.Rent();
        chunk.Append(data);
        Link(chunk);
    }

    /// <summary>Queues <paramref name="count"/> bytes of <paramref name="file"/> from <paramref name="offset"/>; the buffer owns the handle.</summary>
    public void AppendFile(SafeFileHandle file, long offset, long count)
    {
        Count += count;
        FileBytes += count;
        Link(new WriteSegment(file, offset, count));
    }

    /// <summary>The file region to send next, when one is at the head of what is waiting; else null.</summary>
    public WriteSegment? HeadFile
    {
        get
        {
            var s = _head;
            while (s is { File: null, Length: 0 }) s = s.Next;
            return s is { File: not null } ? s : null;
        }
    }

    /// <summary>
    /// Points up to <paramref name="max"/> iovecs at the waiting bytes, in order; returns how many were filled and, in
    /// <paramref name="total"/>, how many bytes they cover. <paramref name="fileFollows"/> says the gathered bytes are
    /// followed by a file region.
    /// </summary>
    public int Gather(SocketNative.IoVec* iov, int max, out long total, out bool fileFollows)
    {
        int count = 0;
        total = 0;
        fileFollows = false;
        for (var s = _head; s is not null && count < max; s = s.Next)
        {
            if (s.File is not null)
            {
                fileFollows = true;             // bytes behind a file region wait for it: order is kept
                break;
            }
            if (s.Length == 0) continue;
            iov[count].Base = s.Pointer + s.Start;
            iov[count].Length = (nuint)s.Length;
            total += s.Length;
            count++;
        }
        return count;
    }

    /// <summary>
    /// Adds up to <paramref name="max"/> array segments covering the waiting bytes, in order, to <paramref name="into"/>;
    /// returns how many bytes they cover. For sends that complete later (the portable layer): appends while such a send
    /// is in flight only touch bytes after the gathered ones, so the gathered ranges stay valid.
    /// </summary>
    public long Gather(List<ArraySegment<byte>> into, int max)
    {
        long total = 0;
        for (var s = _head; s is not null && into.Count < max; s = s.Next)
        {
            if (s.Length == 0) continue;
            into.Add(s.Pending);
            total += s.Length;
        }
        return total;
    }

    /// <summary>
    /// Forgets everything without returning chunks to the pool: after a close with a send still in flight, the
    /// operating system may read those arrays a moment longer, so they must not be handed to another connection.
    /// </summary>
    public void Abandon()
    {
        _head = _tail = null;
        Count = 0;
    }

    /// <summary>Drops the first <paramref name="sent"/> bytes (they were sent), releasing emptied segments.</summary>
    public void Consume(long sent)
    {
        Count -= sent;
        while (sent > 0 && _head is { } head)
        {
            if (head.File is not null)
            {
                long m = Math.Min(sent, head.FileCount);
                head.FileOffset += m;
                head.FileCount -= m;
                FileBytes -= m;
                sent -= m;
                if (head.FileCount == 0) Release(head);
                continue;
            }
            int n = (int)Math.Min(sent, head.Length);
            head.Start += n;
            sent -= n;
            // An emptied chunk goes back to the pool at once: an idle connection holds no buffer memory.
            if (head.Length == 0) Release(head);
        }
    }

    /// <summary>Discards everything (the connection closed) and returns the chunks to the pool.</summary>
    public void Clear()
    {
        while (_head is { } head) Release(head);
        Count = 0;
        FileBytes = 0;
    }

    private void Link(WriteSegment segment)
    {
        if (_tail is null) _head = segment;
        else _tail.Next = segment;
        _tail = segment;
    }

    private void Release(WriteSegment head)
    {
        _head = head.Next;
        if (_head is null) _tail = null;
        head.File?.Dispose();
        _pool.Return(head);
    }
}
