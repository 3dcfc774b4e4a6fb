namespace Twine.Reactors.Io;

/// <summary>
/// What a transport gives the reactor when it registers a descriptor with <see cref="IIoLoop.RegisterIo"/>: the
/// reactor calls it, on the reactor thread, when the descriptor is ready, and once more at shutdown.
/// </summary>
/// <remarks>
/// <para><b>Readiness is level-triggered.</b> A handler that leaves data unread is called again on the next
/// iteration, so it may read one buffer per call and stay fair to other connections. Conversely a handler that is not
/// going to consume readiness must drop its interest (<see cref="IoRegistration.Interest"/>), or the loop spins.</para>
/// <para><b>Errors and hang-ups are folded in.</b> When the kernel reports <see cref="IoEvents.Error"/> or
/// <see cref="IoEvents.HangUp"/>, the reactor also sets whichever of <see cref="IoEvents.Readable"/> /
/// <see cref="IoEvents.Writable"/> the handler is interested in, so a handler that simply reads or writes discovers
/// the condition from the system call's result (0 bytes, ECONNRESET, EPIPE) without special cases.</para>
/// <para><b>Spurious readiness is possible</b> (another thread read first, a descriptor number was reused within one
/// batch): a non-blocking call returning EAGAIN must be treated as "not ready after all".</para>
/// <para>A handler should not throw: a transport catches its protocol's exceptions and closes the connection with that
/// failure. If it throws anyway, the reactor logs the exception with the descriptor and carries on (RT4).</para>
/// </remarks>
internal interface IIoHandler
{
    /// <summary>
    /// The descriptor is ready. <paramref name="events"/> holds at least one of the registered interests, possibly with
    /// <see cref="IoEvents.Error"/> / <see cref="IoEvents.HangUp"/>. The handler may change its interest, dispose its
    /// registration, register other descriptors or schedule a flush from here.
    /// </summary>
    void OnIoReady(IoEvents events);

    /// <summary>
    /// The reactor is shutting down (the "during shutdown" phase, RE6): close the connection as lost, and dispose the
    /// registration. Called once per registration still open at that point; an exception is logged and the others
    /// still run.
    /// </summary>
    void OnReactorShutdown();
}
