namespace Twine.Reactors;

/// <summary>
/// The reactor's call-soon queue (Promise reactions and other "run this on the next turn" work): a growable ring
/// buffer, reactor thread only, drained in phase 2 of each iteration.
/// </summary>
internal sealed class CallSoonQueue
{
    private (Action<object?> Action, object? State)[] _items = new (Action<object?>, object?)[64];
    private int _head;
    private int _count;

    /// <summary>How many calls are waiting.</summary>
    public int Count => _count;

    /// <summary>Appends a call.</summary>
    public void Enqueue(Action<object?> action, object? state)
    {
        if (_count == _items.Length) Grow();
        _items[(_head + _count) & (_items.Length - 1)] = (action, state);
        _count++;
    }

    /// <summary>
    /// Runs queued calls in FIFO order, including calls they queue, until the queue is empty or
    /// <paramref name="max"/> have run: a chain of promise reactions settles within one turn, while an endless
    /// chain still yields to timers and I/O. Exceptions go to <paramref name="onError"/>.
    /// </summary>
    public int Run(int max, Action<Action<object?>, Exception> onError)
    {
        int ran = 0;
        while (_count > 0 && ran < max)
        {
            ref var slot = ref _items[_head];
            var (action, state) = slot;
            slot = default;
            _head = (_head + 1) & (_items.Length - 1);
            _count--;
            ran++;
            try
            {
                action(state);
            }
            catch (Exception ex)
            {
                onError(action, ex);
            }
        }
        if (_count == 0 && _items.Length > 4096)
        {
            // Give back a burst's memory once it has drained.
            _items = new (Action<object?>, object?)[64];
            _head = 0;
        }
        return ran;
    }

    private void Grow()
    {
        var bigger = new (Action<object?>, object?)[_items.Length * 2];
        for (int i = 0; i < _count; i++) bigger[i] = _items[(_head + i) & (_items.Length - 1)];
        _items = bigger;
        _head = 0;
    }
}
