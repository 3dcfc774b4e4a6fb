namespace Twine.Time;

/// <summary>
/// What a <see cref="DelayedCall"/> reports to whoever keeps it in order: the time source it resets against (DC7) and
/// the changes that the owner's queue must react to.
/// </summary>
internal interface IDelayedCallOwner
{
    /// <summary>The owner's current time; <see cref="DelayedCall.Reset"/> measures from it (DC3, DC7).</summary>
    TimeSpan Now { get; }

    /// <summary>The call was cancelled; it is already marked and its callback dropped.</summary>
    void OnCancelled(DelayedCall call);

    /// <summary>The call's base time moved earlier, so its position in the queue is stale (DC3, DC4).</summary>
    void OnMovedEarlier(DelayedCall call);
}

/// <summary>
/// A scheduled call (DC1–DC5). Time is split Twisted-style into a base time, which is the queue's sort key, and a
/// delayed offset: moving a call later only grows the offset, and the queue folds it in when the call reaches the
/// top, so a busy idle-timeout that is reset on every read costs O(1) instead of a heap repair.
/// </summary>
/// <remarks>
/// The callback lives in a subclass so that the state-passing overload stores a typed <c>Action&lt;TState&gt;</c>
/// and <c>TState</c> with neither a closure nor boxing.
/// </remarks>
internal abstract class DelayedCall : IDelayedCall
{
    /// <summary><see cref="HeapIndex"/> of a call that is in no queue (run, cancelled and dropped, or never queued).</summary>
    internal const int NotQueued = -2;

    /// <summary><see cref="HeapIndex"/> of a call waiting on the owner's staging list (RT1).</summary>
    internal const int Staged = -1;

    private readonly IDelayedCallOwner _owner;

    private protected DelayedCall(IDelayedCallOwner owner, long timeTicks, long sequence)
    {
        _owner = owner;
        BaseTicks = timeTicks;
        Sequence = sequence;
    }

    /// <summary>The base time in ticks: the queue's sort key (DC5).</summary>
    internal long BaseTicks { get; private set; }

    /// <summary>How far the call was moved later without repositioning it; never negative (DC3, DC4).</summary>
    internal long DelayedTicks { get; private set; }

    /// <summary>Creation order, which breaks ties between equal base times so that equal-time calls run FIFO.</summary>
    internal long Sequence { get; }

    /// <summary>Position in the owner's heap, or <see cref="Staged"/> / <see cref="NotQueued"/>. Owned by the queue.</summary>
    internal int HeapIndex { get; set; } = NotQueued;

    /// <inheritdoc />
    public TimeSpan Time => new(AddTicks(BaseTicks, DelayedTicks));

    /// <inheritdoc />
    public bool IsActive => !(Called || Cancelled);

    /// <inheritdoc />
    public bool Called { get; private set; }

    /// <inheritdoc />
    public bool Cancelled { get; private set; }

    /// <summary>Creates a call to <paramref name="action"/> due at <paramref name="timeTicks"/>.</summary>
    internal static DelayedCall Create(IDelayedCallOwner owner, long timeTicks, long sequence, Action action) =>
        new ActionCall(owner, timeTicks, sequence, action);

    /// <summary>Creates a call to <paramref name="action"/>(<paramref name="state"/>) due at <paramref name="timeTicks"/>.</summary>
    internal static DelayedCall Create<TState>(
        IDelayedCallOwner owner, long timeTicks, long sequence, Action<TState> action, TState state) =>
        new StateCall<TState>(owner, timeTicks, sequence, action, state);

    /// <inheritdoc />
    public void Cancel()
    {
        ThrowIfInactive();
        Cancelled = true;
        // Dropping the callback releases whatever it captured even while the queue still holds the entry lazily.
        DropCallback();
        _owner.OnCancelled(this);
    }

    /// <inheritdoc />
    public void Reset(TimeSpan delay)
    {
        ThrowIfInactive();
        long newTime = AddTicks(_owner.Now.Ticks, delay.Ticks);
        if (newTime < BaseTicks)
        {
            // Earlier than the sort key: the queue must reposition the call now or it would fire late.
            BaseTicks = newTime;
            DelayedTicks = 0;
            _owner.OnMovedEarlier(this);
        }
        else
        {
            DelayedTicks = newTime - BaseTicks;
        }
    }

    /// <inheritdoc />
    public void Delay(TimeSpan delay)
    {
        ThrowIfInactive();
        DelayedTicks = AddTicks(DelayedTicks, delay.Ticks);
        if (DelayedTicks < 0)
        {
            FoldDelay();
            _owner.OnMovedEarlier(this);
        }
    }

    /// <summary>Moves the delayed offset into the base time (the queue does this before repositioning the call).</summary>
    internal void FoldDelay()
    {
        BaseTicks = AddTicks(BaseTicks, DelayedTicks);
        DelayedTicks = 0;
    }

    /// <summary>
    /// Marks the call as called and runs it. <see cref="Called"/> is set first so that the callback cancelling or
    /// resetting its own call gets <see cref="AlreadyCalledCallException"/> (DC2). Exceptions propagate.
    /// </summary>
    internal void Run()
    {
        Called = true;
        Invoke();
        // Released only on success: after a throw the queue still wants the callback's name for the log entry,
        // and calls ReleaseCallback itself.
        DropCallback();
    }

    /// <summary>Drops the callback and its state (after a failed <see cref="Run"/> has been reported).</summary>
    internal void ReleaseCallback() => DropCallback();

    /// <summary>DC5: ordering compares the base time only; the delayed offset is ignored.</summary>
    public static bool operator <(DelayedCall left, DelayedCall right) => left.BaseTicks < right.BaseTicks;

    /// <summary>DC5: ordering compares the base time only; the delayed offset is ignored.</summary>
    public static bool operator >(DelayedCall left, DelayedCall right) => left.BaseTicks > right.BaseTicks;

    /// <summary>DC5: ordering compares the base time only; the delayed offset is ignored.</summary>
    public static bool operator <=(DelayedCall left, DelayedCall right) => left.BaseTicks <= right.BaseTicks;

    /// <summary>DC5: ordering compares the base time only; the delayed offset is ignored.</summary>
    public static bool operator >=(DelayedCall left, DelayedCall right) => left.BaseTicks >= right.BaseTicks;

    /// <summary>Describes the call for logs, in the spirit of Twisted's repr (DC6).</summary>
    public override string ToString() =>
        $"<DelayedCall [{Time.TotalSeconds:0.######}s] called={(Called ? 1 : 0)} cancelled={(Cancelled ? 1 : 0)} {CallbackName}>";

    /// <summary>Adds tick counts, saturating instead of wrapping, so absurd delays mean "never" rather than "the past" (RT5).</summary>
    internal static long AddTicks(long a, long b)
    {
        long sum = unchecked(a + b);
        // Overflow happened iff both operands share a sign that the sum does not.
        if (((a ^ sum) & (b ^ sum)) < 0)
            return a < 0 ? long.MinValue : long.MaxValue;
        return sum;
    }

    private protected abstract string CallbackName { get; }

    private protected abstract void Invoke();

    private protected abstract void DropCallback();

    private void ThrowIfInactive()
    {
        if (Cancelled) throw new AlreadyCancelledException();
        if (Called) throw new AlreadyCalledCallException();
    }

    private static string Describe(Delegate? d) =>
        d is null ? "(dropped)" : $"{d.Method.DeclaringType?.Name}.{d.Method.Name}";

    private sealed class ActionCall(IDelayedCallOwner owner, long timeTicks, long sequence, Action action)
        : DelayedCall(owner, timeTicks, sequence)
    {
        private Action? _action = action;

        private protected override string CallbackName => Describe(_action);

        private protected override void Invoke() => _action!();

        private protected override void DropCallback() => _action = null;
    }

    private sealed class StateCall<TState>(
        IDelayedCallOwner owner, long timeTicks, long sequence, Action<TState> action, TState state)
        : DelayedCall(owner, timeTicks, sequence)
    {
        private Action<TState>? _action = action;
        private TState _state = state;

        private protected override string CallbackName => Describe(_action);

        private protected override void Invoke() => _action!(_state);

        private protected override void DropCallback()
        {
            _action = null;
            _state = default!;
        }
    }
}
