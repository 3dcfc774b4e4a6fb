using System.Diagnostics;
using System.Runtime.CompilerServices;
using Twine.Defer;

namespace Twine.Time;

/// <summary>
/// Runs long jobs in small steps without blocking the reactor (Twisted's <c>task.Cooperator</c>, CO1–CO9). A job is
/// an iterator: each <c>MoveNext</c> is one unit of work, and yielding a Deferred pauses the job until it fires.
/// </summary>
/// <remarks>
/// <para>On each tick the cooperator asks its termination-predicate factory for a fresh predicate, then steps its
/// tasks round-robin, one <c>MoveNext</c> per task per turn, continuing where the previous tick left off, until the
/// predicate returns true or no runnable task is left (CO1). Another tick is scheduled only while runnable tasks
/// remain; removing the last one cancels the scheduled tick, and adding tasks never schedules a second one (CO6).</para>
/// <para>Defaults: a tick lasts up to 10 ms of wall-clock time (<see cref="TimeSlice"/>), and ticks are scheduled
/// with <c>clock.CallLater(TimeSpan.Zero, ...)</c>, which on the reactor runs on its next iteration, after I/O has had
/// its turn. On <see cref="Clock"/> a zero delay runs within the same <see cref="Clock.Advance"/> (CL2), so
/// <c>clock.Advance(TimeSpan.Zero)</c> runs every tick until no runnable task is left; to step tick by tick, pass a
/// scheduler of your own.</para>
/// <para>Twisted has one global cooperator; Twine has no global reactor, so there is one shared cooperator per clock
/// instead: <see cref="For(IReactorTime)"/>, also reached through <c>reactor.Cooperate(...)</c> and
/// <c>reactor.Coiterate(...)</c> (CO9).</para>
/// <para>Departure from Twisted: <see cref="Stop"/> ends every unfinished task, including paused ones (Twisted ends
/// a paused task only when it is resumed, so a task waiting on a Deferred that never fires would never finish).</para>
/// <para>Not thread-safe: use it on the reactor's thread.</para>
/// </remarks>
/// <example>
/// <code>
/// IEnumerable&lt;object?&gt; Checksum(Stream s, Action&lt;uint&gt; done)
/// {
///     var buffer = new byte[64 * 1024];
///     uint sum = 0;
///     int n;
///     while ((n = s.Read(buffer)) > 0)
///     {
///         foreach (var b in buffer.AsSpan(0, n)) sum += b;
///         yield return null;                       // let the reactor breathe between blocks
///     }
///     done(sum);
/// }
///
/// var cooperator = new Cooperator(reactor);
/// cooperator.Coiterate(Checksum(file, sum => Console.WriteLine(sum)))
///           .AddCallback(_ => Console.WriteLine("finished"));
/// </code>
/// </example>
public sealed partial class Cooperator
{
    private static readonly ConditionalWeakTable<IReactorTime, Cooperator> s_shared = new();

    private readonly Func<Action, IDelayedCall> _scheduler;
    private readonly Func<Func<bool>> _terminationPredicateFactory;
    private readonly Action _tick;
    private readonly List<CooperativeTask> _runnable = [];   // round-robin order
    private readonly HashSet<CooperativeTask> _paused = [];   // unfinished but paused: still ours to stop (CO4)
    private int _cursor;                                      // next task to step in _runnable
    private IDelayedCall? _delayedCall;
    private bool _started;
    private bool _stopped;
    private bool _mustScheduleOnStart;

    /// <summary>
    /// Creates a cooperator that schedules its ticks on <paramref name="clock"/> (CO1).
    /// </summary>
    /// <param name="clock">Where ticks are scheduled, with a zero delay.</param>
    /// <param name="terminationPredicateFactory">Called at the start of each tick; the predicate it returns is asked
    /// after each step whether the tick should end. Defaults to a 10 ms <see cref="TimeSlice"/>.</param>
    /// <param name="started">False to schedule nothing until <see cref="Start"/> (CO5).</param>
    /// <example>
    /// <code>
    /// var oneStepPerTick = new Cooperator(reactor, terminationPredicateFactory: () => () => true);
    /// </code>
    /// </example>
    public Cooperator(IReactorTime clock, Func<Func<bool>>? terminationPredicateFactory = null, bool started = true)
        : this(SchedulerOn(clock), terminationPredicateFactory, started)
    {
    }

    /// <summary>
    /// Creates a cooperator that schedules each tick by calling <paramref name="scheduler"/> (CO1): it receives the
    /// tick and returns a handle to cancel it. Useful to step a cooperator by hand in tests.
    /// </summary>
    /// <param name="scheduler">Arranges for the given action to be called later, once.</param>
    /// <param name="terminationPredicateFactory">As for the clock constructor; defaults to a 10 ms <see cref="TimeSlice"/>.</param>
    /// <param name="started">False to schedule nothing until <see cref="Start"/> (CO5).</param>
    /// <example>
    /// <code>
    /// // Leave the reactor at least a millisecond between ticks.
    /// var background = new Cooperator(tick => reactor.CallLater(TimeSpan.FromMilliseconds(1), tick));
    /// </code>
    /// </example>
    public Cooperator(Func<Action, IDelayedCall> scheduler, Func<Func<bool>>? terminationPredicateFactory = null, bool started = true)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        _scheduler = scheduler;
        _terminationPredicateFactory = terminationPredicateFactory ?? TimeSlice(TimeSpan.FromMilliseconds(10));
        _started = started;
        _tick = Tick;
    }

    /// <summary>
    /// The cooperator shared by everything that runs on <paramref name="clock"/>: Twine's counterpart of Twisted's
    /// global cooperator (CO9). Created on first use with the defaults, and kept for as long as the clock lives.
    /// </summary>
    /// <example>
    /// <code>
    /// Cooperator.For(reactor).Cooperate(Work());     // same as reactor.Cooperate(Work())
    /// </code>
    /// </example>
    public static Cooperator For(IReactorTime clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return s_shared.GetValue(clock, static c => new Cooperator(c));
    }

    /// <summary>
    /// A termination-predicate factory that ends each tick once <paramref name="slice"/> of wall-clock time has
    /// passed since the tick began (Twisted's default <c>_Timer</c>, with 10 ms).
    /// </summary>
    /// <example>
    /// <code>
    /// var gentle = new Cooperator(reactor, Cooperator.TimeSlice(TimeSpan.FromMilliseconds(2)));
    /// </code>
    /// </example>
    public static Func<Func<bool>> TimeSlice(TimeSpan slice)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slice, TimeSpan.Zero);
        long sliceTicks = (long)(slice.TotalSeconds * Stopwatch.Frequency);
        return () =>
        {
            long end = Stopwatch.GetTimestamp() + sliceTicks;
            return () => Stopwatch.GetTimestamp() >= end;
        };
    }

    /// <summary>True when started and not stopped (CO4, CO5).</summary>
    public bool Running => _started && !_stopped;

    /// <summary>
    /// Adds <paramref name="iterator"/> as a task and returns it, to pause, resume, stop or wait on. If the
    /// cooperator has been stopped, the task has already failed with <see cref="SchedulerStoppedException"/> (CO4).
    /// </summary>
    /// <example>
    /// <code>
    /// CooperativeTask task = cooperator.Cooperate(Work().GetEnumerator());
    /// </code>
    /// </example>
    public CooperativeTask Cooperate(IEnumerator<object?> iterator)
    {
        ArgumentNullException.ThrowIfNull(iterator);
        var task = new CooperativeTask(iterator, this);
        Add(task);
        return task;
    }

    /// <summary>Adds a task that runs <paramref name="iterable"/>'s enumerator; see <see cref="Cooperate(IEnumerator{object?})"/>.</summary>
    /// <example>
    /// <code>
    /// CooperativeTask task = cooperator.Cooperate(Work());   // Work is an iterator method
    /// </code>
    /// </example>
    public CooperativeTask Cooperate(IEnumerable<object?> iterable)
    {
        ArgumentNullException.ThrowIfNull(iterable);
        return Cooperate(iterable.GetEnumerator());
    }

    /// <summary>
    /// Adds <paramref name="iterator"/> as a task and returns a Deferred that fires with the iterator once it is
    /// exhausted, or fails with what it threw or with the reason it was ended (CO2).
    /// </summary>
    /// <param name="iterator">The work.</param>
    /// <param name="doneDeferred">The Deferred to fire instead of a new one (Twisted's <c>doneDeferred</c>).</param>
    /// <example>
    /// <code>
    /// cooperator.Coiterate(Work().GetEnumerator()).AddErrback(f => Log.Error("work failed", f));
    /// </code>
    /// </example>
    public Deferred<IEnumerator<object?>> Coiterate(IEnumerator<object?> iterator, Deferred<IEnumerator<object?>>? doneDeferred = null)
    {
        var done = Cooperate(iterator).WhenDone();
        if (doneDeferred is null) return done;
        done.ChainDeferred(doneDeferred);
        return doneDeferred;
    }

    /// <summary>Runs <paramref name="iterable"/>'s enumerator as a task; see <see cref="Coiterate(IEnumerator{object?}, Deferred{IEnumerator{object?}}?)"/>.</summary>
    /// <example>
    /// <code>
    /// await cooperator.Coiterate(Work());
    /// </code>
    /// </example>
    public Deferred<IEnumerator<object?>> Coiterate(IEnumerable<object?> iterable)
    {
        ArgumentNullException.ThrowIfNull(iterable);
        return Coiterate(iterable.GetEnumerator());
    }

    /// <summary>Begins (or, after <see cref="Stop"/>, resumes) scheduling ticks (CO5).</summary>
    public void Start()
    {
        _stopped = false;
        _started = true;
        if (_mustScheduleOnStart)
        {
            _mustScheduleOnStart = false;
            Reschedule();
        }
    }

    /// <summary>
    /// Stops scheduling (CO4): the scheduled tick is cancelled, every unfinished task — running or paused — fails
    /// with <see cref="SchedulerStoppedException"/>, and tasks added afterwards fail at once, until
    /// <see cref="Start"/> is called again.
    /// </summary>
    public void Stop()
    {
        _stopped = true;
        CancelTick();
        // Detach everything first: the tasks' WhenDone callbacks run as each one ends, and may add tasks or stop
        // again (CO8); they must see a cooperator that no longer holds the tasks being ended.
        CooperativeTask[] ending = [.. _runnable, .. _paused];
        _runnable.Clear();
        _paused.Clear();
        _cursor = 0;
        foreach (var task in ending) task.SchedulerStopped();
    }

    // ---- task bookkeeping (called by CooperativeTask) -------------------------------------------------------

    /// <summary>A new or resumed task is ready to be stepped.</summary>
    internal void Add(CooperativeTask task)
    {
        _paused.Remove(task);
        if (_stopped)
        {
            task.SchedulerStopped();
            return;
        }
        _runnable.Add(task);
        Reschedule();
    }

    /// <summary>A task was paused: keep it, but stop stepping it.</summary>
    internal void Remove(CooperativeTask task)
    {
        RemoveRunnable(task);
        if (!task.IsFinished) _paused.Add(task);
    }

    /// <summary>A task finished; forget it.</summary>
    internal void Finished(CooperativeTask task, bool wasRunnable)
    {
        if (wasRunnable) RemoveRunnable(task);
        else _paused.Remove(task);
    }

    private void RemoveRunnable(CooperativeTask task)
    {
        int index = _runnable.IndexOf(task);
        if (index < 0) return;
        _runnable.RemoveAt(index);
        // Keep the round-robin position on the task that was next (the removed one may be before it).
        if (index < _cursor) _cursor--;
        // CO6: nothing left to step, so nothing left to schedule (and tests can check no call is left behind).
        if (_runnable.Count == 0) CancelTick();
    }

    // ---- ticks ----------------------------------------------------------------------------------------------

    private void Tick()
    {
        _delayedCall = null;
        try
        {
            if (_runnable.Count == 0) return;
            var timeUp = _terminationPredicateFactory();
            while (_runnable.Count > 0)
            {
                if (_cursor >= _runnable.Count) _cursor = 0;
                _runnable[_cursor++].Step();
                if (timeUp()) break;
            }
        }
        finally
        {
            // Even if the predicate threw: tasks that remain must not be stranded without a tick.
            Reschedule();
        }
    }

    private void Reschedule()
    {
        if (!_started)
        {
            _mustScheduleOnStart = true;
            return;
        }
        if (_delayedCall is null && _runnable.Count > 0) _delayedCall = _scheduler(_tick);
    }

    private void CancelTick()
    {
        if (_delayedCall is not { } call) return;
        _delayedCall = null;
        if (call.IsActive) call.Cancel();
    }

    private static Func<Action, IDelayedCall> SchedulerOn(IReactorTime clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return tick => clock.CallLater(TimeSpan.Zero, tick);
    }
}
