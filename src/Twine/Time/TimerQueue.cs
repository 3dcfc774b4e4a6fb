using Twine.Logging;

namespace Twine.Time;

/// <summary>
/// The pending <see cref="DelayedCall"/>s of one <see cref="IReactorTime"/>: a 4-ary min-heap ordered by
/// (base time, creation sequence), so calls due at the same time run first-in-first-out (RT3 relaxed to FIFO, CL3).
/// </summary>
/// <remarks>
/// <para>Cancellation is lazy: a cancelled call stays in the heap and is skipped when it reaches the top, and the heap
/// is compacted once cancelled entries are more than 50 and more than half of it (RT2 step 4). Moving a call later is
/// lazy too (DC3); only moving it earlier repairs the heap, in O(log n) thanks to the index each call carries.</para>
/// <para>Not thread-safe: everything runs on the owning reactor's thread (or the test's thread for <see cref="Clock"/>).</para>
/// <para>The reactor drives it with <see cref="RunDue"/> (reactor semantics: RT1, RT2, RT4) and <see cref="Timeout"/>
/// (RT5); <see cref="Clock"/> drives it one call at a time with <see cref="RunNext"/> (CL2, CL7).</para>
/// </remarks>
internal sealed class TimerQueue : IDelayedCallOwner
{
    /// <summary>Longest poll timeout <see cref="Timeout"/> returns; fits epoll's <c>int</c> milliseconds (RT5).</summary>
    internal static readonly TimeSpan MaxTimeout = TimeSpan.FromSeconds(2147483);

    private const int CompactionThreshold = 50;
    private const int MinCapacity = 16;

    // Four children per node: half the depth of a binary heap, and siblings share cache lines.
    private const int Arity = 4;
    private const int MaxIdleStagingCapacity = 1024;

    private readonly IReactorTime _time;
    private readonly Action<DelayedCall, Exception>? _onError;
    private readonly List<DelayedCall> _staged = [];
    private Entry[] _heap = new Entry[MinCapacity];
    private int _heapCount;
    private int _runDepth;
    private int _cancelledInHeap;
    private int _pending;
    private long _nextSequence;

    /// <summary>Creates a queue whose calls measure <see cref="IDelayedCall.Reset"/> from <paramref name="time"/> (DC7).</summary>
    /// <param name="time">The time source; only its <see cref="IReactorTime.Now"/> is read.</param>
    /// <param name="onError">
    /// Receives exceptions thrown by calls run through <see cref="RunDue"/>; by default they are logged with
    /// <see cref="Log.Error(string, Exception)"/> (RT4).
    /// </param>
    public TimerQueue(IReactorTime time, Action<DelayedCall, Exception>? onError = null)
    {
        _time = time;
        _onError = onError;
    }

    /// <summary>The number of calls that are neither called nor cancelled.</summary>
    public int Count => _pending;

    /// <inheritdoc />
    public TimeSpan Now => _time.Now;

    /// <summary>Schedules <paramref name="action"/> <paramref name="delay"/> from <see cref="Now"/> (RT1: delay must be &gt;= 0).</summary>
    public DelayedCall Schedule(TimeSpan delay, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Add(DelayedCall.Create(this, DueTicks(delay), _nextSequence++, action));
    }

    /// <summary>Schedules <paramref name="action"/>(<paramref name="state"/>) without allocating a closure.</summary>
    public DelayedCall Schedule<TState>(TimeSpan delay, Action<TState> action, TState state)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Add(DelayedCall.Create(this, DueTicks(delay), _nextSequence++, action, state));
    }

    /// <summary>
    /// Runs up to <paramref name="max"/> calls whose time is <c>&lt;= <paramref name="now"/></c>, in (time, FIFO) order:
    /// the reactor's timed-call phase (RT2 steps 2–3). Calls scheduled while this runs are staged and wait for the next
    /// pass, even with delay 0 (RT1). An exception from a call goes to the error hook and the pass continues (RT4).
    /// </summary>
    /// <returns>How many calls ran (cancelled calls skipped and delayed calls repositioned do not count).</returns>
    public int RunDue(TimeSpan now, int max = int.MaxValue)
    {
        int ran = 0;
        _runDepth++;
        try
        {
            MergeStaged();
            while (ran < max && PopDue(now.Ticks) is { } call)
            {
                ran++;
                try
                {
                    call.Run();
                }
                catch (Exception ex)
                {
                    Report(call, ex);
                    call.ReleaseCallback();
                }
            }
        }
        finally
        {
            // Outside a pass, staged calls belong in the heap so Timeout and the next pass see them.
            if (--_runDepth == 0) MergeStaged();
        }
        return ran;
    }

    /// <summary>
    /// Runs the single earliest call due at <paramref name="now"/>, if any, with <see cref="Clock"/>'s semantics:
    /// calls scheduled by earlier calls are eligible at once (CL2), and an exception propagates to the caller with
    /// the remaining calls left pending (CL7).
    /// </summary>
    /// <returns>True if a call ran (or started running and threw).</returns>
    public bool RunNext(TimeSpan now)
    {
        if (PopDue(now.Ticks) is not { } call) return false;
        call.Run();
        return true;
    }

    /// <summary>The time the earliest pending call is due, or null when none is pending.</summary>
    public TimeSpan? NextDue()
    {
        if (_runDepth == 0) MergeStaged();
        // Settling folds moved-later calls now rather than wake the loop at a stale time only to find nothing due.
        long? earliest = SettledTop()?.BaseTicks;
        // Staged calls exist only mid-pass (a timed call asking); they are pending too.
        foreach (var call in _staged)
        {
            long time = call.Time.Ticks;
            if (!call.Cancelled && (earliest is not { } e || time < e)) earliest = time;
        }
        return earliest is { } t ? new TimeSpan(t) : null;
    }

    /// <summary>
    /// How long the reactor may block waiting for I/O: null when no call is pending, otherwise the time until the
    /// earliest call clamped to [0, <see cref="MaxTimeout"/>], so a call 10,000 years away does not break the poll (RT5).
    /// </summary>
    public TimeSpan? Timeout(TimeSpan now)
    {
        if (NextDue() is not { } due) return null;
        Int128 wait = (Int128)due.Ticks - now.Ticks;
        return new TimeSpan((long)Int128.Clamp(wait, 0, MaxTimeout.Ticks));
    }

    /// <summary>The pending calls, staged or in the heap, ordered by time then creation (RT6, CL6).</summary>
    public IReadOnlyList<IDelayedCall> GetDelayedCalls()
    {
        var calls = new List<DelayedCall>(_pending);
        for (int i = 0; i < _heapCount; i++)
            if (!_heap[i].Call.Cancelled) calls.Add(_heap[i].Call);
        foreach (var call in _staged)
            if (!call.Cancelled) calls.Add(call);
        calls.Sort(static (a, b) =>
        {
            int byTime = a.Time.CompareTo(b.Time);
            return byTime != 0 ? byTime : a.Sequence.CompareTo(b.Sequence);
        });
        return calls.ToArray();
    }

    void IDelayedCallOwner.OnCancelled(DelayedCall call)
    {
        _pending--;
        // Staged calls are simply skipped when the staging list is merged.
        if (call.HeapIndex < 0) return;
        _cancelledInHeap++;
        if (_cancelledInHeap > CompactionThreshold && _cancelledInHeap > _heapCount >> 1) Compact();
    }

    void IDelayedCallOwner.OnMovedEarlier(DelayedCall call)
    {
        // A staged call is pushed with its new time when merged; only heap entries need repair.
        if (call.HeapIndex >= 0)
        {
            _heap[call.HeapIndex].Ticks = call.BaseTicks;
            SiftUp(call.HeapIndex);
        }
    }

    private long DueTicks(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return DelayedCall.AddTicks(_time.Now.Ticks, delay.Ticks);
    }

    private DelayedCall Add(DelayedCall call)
    {
        _pending++;
        if (_runDepth > 0)
        {
            call.HeapIndex = DelayedCall.Staged;
            _staged.Add(call);
        }
        else
        {
            Push(call);
        }
        return call;
    }

    /// <summary>Pops the earliest live call if it is due at <paramref name="nowTicks"/>.</summary>
    private DelayedCall? PopDue(long nowTicks)
    {
        if (SettledTop() is not { } top || _heap[0].Ticks > nowTicks) return null;
        RemoveTop();
        _pending--;
        return top;
    }

    /// <summary>
    /// Drops cancelled entries (lazy cancellation) and folds the offset of calls moved later since they were queued
    /// (DC3, letting them sink to their real place) until the top is a live call at its real time; null when empty.
    /// </summary>
    private DelayedCall? SettledTop()
    {
        while (_heapCount > 0)
        {
            var top = _heap[0].Call;
            if (top.Cancelled)
            {
                RemoveTop();
                _cancelledInHeap--;
            }
            else if (top.DelayedTicks > 0)
            {
                FoldTop(top);
            }
            else
            {
                return top;
            }
        }
        return null;
    }

    private void MergeStaged()
    {
        if (_staged.Count == 0) return;
        foreach (var call in _staged)
        {
            if (call.Cancelled) call.HeapIndex = DelayedCall.NotQueued;
            else Push(call);
        }
        _staged.Clear();
        // A burst scheduled from inside one timed call should not pin its staging array forever.
        if (_staged.Capacity > MaxIdleStagingCapacity) _staged.Capacity = MaxIdleStagingCapacity;
    }

    private void Report(DelayedCall call, Exception ex)
    {
        if (_onError is not null) _onError(call, ex);
        else Log.Error(LogEventId.DelayedCallFailed, typeof(IDelayedCall), $"Unhandled error in delayed call {call}", ex);
    }

    private void Compact()
    {
        int kept = 0;
        for (int i = 0; i < _heapCount; i++)
        {
            var entry = _heap[i];
            if (entry.Call.Cancelled)
            {
                entry.Call.HeapIndex = DelayedCall.NotQueued;
            }
            else
            {
                _heap[kept] = entry;
                entry.Call.HeapIndex = kept++;
            }
        }
        Array.Clear(_heap, kept, _heapCount - kept);
        _heapCount = kept;
        _cancelledInHeap = 0;
        // (count - 2) / Arity truncates to 0 for an empty heap: guard it, or SiftDown(0) reads a cleared slot.
        if (_heapCount > 1)
            for (int i = (_heapCount - 2) / Arity; i >= 0; i--) SiftDown(i);
        ShrinkIfSparse();
    }

    private void FoldTop(DelayedCall top)
    {
        top.FoldDelay();
        _heap[0].Ticks = top.BaseTicks;
        SiftDown(0);
    }

    private void Push(DelayedCall call)
    {
        if (_heapCount == _heap.Length) Array.Resize(ref _heap, _heap.Length * 2);
        _heap[_heapCount] = new Entry(call.BaseTicks, call.Sequence, call);
        call.HeapIndex = _heapCount;
        SiftUp(_heapCount++);
    }

    private void RemoveTop()
    {
        _heap[0].Call.HeapIndex = DelayedCall.NotQueued;
        int last = --_heapCount;
        if (last > 0)
        {
            _heap[0] = _heap[last];
            _heap[0].Call.HeapIndex = 0;
            _heap[last] = default;
            SiftDown(0);
        }
        else
        {
            _heap[0] = default;
        }
        ShrinkIfSparse();
    }

    private void ShrinkIfSparse()
    {
        // Give back the memory of a burst (say a million timeouts) once it has drained; halving at a quarter full
        // keeps resizes amortised O(1).
        if (_heap.Length > MinCapacity && _heapCount < _heap.Length >> 2)
            Array.Resize(ref _heap, Math.Max(MinCapacity, _heap.Length >> 1));
    }

    private void SiftUp(int index)
    {
        var entry = _heap[index];
        while (index > 0)
        {
            int parent = (index - 1) / Arity;
            if (!entry.Before(_heap[parent])) break;
            _heap[index] = _heap[parent];
            _heap[index].Call.HeapIndex = index;
            index = parent;
        }
        _heap[index] = entry;
        entry.Call.HeapIndex = index;
    }

    private void SiftDown(int index)
    {
        var entry = _heap[index];
        int count = _heapCount;
        while (true)
        {
            int first = index * Arity + 1;
            if (first >= count) break;
            int best = first;
            int end = Math.Min(first + Arity, count);
            for (int child = first + 1; child < end; child++)
                if (_heap[child].Before(_heap[best])) best = child;
            if (!_heap[best].Before(entry)) break;
            _heap[index] = _heap[best];
            _heap[index].Call.HeapIndex = index;
            index = best;
        }
        _heap[index] = entry;
        entry.Call.HeapIndex = index;
    }

    /// <summary>
    /// A heap slot. The sort key is copied out of the call so that sifting compares contiguous memory instead of
    /// chasing a pointer per comparison, which dominates the cost once a million timers no longer fit in cache.
    /// </summary>
    private struct Entry(long ticks, long sequence, DelayedCall call)
    {
        public long Ticks = ticks;
        public readonly long Sequence = sequence;
        public readonly DelayedCall Call = call;

        public readonly bool Before(in Entry other) =>
            Ticks < other.Ticks || (Ticks == other.Ticks && Sequence < other.Sequence);
    }
}
