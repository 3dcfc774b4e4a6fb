using System.Diagnostics.CodeAnalysis;

namespace Twine.Defer;

/// <summary>
/// The FIFO of unfired Deferreds behind <see cref="DeferredLock"/>, <see cref="DeferredSemaphore"/> and
/// <see cref="DeferredQueue{T}"/>. Each waiter's canceller unlinks it, so cancelling a pending acquire or get
/// takes it out of the line at once (P3, P7) and a later release or put goes to the next one.
/// </summary>
internal sealed class WaiterQueue<T>
{
    // A linked list, because cancellation removes from the middle; the node is captured by the canceller.
    private readonly LinkedList<Deferred<T>> _waiters = new();

    public int Count => _waiters.Count;

    /// <summary>A new unfired Deferred at the back of the line.</summary>
    public Deferred<T> Add()
    {
        LinkedListNode<Deferred<T>>? node = null;
        var waiter = new Deferred<T>(_ =>
        {
            // Only unfired waiters can reach their canceller, and TryTake unlinks before firing, so the node is
            // still linked here; the check keeps a misuse from corrupting the list.
            if (node!.List is not null) _waiters.Remove(node);
        });
        node = _waiters.AddLast(waiter);
        return waiter;
    }

    /// <summary>Unlinks the oldest waiter; the caller fires it.</summary>
    public bool TryTake([MaybeNullWhen(false)] out Deferred<T> waiter)
    {
        var first = _waiters.First;
        if (first is null)
        {
            waiter = null;
            return false;
        }
        _waiters.RemoveFirst();
        waiter = first.Value;
        return true;
    }
}
