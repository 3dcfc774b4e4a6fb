using Twine.Defer;
using Twine.Time;

namespace Twine.Reactors.Io;

/// <summary>
/// What a transport needs from the loop it runs on, and nothing more (libuv's <c>uv__io_t</c> idea: a watcher
/// depends on the loop's I/O registration, not on the whole loop). Sockets, pipes and the portable socket layer
/// are written against this role; <c>Reactor</c> implements it, and a test can implement it with a fake.
/// </summary>
/// <remarks>
/// Threading rules, in one place: every member is for the loop's own thread. <see cref="RegisterIo"/> checks it;
/// the rest are hot paths and trust the caller. <see cref="IIoHandler.OnIoReady"/>, <see cref="IIoHandler.OnReactorShutdown"/>
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
}
