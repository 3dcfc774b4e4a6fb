namespace Twine.Reactors.Io;

/// <summary>
/// Something with buffered writes, typically a transport: <see cref="IIoLoop.ScheduleFlush"/> queues it, and the
/// reactor calls <see cref="Flush"/> once in the next flush phase (phase 4 of the loop), so many small
/// <c>Write</c>s made by callbacks in one iteration leave in one <c>sendmsg</c>.
/// </summary>
internal interface IFlushable
{
    /// <summary>
    /// Writes what the kernel accepts. If the socket buffer fills, the transport turns on
    /// <see cref="IoEvents.Writable"/> interest and finishes from <see cref="IIoHandler.OnIoReady"/> instead of asking
    /// for another flush. Called on the reactor thread; an exception is logged and the other flushes still run.
    /// </summary>
    void Flush();
}
