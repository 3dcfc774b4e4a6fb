namespace Twine.Reactors.Io;

/// <summary>
/// The backend for a loop that watches no descriptors: it only sleeps until a timer is due or another thread wakes it.
/// With the portable socket layer nothing needs readiness (socket completions arrive as calls from other threads), so
/// this is all a reactor needs where there is neither epoll nor poll(2): Windows.
/// </summary>
/// <remarks>
/// No wake-up can be lost: a waking thread queues its work before it sets the event, and the loop resets the event
/// right after its wait and reads its queues only after that. A wake landing before the reset is seen in the queues; one
/// landing after it leaves the event set, so the next wait returns at once.
/// </remarks>
internal sealed class WaitBackend : IPollBackend
{
    private readonly ManualResetEventSlim _wake = new(initialState: false, spinCount: 0);

    /// <inheritdoc />
    public string Name => "wait";

    /// <inheritdoc />
    public void Add(int fd, IoEvents interest, ulong token) =>
        throw new PlatformNotSupportedException(
            $"The 'wait' reactor backend watches no descriptors (asked for {fd}); use the portable socket layer, or epoll/poll on Unix.");

    /// <inheritdoc />
    public void Modify(int fd, IoEvents interest, ulong token) => throw new IOException($"wait backend: descriptor {fd} is not watched.");

    /// <inheritdoc />
    public void Remove(int fd) => throw new IOException($"wait backend: descriptor {fd} is not watched.");

    /// <inheritdoc />
    public int Poll(int timeoutMs, IIoDispatcher dispatcher)
    {
        if (timeoutMs != 0) _wake.Wait(timeoutMs);
        _wake.Reset();
        return 0;
    }

    /// <inheritdoc />
    public void Wake()
    {
        try
        {
            _wake.Set();
        }
        catch (ObjectDisposedException)
        {
            // Waking a reactor that has been disposed has nothing left to wake.
        }
    }

    /// <inheritdoc />
    public void Dispose() => _wake.Dispose();
}
