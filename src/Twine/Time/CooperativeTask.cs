using Twine.Defer;

namespace Twine.Time;

/// <summary>
/// An iterator being run step by step by a <see cref="Cooperator"/> (Twisted's <c>CooperativeTask</c>, CO3, CO7,
/// CO8). Each <c>MoveNext</c> is one unit of work; yielding a Deferred pauses the task until it fires. Create one with
/// <see cref="Cooperator.Cooperate(IEnumerator{object?})"/>.
/// </summary>
/// <remarks>
/// <para>A task finishes in exactly one way: its iterator is exhausted (<see cref="WhenDone"/> fires with the
/// iterator), its iterator throws or a yielded Deferred fails (fails with that failure), it is stopped
/// (<see cref="TaskStoppedException"/>), or its cooperator is stopped (<see cref="SchedulerStoppedException"/>).
/// When it finishes, the iterator is disposed, so <c>finally</c> blocks in an iterator method run even when the task
/// is stopped early.</para>
/// <para>Not thread-safe: use it on the thread that runs the cooperator.</para>
/// </remarks>
/// <example>
/// <code>
/// IEnumerable&lt;object?&gt; CopyRows(Table from, Table to)
/// {
///     foreach (var row in from.Rows)
///     {
///         to.Insert(row);
///         yield return null;              // one row per step, so the reactor stays responsive
///     }
/// }
///
/// CooperativeTask task = reactor.Cooperate(CopyRows(a, b));
/// task.Pause();                           // e.g. while the database is busy
/// task.Resume();
/// task.WhenDone().AddCallback(_ => Console.WriteLine("copied"));
/// </code>
/// </example>
public sealed class CooperativeTask
{
    private enum State : byte
    {
        Running,
        Done,
        Stopped,
        Failed,
        SchedulerStopped,
    }

    private readonly Cooperator _cooperator;
    private List<Deferred<IEnumerator<object?>>>? _waiters;
    private int _pauseCount;
    private State _state;
    private Failure? _failure;   // the outcome when it was not a success
    private bool _stepping;      // inside the iterator's MoveNext

    internal CooperativeTask(IEnumerator<object?> iterator, Cooperator cooperator)
    {
        Iterator = iterator;
        _cooperator = cooperator;
    }

    /// <summary>The iterator this task runs; also the value <see cref="WhenDone"/> fires with.</summary>
    public IEnumerator<object?> Iterator { get; }

    /// <summary>True once the task has finished, in any of the ways listed in the remarks.</summary>
    public bool IsFinished => _state != State.Running;

    /// <summary>True while <see cref="Pause"/> (or a yielded Deferred) holds the task.</summary>
    public bool IsPaused => _pauseCount > 0;

    internal bool IsRunnable => _state == State.Running && _pauseCount == 0;

    /// <summary>
    /// A new Deferred on every call (CO8), so that separate callback chains do not see each other's results. It fires
    /// with <see cref="Iterator"/> when the iterator is exhausted, or fails with the iterator's exception,
    /// <see cref="TaskStoppedException"/> or <see cref="SchedulerStoppedException"/>; at once if the task has already
    /// finished. It fires after the task has left its cooperator, so its callbacks may stop the cooperator.
    /// </summary>
    /// <example>
    /// <code>
    /// task.WhenDone().AddCallbacks(_ => Console.WriteLine("done"), f => Console.WriteLine(f.GetErrorMessage()));
    /// </code>
    /// </example>
    public Deferred<IEnumerator<object?>> WhenDone()
    {
        var d = new Deferred<IEnumerator<object?>>();
        if (_state == State.Running) (_waiters ??= []).Add(d);
        else Fire(d);
        return d;
    }

    /// <summary>
    /// Stops doing work for this task until a matching <see cref="Resume"/>; pauses nest like a stack (CO7).
    /// </summary>
    /// <exception cref="TaskFinishedException">The task has finished (the subclass says how).</exception>
    /// <exception cref="SchedulerStoppedException">The task was ended by stopping its cooperator.</exception>
    public void Pause()
    {
        ThrowIfFinished();
        if (++_pauseCount == 1) _cooperator.Remove(this);
    }

    /// <summary>
    /// Undoes one <see cref="Pause"/>. The task does no work here; it is stepped on the cooperator's next tick (CO7).
    /// Resuming a task that finished while paused does nothing.
    /// </summary>
    /// <exception cref="NotPausedException">The task is not paused.</exception>
    public void Resume()
    {
        if (_pauseCount == 0) throw new NotPausedException();
        if (--_pauseCount == 0 && _state == State.Running) _cooperator.Add(this);
    }

    /// <summary>
    /// Ends the task: no more steps, and its <see cref="WhenDone"/> Deferreds fail with
    /// <see cref="TaskStoppedException"/> (CO7, CO8).
    /// </summary>
    /// <exception cref="TaskFinishedException">The task has already finished (the subclass says how).</exception>
    /// <exception cref="SchedulerStoppedException">The task was ended by stopping its cooperator.</exception>
    public void Stop()
    {
        ThrowIfFinished();
        Complete(State.Stopped, new Failure(new TaskStoppedException()));
    }

    /// <summary>Ends the task because its cooperator stopped (CO4). Does nothing if it has already finished.</summary>
    internal void SchedulerStopped()
    {
        if (_state == State.Running) Complete(State.SchedulerStopped, new Failure(new SchedulerStoppedException()));
    }

    /// <summary>One unit of work: one MoveNext (CO1, CO3).</summary>
    internal void Step()
    {
        bool moved = false;
        object? item = null;
        Exception? error = null;
        _stepping = true;
        try
        {
            moved = Iterator.MoveNext();
            if (moved) item = Iterator.Current;
        }
        catch (Exception e)
        {
            error = e;
        }
        finally
        {
            _stepping = false;
        }

        if (_state != State.Running)
        {
            // The iterator stopped its own task (or the cooperator) during MoveNext: that outcome stands. The
            // disposal that could not be done while the iterator was running is done now.
            DisposeIterator();
            return;
        }
        if (error is not null) Complete(State.Failed, new Failure(error));
        else if (!moved) Complete(State.Done, null);
        else if (item is Deferred deferred) WaitFor(deferred);
    }

    // CO3: the task is paused until the yielded Deferred fires; a failure finishes the task with that failure. The
    // Deferred's result is consumed either way.
    private void WaitFor(Deferred deferred)
    {
        Pause();
        try
        {
            DeferredOutcome.Consume(deferred, failure =>
            {
                if (failure is null) Resume();
                else if (_state == State.Running) Complete(State.Failed, failure);
                // else: the task was stopped while waiting; nobody is left to receive this failure.
            });
        }
        catch (StaleDeferredException e)
        {
            Complete(State.Failed, new Failure(e));
        }
    }

    private void Complete(State state, Failure? failure)
    {
        if (_state != State.Running) return;
        _state = state;
        _failure = failure;
        _cooperator.Finished(this, wasRunnable: _pauseCount == 0);
        if (!_stepping) DisposeIterator();

        // Fire only now that the task has left the cooperator: a callback may stop the cooperator or start new tasks
        // (CO6, CO8), and must not find this task still there.
        var waiters = _waiters;
        _waiters = null;
        if (waiters is null) return;
        foreach (var d in waiters) Fire(d);
    }

    private void Fire(Deferred<IEnumerator<object?>> d)
    {
        if (_failure is null) d.Callback(Iterator);
        else d.Errback(_failure);
    }

    private void DisposeIterator()
    {
        try
        {
            Iterator.Dispose();
        }
        catch (Exception e)
        {
            // The task's outcome is already decided; a failing finally block must not hide it or stop the tick.
            Logging.Log.Error(Logging.LogEventId.CooperativeDisposalFailed, typeof(CooperativeTask), "Disposing a cooperative task's iterator failed", e);
        }
    }

    private void ThrowIfFinished()
    {
        switch (_state)
        {
            case State.Done: throw new TaskDoneException();
            case State.Stopped: throw new TaskStoppedException();
            case State.Failed: throw new TaskFailedException();
            case State.SchedulerStopped: throw new SchedulerStoppedException();
        }
    }
}
