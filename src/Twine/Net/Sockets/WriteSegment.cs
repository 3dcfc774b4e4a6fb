using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Twine.Net.Sockets;

/// <summary>
/// One piece of a <see cref="WriteBuffer"/>: a pinned array (so <c>sendmsg</c> can point at it without a
/// <c>fixed</c> per piece) and the range of it still to be sent.
/// </summary>
internal sealed unsafe class WriteSegment
{
    private readonly byte[] _array;

    /// <summary>Allocates a pinned segment of <paramref name="capacity"/> bytes.</summary>
    public WriteSegment(int capacity, bool pooled)
    {
        // The pinned object heap: the array never moves, so its address stays valid for as long as we hold it.
        _array = GC.AllocateUninitializedArray<byte>(capacity, pinned: true);
        Pointer = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_array));
        Pooled = pooled;
    }

    /// <summary>A region of a file to send with <c>sendfile</c> instead of bytes (see <see cref="File"/>).</summary>
    public WriteSegment(SafeFileHandle file, long offset, long count)
    {
        _array = [];
        File = file;
        FileOffset = offset;
        FileCount = count;
    }

    /// <summary>For a file region: the open file (owned: disposed when the region is sent or dropped); else null.</summary>
    public SafeFileHandle? File { get; }

    /// <summary>For a file region: the next byte of the file to send.</summary>
    public long FileOffset;

    /// <summary>For a file region: the bytes still to send.</summary>
    public long FileCount;

    /// <summary>The first byte of the array.</summary>
    public byte* Pointer { get; }

    /// <summary>The array's length.</summary>
    public int Capacity => _array.Length;

    /// <summary>True for the reusable chunks of a <see cref="WriteSegmentPool"/>; false for a large write's own array.</summary>
    public bool Pooled { get; }

    /// <summary>The first byte not sent yet.</summary>
    public int Start;

    /// <summary>One past the last byte written.</summary>
    public int End;

    /// <summary>The next segment in the buffer.</summary>
    public WriteSegment? Next;

    /// <summary>Bytes waiting to be sent.</summary>
    public int Length => End - Start;

    /// <summary>Room left at the end.</summary>
    public int Free => _array.Length - End;

    /// <summary>Copies as much of <paramref name="data"/> as fits; returns how much that was.</summary>
    public int Append(ReadOnlySpan<byte> data)
    {
        int n = Math.Min(data.Length, Free);
        data[..n].CopyTo(_array.AsSpan(End));
        End += n;
        return n;
    }

    /// <summary>The bytes still to be sent, as an array segment (the portable layer's asynchronous sends take these).</summary>
    public ArraySegment<byte> Pending => new(_array, Start, End - Start);

    /// <summary>Empties the segment for reuse.</summary>
    public void Reset()
    {
        Start = End = 0;
        Next = null;
    }
}
