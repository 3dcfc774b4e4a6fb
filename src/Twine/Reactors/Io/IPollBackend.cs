namespace Twine.Reactors.Io;

/// <summary>
/// An I/O multiplexer: the few operations the reactor needs from epoll, poll(2), kqueue and friends. Every backend
/// passes the same conformance suite (<c>PollBackendConformanceTests</c>).
/// </summary>
/// <remarks>
/// Everything except <see cref="Wake"/> is called on the reactor thread only. Backends know nothing of handlers: they
/// carry an opaque <c>token</c> per descriptor and hand it back with the readiness, and <see cref="IoTable"/> maps it to
/// the registration (and recognises a stale token from a descriptor closed earlier in the same batch).
/// </remarks>
internal interface IPollBackend : IDisposable
{
    /// <summary>"epoll" or "poll": for logs and diagnostics.</summary>
    string Name { get; }

    /// <summary>Starts watching <paramref name="fd"/> for <paramref name="interest"/> (not <see cref="IoEvents.None"/>).</summary>
    void Add(int fd, IoEvents interest, ulong token);

    /// <summary>Changes the interest (not <see cref="IoEvents.None"/>) of a watched descriptor.</summary>
    void Modify(int fd, IoEvents interest, ulong token);

    /// <summary>Stops watching <paramref name="fd"/>. Must be called before the descriptor is closed.</summary>
    void Remove(int fd);

    /// <summary>
    /// Waits until a watched descriptor is ready, <see cref="Wake"/> is called, or <paramref name="timeoutMs"/> passes
    /// (-1: no limit, 0: just look), then reports each ready descriptor to <paramref name="dispatcher"/>. A wake-up is
    /// consumed here and not reported. An interrupted wait (EINTR) returns 0.
    /// </summary>
    /// <returns>How many descriptors were reported.</returns>
    int Poll(int timeoutMs, IIoDispatcher dispatcher);

    /// <summary>Makes a current or the next <see cref="Poll"/> return promptly. Thread-safe; coalesced; a no-op once disposed.</summary>
    void Wake();
}

/// <summary>Receives the readiness a backend found (implemented by <see cref="IoTable"/>).</summary>
internal interface IIoDispatcher
{
    /// <summary>Descriptor with <paramref name="token"/> is ready with <paramref name="events"/> (raw: not yet folded or filtered).</summary>
    void Dispatch(ulong token, IoEvents events);
}
