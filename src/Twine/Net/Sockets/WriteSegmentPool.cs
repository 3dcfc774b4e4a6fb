using Twine.Reactors.Io;
namespace Twine.Net.Sockets;

/// <summary>
/// The reactor's reusable write chunks: small writes are copied into these, so a connection that writes a few bytes
/// at a time allocates nothing in the steady state. One per loop, used on its thread only.
/// </summary>
/// <remarks>
/// Every connection that writes during a loop iteration holds a chunk until the flush phase sends it, so the number
/// of chunks in use at once follows the number of busy connections. The pool therefore keeps as many chunks as were
/// in use at once recently (at least <see cref="MinPooled"/>, at most <see cref="MaxPooled"/>). A fixed small cap
/// made every write beyond it allocate a fresh pinned array, which only full collections free: with 1,000 busy echo
/// connections that was 16 KB of garbage per round trip. "Recently" is the current and the previous window of
/// <see cref="Window"/> returns, so after a burst the pool shrinks back once traffic has been lighter for a while.
/// </remarks>
internal sealed class WriteSegmentPool
{
    /// <summary>The size of a pooled chunk; a write at least this large gets an array of its own instead.</summary>
    public const int ChunkSize = 16 * 1024;

    /// <summary>Chunks always worth keeping (1 MiB).</summary>
    public const int MinPooled = 64;

    /// <summary>Chunks kept at most (64 MiB), however many were once in use.</summary>
    public const int MaxPooled = 4096;

    /// <summary>Returns per window over which the peak use is measured.</summary>
    public const int Window = 16 * 1024;

    private readonly Stack<WriteSegment> _free = new();
    private int _outstanding;
    private int _peak;              // most chunks in use at once in this window
    private int _previousPeak;      // ... and in the one before
    private int _returns;

    /// <summary>How many chunks wait for reuse (tests).</summary>
    public int Count => _free.Count;

    /// <summary>A chunk, reused if one is free.</summary>
    public WriteSegment Rent()
    {
        if (++_outstanding > _peak) _peak = _outstanding;
        return _free.TryPop(out var segment) ? segment : new WriteSegment(ChunkSize, pooled: true);
    }

    /// <summary>Takes a segment back: a pooled chunk is kept (see the remarks), a large write's array is left to the GC.</summary>
    public void Return(WriteSegment segment)
    {
        if (!segment.Pooled) return;
        _outstanding--;
        int keep = Keep;
        if (++_returns >= Window) EndWindow();
        if (_free.Count >= keep) return;
        segment.Reset();
        _free.Push(segment);
    }

    private int Keep => Math.Clamp(Math.Max(_peak, _previousPeak), MinPooled, MaxPooled);

    private void EndWindow()
    {
        _returns = 0;
        _previousPeak = _peak;
        _peak = _outstanding;
        int keep = Keep;
        while (_free.Count > keep) _free.Pop();
    }
}
