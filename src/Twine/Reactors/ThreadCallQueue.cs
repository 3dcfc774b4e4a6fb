namespace Twine.Reactors;

/// <summary>
/// The calls other threads hand to the reactor (<see cref="Reactor.CallFromThread(Action)"/>): a lock-free
/// multi-producer single-consumer queue, Dmitry Vyukov's intrusive linked-list design.
/// </summary>
/// <remarks>
/// <para>A producer swaps itself in as the tail with one atomic exchange, then links the old tail to it: wait-free,
/// no lock, no retry loop, so a reactor thread that is descheduled never blocks a producer and vice versa. Between
/// those two steps the list is momentarily broken; the consumer then sees "empty" and stops early, which is safe
/// because the producer wakes the reactor after linking.</para>
/// <para>The consumer bounds a drain by the tail it saw when it started (<see cref="RunBatch"/>): calls queued by the
/// calls being run wait for the next iteration, as in Twisted, so one thread call re-queueing itself cannot starve
/// timers and I/O (TH1).</para>
/// </remarks>
internal sealed class ThreadCallQueue
{
    private ThreadCall _head;   // consumer-owned: a sentinel whose successor is the oldest call
    private ThreadCall _tail;   // producers swap themselves in here

    public ThreadCallQueue()
    {
        _head = _tail = new SentinelCall();
    }

    /// <summary>True when nothing is queued, or a producer is still linking its call (consumer thread only).</summary>
    public bool IsEmpty => Volatile.Read(ref _tail) == _head;

    /// <summary>Appends a call. Any thread.</summary>
    public void Enqueue(ThreadCall call)
    {
        // Exchange is a full fence: the call's fields are published before it becomes reachable.
        var previous = Interlocked.Exchange(ref _tail, call);
        Volatile.Write(ref previous.Next, call);
    }

    /// <summary>
    /// Runs, in FIFO order, at most <paramref name="max"/> of the calls queued when it started. An exception is passed
    /// to <paramref name="onError"/> and the batch continues (RT4). Consumer thread only.
    /// </summary>
    /// <returns>How many calls ran.</returns>
    public int RunBatch(int max, Action<ThreadCall, Exception> onError)
    {
        var last = Volatile.Read(ref _tail);
        if (last == _head) return 0;
        int ran = 0;
        while (ran < max)
        {
            var next = Volatile.Read(ref _head.Next);
            if (next is null) break;   // empty, or a producer between its two steps
            _head = next;              // `next` becomes the sentinel once its work is taken
            ran++;
            try
            {
                next.Invoke();
            }
            catch (Exception ex)
            {
                onError(next, ex);
            }
            finally
            {
                // The sentinel stays reachable from the queue; drop what the call captured.
                next.Clear();
            }
            if (next == last) break;
        }
        return ran;
    }

    /// <summary>Drops every queued call without running it (reactor disposal).</summary>
    public void Clear()
    {
        while (Volatile.Read(ref _head.Next) is { } next)
        {
            _head = next;
            next.Clear();
        }
    }

    private sealed class SentinelCall : ThreadCall
    {
        public override void Invoke() { }
        public override void Clear() { }
        public override string Describe() => "(sentinel)";
    }
}

/// <summary>One call queued with <see cref="ThreadCallQueue"/>: the node and its work in one allocation.</summary>
internal abstract class ThreadCall
{
    /// <summary>The next call in the queue; written by the producer that follows this one.</summary>
    internal ThreadCall? Next;

    /// <summary>Runs the call.</summary>
    public abstract void Invoke();

    /// <summary>Drops the delegate and state once the call has run.</summary>
    public abstract void Clear();

    /// <summary>Names the call for the log.</summary>
    public abstract string Describe();

    /// <summary>Names a delegate's method for the log.</summary>
    protected static string Name(Delegate? d) => d is null ? "(ran)" : $"{d.Method.DeclaringType?.Name}.{d.Method.Name}";

    /// <summary>A call to an <see cref="Action"/>.</summary>
    internal sealed class OfAction(Action action) : ThreadCall
    {
        private Action? _action = action;
        public override void Invoke() => _action!();
        public override void Clear() => _action = null;
        public override string Describe() => Name(_action);
    }

    /// <summary>A call to an <see cref="Action{T}"/> with its state, without a closure or boxing.</summary>
    internal sealed class OfState<TState>(Action<TState> action, TState state) : ThreadCall
    {
        private Action<TState>? _action = action;
        private TState _state = state;
        public override void Invoke() => _action!(_state);
        public override void Clear()
        {
            _action = null;
            _state = default!;
        }
        public override string Describe() => Name(_action);
    }

    /// <summary>A <see cref="SynchronizationContext.Post"/> callback.</summary>
    internal sealed class OfPost(SendOrPostCallback callback, object? state) : ThreadCall
    {
        private SendOrPostCallback? _callback = callback;
        private object? _state = state;
        public override void Invoke() => _callback!(_state);
        public override void Clear()
        {
            _callback = null;
            _state = null;
        }
        public override string Describe() => Name(_callback);
    }
}
