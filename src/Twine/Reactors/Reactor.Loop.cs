using Twine.Reactors.Io;
using Twine.Logging;

namespace Twine.Reactors;

public sealed partial class Reactor
{
    /// <summary>Thread calls run per iteration, at most (phase 1).</summary>
    internal const int ThreadCallBudget = 4096;

    /// <summary>Call-soon calls run per iteration, at most (phase 2).</summary>
    internal const int CallSoonBudget = 4096;

    /// <summary>Timed calls run per iteration, at most (phase 3).</summary>
    internal const int TimerBudget = 4096;

    private static readonly Action<ThreadCall, Exception> s_threadCallFailed =
        static (call, ex) => Log.Error(LogEventId.ThreadCallFailed, typeof(Reactor), $"Unhandled error in a call from another thread ({call.Describe()})", ex);

    private static readonly Action<Action<object?>, Exception> s_callSoonFailed =
        static (action, ex) => Log.Error(LogEventId.CallSoonFailed, typeof(Reactor), $"Unhandled error in a call-soon call ({action.Method.DeclaringType?.Name}.{action.Method.Name})", ex);

    private List<IFlushable> _flushes = [];
    private List<IFlushable> _flushing = [];

    /// <summary>Iterations run so far (diagnostics and tests: an idle reactor must not add to it).</summary>
    internal long Iterations { get; private set; }

    /// <summary>How many poll phases waited with no time limit (diagnostics and tests).</summary>
    internal long InfiniteWaits { get; private set; }

    /// <summary>How many poll phases waited with a positive time limit, i.e. for a timer (diagnostics and tests).</summary>
    internal long TimedWaits { get; private set; }

    // The loop, and the one description of its phases (docs/design.md and Reactor.cs point here).
    // One call = one iteration; Run() calls it until the loop ends, Iterate() calls it once.
    //
    // 1. Thread calls  CallFromThread calls queued before this point, FIFO, at most ThreadCallBudget. Calls they
    //                  queue wait for the next iteration (TH1), so no producer can starve the loop.
    // 2. Call soon     Promise reactions and other "next turn" work, FIFO, at most CallSoonBudget; calls they queue
    //                  may run in the same phase, within the budget.
    // 3. Timers        Delayed calls due now, in (time, FIFO) order, at most TimerBudget. Calls scheduled from a timed
    //                  call, even with delay 0, run on a later iteration (RT1).
    // 4. Flush         Transports that wrote since the last flush send their buffers: many small writes leave in one
    //                  sendmsg.
    // 5. Shutdown      If Stop() was called, fire "shutdown": before (Deferreds hold the rest while the loop keeps
    //                  turning), during (crash: the loop ends; disconnect all; thread pool joined), after.
    // 6. Poll          Wait for I/O and dispatch readiness to handlers. The wait is 0 if any queue above still has
    //                  work (a budget ran out, or work was added since its phase), else until the next timer (rounded
    //                  up to a millisecond, at most ~24.8 days, RT5), else with no limit: an idle reactor sleeps in the
    //                  kernel and costs nothing. Other threads wake it with the waker. On a manual clock
    //                  (ReactorOptions.Clock) a timer is no reason to wake; with auto-jump, when nothing but a timer is
    //                  left, the clock jumps to it instead (PollOrJump).
    //
    // Every callback is isolated: an exception is logged with what was running and the loop continues (RT4).
    private void RunOnce(int maxWaitMs, bool inRun)
    {
        Iterations++;

        // 1. Thread calls.
        _threadCalls.RunBatch(ThreadCallBudget, s_threadCallFailed);

        // 2. Call soon.
        _callSoon.Run(CallSoonBudget, s_callSoonFailed);

        // 3. Timers.
        _timers.RunDue(Now, TimerBudget);

        // 4. Flush.
        FlushWrites();

        // 5. Shutdown.
        if (_justStopped)
        {
            _justStopped = false;
            FireSystemEvent(Shutdown);
        }
        if (inRun && !_started) return;   // crashed or shut down: nothing left to wait for

        // 6. Poll.
        int timeoutMs = PollTimeout(maxWaitMs);
        if (timeoutMs != 0 && _options is { Clock: { } clock, AutoJumpThreshold: { } threshold } && _timers.NextDue() is not null)
        {
            PollOrJump(clock, threshold, maxWaitMs);
            return;
        }
        if (timeoutMs < 0) InfiniteWaits++;
        else if (timeoutMs > 0) TimedWaits++;
        _backend.Poll(timeoutMs, _io);
    }

    /// <summary>The wait phase 6 would use now, with no caller limit (tests).</summary>
    internal int PollTimeoutForTests() => PollTimeout(Timeout.Infinite);

    /// <summary>How long phase 6 may wait, in milliseconds (-1: no limit), given the caller's own limit.</summary>
    private int PollTimeout(int maxWaitMs)
    {
        if (!_threadCalls.IsEmpty || _callSoon.Count > 0 || _flushes.Count > 0 || _justStopped) return 0;
        int timeoutMs = _timers.Timeout(Now) is { } wait ? ToPollMilliseconds(wait) : Timeout.Infinite;
        // On a manual clock a timer that is not due yet is not a reason to wake: only the clock moving makes it due.
        if (timeoutMs > 0 && _options.Clock is not null) timeoutMs = Timeout.Infinite;
        if (maxWaitMs >= 0 && (timeoutMs < 0 || maxWaitMs < timeoutMs)) timeoutMs = maxWaitMs;
        return timeoutMs;
    }

    /// <summary>
    /// Rounds up, so the loop never wakes a fraction of a millisecond before a timer only to wait again with 0, and
    /// clamps to what epoll and poll accept (TimerQueue already clamps timer waits to 2,147,483 s; RT5).
    /// </summary>
    private static int ToPollMilliseconds(TimeSpan wait)
    {
        if (wait <= TimeSpan.Zero) return 0;
        long ms = (wait.Ticks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond;
        return (int)Math.Min(ms, int.MaxValue);
    }

    private void FlushWrites()
    {
        if (_flushes.Count == 0) return;
        // Swap, so a transport that schedules another flush while flushing waits for the next iteration.
        (_flushes, _flushing) = (_flushing, _flushes);
        foreach (var target in _flushing)
        {
            try
            {
                target.Flush();
            }
            catch (Exception ex)
            {
                Log.Error(LogEventId.FlushFailed, typeof(Reactor), $"Unhandled error flushing writes of {target}", ex);
            }
        }
        _flushing.Clear();
    }
}
