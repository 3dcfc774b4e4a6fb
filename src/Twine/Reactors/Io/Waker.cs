namespace Twine.Reactors.Io;

/// <summary>
/// Interrupts a backend's wait from another thread. A backend polls <see cref="PollFd"/> for readability and calls
/// <see cref="Drain"/> when it fires.
/// </summary>
/// <remarks>
/// Wake-ups are coalesced: only the first <see cref="Wake"/> after a <see cref="Drain"/> makes a system call, so a
/// producer thread calling <c>CallFromThread</c> in a tight loop pays for one <c>write</c> per reactor iteration, not
/// one per call. Correctness rests on the order in <see cref="Drain"/>: the descriptor is emptied <em>before</em> the
/// pending flag is cleared, so a wake that lands in between finds the flag still set, skips its write, and its work is
/// still seen, because the reactor looks at its queues only after draining. The opposite order could eat that
/// write while the flag stays set, and every later wake would be skipped: a lost wake-up.
/// </remarks>
internal abstract class Waker : IDisposable
{
    private int _pending;

    /// <summary>The descriptor the backend polls for readability.</summary>
    public abstract int PollFd { get; }

    /// <summary>Makes the descriptor readable, unless a wake is already pending. Thread-safe; no-op after dispose.</summary>
    public void Wake()
    {
        // The plain read first keeps a busy producer from bouncing the cache line with an atomic on every call.
        if (Volatile.Read(ref _pending) != 0 || Interlocked.Exchange(ref _pending, 1) != 0) return;
        try
        {
            Signal();
        }
        catch (ObjectDisposedException)
        {
            // Waking a reactor that has been disposed has nothing left to wake.
        }
    }

    /// <summary>Consumes the wake-up (reactor thread, after <see cref="PollFd"/> polled readable).</summary>
    public void Drain()
    {
        Consume();
        // A full fence: the reactor's later reads of its queues must not move before this store.
        Interlocked.Exchange(ref _pending, 0);
    }

    /// <summary>Makes <see cref="PollFd"/> readable.</summary>
    protected abstract void Signal();

    /// <summary>Makes <see cref="PollFd"/> unreadable again.</summary>
    protected abstract void Consume();

    /// <inheritdoc />
    public abstract void Dispose();
}
