using Twine.Reactors.Io;
using Twine.Threading;
namespace Twine.Reactors;

// The I/O-loop role (IIoLoop) that transports build on; its threading rules are written on the interface.
public sealed partial class Reactor : IIoLoop
{
    /// <summary>
    /// Registers a non-blocking descriptor: <paramref name="handler"/>'s <see cref="IIoHandler.OnIoReady"/> is called
    /// on the reactor thread, in phase 6 of the loop, whenever the descriptor is ready for <paramref name="interest"/>
    /// (level-triggered). Change the interest with <see cref="IoRegistration.Interest"/>; unregister with
    /// <see cref="IoRegistration.Dispose"/> before closing the descriptor.
    /// </summary>
    /// <exception cref="InvalidOperationException">Not on the reactor thread, or <paramref name="fd"/> is already registered.</exception>
    /// <exception cref="IOException">The backend refused the descriptor (for example a regular file under epoll).</exception>
    IoRegistration IIoLoop.RegisterIo(int fd, IoEvents interest, IIoHandler handler)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _thread.Check("RegisterIo", "this reactor");
        return _io.Register(fd, interest, handler);
    }

    /// <summary>How many descriptors are registered.</summary>
    internal int RegisteredIoCount => _io.Count;

    /// <summary>Size of the shared receive buffer (<see cref="IIoLoop.ReadBuffer"/>): large enough for a full socket receive in one call.</summary>
    internal const int ReadBufferSize = 64 * 1024;

    private byte[]? _readBuffer;
    private Dictionary<Type, object>? _locals;

    /// <summary>
    /// The reactor's receive buffer, shared by every transport: a handler reads into it and hands the protocol a span
    /// of it, which is valid only during that call. One buffer serves all connections because handlers run one at a
    /// time on the reactor thread. Pinned, so <c>fixed</c> costs nothing. Reactor thread only.
    /// </summary>
    byte[] IIoLoop.ReadBuffer => _readBuffer ??= GC.AllocateUninitializedArray<byte>(ReadBufferSize, pinned: true);

    /// <summary>
    /// Per-reactor state for the layers above (for example the transports' pool of write chunks), created on first
    /// use, so the reactor's core holds no references to those layers. Reactor thread only.
    /// </summary>
    /// <example>
    /// <code>
    /// var pool = reactor.Local&lt;WriteSegmentPool&gt;();
    /// </code>
    /// </example>
    T IIoLoop.Local<T>()
    {
        _locals ??= [];
        if (!_locals.TryGetValue(typeof(T), out var value)) _locals[typeof(T)] = value = new T();
        return (T)value;
    }

    /// <summary>
    /// Queues <paramref name="target"/>'s <see cref="IFlushable.Flush"/> for the next flush phase (phase 4). Call it
    /// once when a transport goes from "nothing buffered" to "something buffered" (the transport keeps that flag; the
    /// reactor does not deduplicate). A flush scheduled during the flush phase runs in the next iteration, which then
    /// does not wait for I/O.
    /// </summary>
    void IIoLoop.ScheduleFlush(IFlushable target)
    {
        ArgumentNullException.ThrowIfNull(target);
        _flushes.Add(target);
    }

    /// <inheritdoc />
    ReactorThread IIoLoop.Thread => _thread;

    /// <inheritdoc />
    void IIoLoop.Post<TState>(Action<TState> action, TState state) => CallFromThread(action, state);

    private readonly HashSet<TrackedHandler> _tracked = [];

    /// <inheritdoc />
    IDisposable IIoLoop.Track(IIoHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ObjectDisposedException.ThrowIf(_disposed, this);
        _thread.Check("Track", "this reactor");
        var tracked = new TrackedHandler(this, handler);
        _tracked.Add(tracked);
        return tracked;
    }

    /// <summary>Handlers tracked without a descriptor (tests).</summary>
    internal int TrackedCount => _tracked.Count;

    /// <summary>Tells every tracked handler that the reactor shuts down (part of disconnect-all, RE6).</summary>
    private void ShutdownTracked()
    {
        if (_tracked.Count == 0) return;
        foreach (var tracked in _tracked.ToArray())
        {
            try
            {
                tracked.Handler.OnReactorShutdown();
            }
            catch (Exception ex)
            {
                Twine.Logging.Log.Error($"Error disconnecting {tracked.Handler} at shutdown", ex);
            }
            tracked.Dispose();
        }
    }

    /// <summary>One <see cref="IIoLoop.Track"/> registration.</summary>
    private sealed class TrackedHandler(Reactor reactor, IIoHandler handler) : IDisposable
    {
        public IIoHandler Handler { get; } = handler;

        public void Dispose() => reactor._tracked.Remove(this);
    }
}
