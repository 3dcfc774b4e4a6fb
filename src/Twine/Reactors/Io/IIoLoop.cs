using Twine.Defer;
using Twine.Threading;
using Twine.Time;

namespace Twine.Reactors.Io;

/// <summary>
/// What a transport needs from the loop it runs on, and nothing more (libuv's <c>uv__io_t</c> idea: a watcher
/// depends on the loop's I/O registration, not on the whole loop). Sockets, pipes and the portable socket layer
/// are written against this role; <c>Reactor</c> implements it, and a test can implement it with a fake.
/// </summary>
/// <remarks>
/// Threading rules, in one place: every member except <see cref="Post{TState}"/> and <see cref="Thread"/> is for the
/// loop's own thread. <see cref="RegisterIo"/> checks it; the rest are hot paths and trust the caller; transports check
/// their own public entry points with <see cref="Thread"/>. <see cref="IIoHandler.OnIoReady"/>, <see cref="IIoHandler.OnReactorShutdown"/>
/// and <see cref="IFlushable.Flush"/> are always called on that thread. Descriptors must be non-blocking, and a
/// registration is disposed before its descriptor is closed.
/// </remarks>
internal interface IIoLoop : IReactorTime, ICallSoon
{
    /// <summary>
    /// Registers a non-blocking descriptor: <paramref name="handler"/>'s <see cref="IIoHandler.OnIoReady"/> runs
    /// whenever the descriptor is ready for <paramref name="interest"/> (level-triggered). Change the interest with
    /// <see cref="IoRegistration.Interest"/>; unregister with <see cref="IoRegistration.Dispose"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">Not on the loop's thread, or <paramref name="fd"/> is already registered.</exception>
    /// <exception cref="IOException">The backend refused the descriptor (for example a regular file under epoll).</exception>
    IoRegistration RegisterIo(int fd, IoEvents interest, IIoHandler handler);

    /// <summary>
    /// Queues <paramref name="target"/>'s <see cref="IFlushable.Flush"/> for the loop's flush phase. Call it once when
    /// a transport goes from "nothing buffered" to "something buffered" (the transport keeps that flag; the loop does
    /// not deduplicate).
    /// </summary>
    void ScheduleFlush(IFlushable target);

    /// <summary>
    /// The receive buffer every transport on this loop shares: a handler reads into it and hands the protocol a span
    /// of it, valid only during that call. One buffer serves all connections because handlers run one at a time.
    /// </summary>
    byte[] ReadBuffer { get; }

    /// <summary>Per-loop state for the layers above (for example the transports' pool of write chunks), made on first use.</summary>
    T Local<T>() where T : class, new();

    /// <summary>The loop's thread: transports check the thread rule against it.</summary>
    ReactorThread Thread { get; }

    /// <summary>
    /// Runs <paramref name="action"/> on the loop's thread on a later turn. Thread-safe: this is how completions of
    /// operations the operating system finishes on its own threads (the portable socket layer) come home. From the
    /// loop's own thread it defers to the next iteration, which keeps connections fair.
    /// </summary>
    void Post<TState>(Action<TState> action, TState state);

    /// <summary>
    /// Makes <paramref name="handler"/> hear <see cref="IIoHandler.OnReactorShutdown"/> at shutdown (and at disposal
    /// of a reactor that never ran) without a descriptor: for transports that wait on completions instead of
    /// readiness. Dispose the result when the handler closes.
    /// </summary>
    IDisposable Track(IIoHandler handler);
}
