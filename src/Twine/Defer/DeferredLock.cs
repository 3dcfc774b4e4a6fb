namespace Twine.Defer;

/// <summary>
/// A lock for code that runs on one thread but waits across callbacks (Twisted's <c>DeferredLock</c>, P1–P3, P5).
/// <see cref="Acquire"/> returns a Deferred that fires with the lock: at once if it is free, otherwise when its
/// turn comes, first come first served. <see cref="Release"/> hands the lock straight to the next waiter.
/// Not thread-safe, as Deferreds are not.
/// </summary>
/// <example>
/// <code>
/// var gate = new DeferredLock();
///
/// // Callback style: Run acquires, calls, and releases once the returned Deferred has fired.
/// gate.Run(() => SaveSettings(settings));
///
/// // await style: the lock is released when the block ends, even by an exception.
/// await using (await gate.LockAsync())
/// {
///     await SaveSettings(settings);
/// }
/// </code>
/// </example>
public sealed class DeferredLock : ConcurrencyPrimitive
{
    private readonly WaiterQueue<DeferredLock> _waiting = new();

    /// <summary>True while someone holds the lock.</summary>
    public bool Locked { get; private set; }

    /// <summary>How many acquires are waiting for the lock.</summary>
    public int WaitingCount => _waiting.Count;

    /// <summary>
    /// Asks for the lock (P1). The Deferred fires with this lock, immediately when it is free. Cancelling a pending
    /// acquire withdraws it and fails it with <see cref="CancelledException"/>; cancelling one that has already
    /// fired does nothing, and the lock stays held (P3).
    /// </summary>
    public Deferred<DeferredLock> Acquire()
    {
        if (Locked) return _waiting.Add();
        Locked = true;
        return Deferred.Succeed(this);
    }

    /// <summary>As <see cref="Acquire"/>, firing with a <see cref="Releaser"/> for <c>await using</c> (P5).</summary>
    public Deferred<Releaser> LockAsync() => Acquire().AddCallback(static l => new Releaser(l));

    /// <summary>
    /// Releases the lock (P1). If anyone is waiting, the oldest waiter gets the lock at once: its Deferred fires
    /// synchronously, inside this call, and <see cref="Locked"/> stays true.
    /// </summary>
    /// <exception cref="InvalidOperationException">The lock is not held.</exception>
    public override void Release()
    {
        if (!Locked) throw new InvalidOperationException("Tried to release an unlocked DeferredLock.");
        if (_waiting.TryTake(out var next)) next.Callback(this);
        else Locked = false;
    }

    private protected override Deferred AcquireForRun() => Acquire();

    /// <inheritdoc />
    public override string ToString() => Locked ? $"<DeferredLock locked, {WaitingCount} waiting>" : "<DeferredLock unlocked>";
}
