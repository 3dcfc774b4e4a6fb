namespace Twine.Defer;

/// <summary>
/// A queue whose <see cref="Get"/> returns a Deferred: it fires with the next item, at once if one is pending,
/// otherwise when someone <see cref="Put"/>s one (Twisted's <c>DeferredQueue</c>, P6–P7). Items go to waiting
/// getters in the order they asked. Optional bounds make an overfull queue fail loudly and synchronously. Not
/// thread-safe.
/// </summary>
/// <example>
/// <code>
/// var lines = new DeferredQueue&lt;string&gt;(size: 100);
///
/// async Deferred Consume()
/// {
///     while (true) Console.WriteLine(await lines.Get());
/// }
///
/// lines.Put("hello");   // Consume prints it synchronously, inside Put
/// </code>
/// </example>
public sealed class DeferredQueue<T>
{
    private readonly Queue<T> _pending = new();
    private readonly WaiterQueue<T> _waiting = new();

    /// <summary>Creates a queue; null bounds mean unbounded, and 0 makes <see cref="Put"/> or <see cref="Get"/> always fail unless matched at once (P6).</summary>
    /// <param name="size">The most items that may be pending with nobody waiting for them.</param>
    /// <param name="backlog">The most <see cref="Get"/> calls that may be waiting with no item to give them.</param>
    /// <exception cref="ArgumentOutOfRangeException">A bound is negative.</exception>
    public DeferredQueue(int? size = null, int? backlog = null)
    {
        if (size is { } s) ArgumentOutOfRangeException.ThrowIfNegative(s, nameof(size));
        if (backlog is { } b) ArgumentOutOfRangeException.ThrowIfNegative(b, nameof(backlog));
        Size = size;
        Backlog = backlog;
    }

    /// <summary>The most items that may be pending, or null for no limit.</summary>
    public int? Size { get; }

    /// <summary>The most gets that may be waiting, or null for no limit.</summary>
    public int? Backlog { get; }

    /// <summary>Items put and not yet taken.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>Gets waiting for an item.</summary>
    public int WaitingCount => _waiting.Count;

    /// <summary>
    /// Hands <paramref name="item"/> to the oldest waiting get, whose Deferred fires synchronously inside this call,
    /// or keeps it pending when nobody waits (P6).
    /// </summary>
    /// <exception cref="QueueOverflowException">Nobody waits and <see cref="Size"/> items are already pending; the item is not added.</exception>
    public void Put(T item)
    {
        if (_waiting.TryTake(out var getter)) getter.Callback(item);
        else if (Size is not { } size || _pending.Count < size) _pending.Enqueue(item);
        else throw new QueueOverflowException(size);
    }

    /// <summary>
    /// The next item: an already-fired Deferred if one is pending, otherwise a Deferred that fires when one is put
    /// (P6). Cancelling a waiting get withdraws it, so the next item goes to the next getter or stays pending (P7).
    /// </summary>
    /// <exception cref="QueueUnderflowException">Nothing is pending and <see cref="Backlog"/> gets are already waiting.</exception>
    public Deferred<T> Get()
    {
        if (_pending.TryDequeue(out var item)) return Deferred.Succeed(item);
        if (Backlog is not { } backlog || _waiting.Count < backlog) return _waiting.Add();
        throw new QueueUnderflowException(backlog);
    }

    /// <inheritdoc />
    public override string ToString() => $"<DeferredQueue {PendingCount} pending, {WaitingCount} waiting>";
}
