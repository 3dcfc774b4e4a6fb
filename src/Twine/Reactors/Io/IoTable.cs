using Twine.Logging;

namespace Twine.Reactors.Io;

/// <summary>
/// The reactor's registered descriptors, indexed by descriptor number (as libuv's watcher array), in front of an
/// <see cref="IPollBackend"/>. Owns the rules every backend shares: the token scheme, dropping stale and filtered
/// events, folding errors into the handler's interest, and logging a handler that throws. Reactor thread only.
/// </summary>
internal sealed class IoTable : IIoDispatcher
{
    private readonly IPollBackend _backend;
    private IoRegistration?[] _byFd = new IoRegistration?[64];
    private uint _nextGeneration;
    private int _count;

    public IoTable(IPollBackend backend) => _backend = backend;

    /// <summary>How many descriptors are registered.</summary>
    public int Count => _count;

    /// <summary>Registers <paramref name="fd"/>; throws if it is already registered or the backend refuses it (EPERM for regular files under epoll).</summary>
    public IoRegistration Register(int fd, IoEvents interest, IIoHandler handler)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fd);
        ArgumentNullException.ThrowIfNull(handler);
        CheckInterest(interest);
        if (fd < _byFd.Length && _byFd[fd] is { } existing)
            throw new InvalidOperationException($"Descriptor {fd} is already registered ({existing}).");
        var registration = new IoRegistration(this, fd, handler, ++_nextGeneration) { CurrentInterest = interest };
        if (interest != IoEvents.None)
        {
            _backend.Add(fd, interest, registration.Token);
            registration.InBackend = true;
        }
        if (fd >= _byFd.Length) Array.Resize(ref _byFd, Math.Max(fd + 1, _byFd.Length * 2));
        _byFd[fd] = registration;
        _count++;
        return registration;
    }

    /// <summary>Changes interest, adding to or removing from the backend when crossing <see cref="IoEvents.None"/>.</summary>
    public void SetInterest(IoRegistration registration, IoEvents interest)
    {
        CheckInterest(interest);
        if (!registration.IsRegistered) throw new ObjectDisposedException(registration.ToString());
        if (interest == IoEvents.None)
        {
            if (registration.InBackend) _backend.Remove(registration.Fd);
            registration.InBackend = false;
        }
        else if (registration.InBackend)
        {
            _backend.Modify(registration.Fd, interest, registration.Token);
        }
        else
        {
            _backend.Add(registration.Fd, interest, registration.Token);
            registration.InBackend = true;
        }
        registration.CurrentInterest = interest;
    }

    /// <summary>Removes the registration from the table and the backend.</summary>
    public void Unregister(IoRegistration registration)
    {
        if (!registration.IsRegistered) return;
        registration.IsRegistered = false;
        _byFd[registration.Fd] = null;
        _count--;
        if (registration.InBackend)
        {
            registration.InBackend = false;
            _backend.Remove(registration.Fd);
        }
    }

    /// <summary>The registrations open now (a copy: shutdown handlers unregister while it is walked).</summary>
    public IoRegistration[] Snapshot()
    {
        var all = new IoRegistration[_count];
        int i = 0;
        foreach (var registration in _byFd)
            if (registration is not null) all[i++] = registration;
        return all;
    }

    /// <inheritdoc />
    public void Dispatch(ulong token, IoEvents events)
    {
        int fd = (int)(uint)token;
        // The descriptor may have been unregistered, or closed and re-registered, by a handler earlier in this batch.
        if (fd >= _byFd.Length || _byFd[fd] is not { } registration || registration.Token != token) return;
        var interest = registration.CurrentInterest;
        if ((events & (IoEvents.Error | IoEvents.HangUp)) != 0) events |= interest;
        // Interest may have shrunk earlier in this batch; a handler must not see readiness it stopped asking for.
        events &= interest | IoEvents.Error | IoEvents.HangUp;
        if ((events & interest) == 0) return;
        try
        {
            registration.Handler.OnIoReady(events);
        }
        catch (Exception ex)
        {
            Log.Error(LogEventId.IoHandlerFailed, typeof(IoTable), $"Unhandled error in I/O handler {registration.Handler} for descriptor {fd} ({events})", ex);
        }
    }

    private static void CheckInterest(IoEvents interest)
    {
        if ((interest & ~(IoEvents.Readable | IoEvents.Writable)) != 0)
            throw new ArgumentOutOfRangeException(nameof(interest), interest, "Interest may only combine Readable and Writable.");
    }
}
