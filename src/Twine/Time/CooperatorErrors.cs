namespace Twine.Time;

/// <summary>
/// Base of the errors raised by <see cref="Cooperator"/> and <see cref="CooperativeTask"/> (Twisted's
/// <c>SchedulerError</c>). Catch this to handle every scheduling error at once.
/// </summary>
/// <example>
/// <code>
/// try { task.Pause(); }
/// catch (SchedulerException e) { Console.WriteLine($"cannot pause: {e.Message}"); }
/// </code>
/// </example>
public abstract class SchedulerException : InvalidOperationException
{
    /// <summary>Creates the exception with a message.</summary>
    protected SchedulerException(string message) : base(message) { }
}

/// <summary>
/// The <see cref="Cooperator"/> was stopped (CO4): the failure of every task it was running when
/// <see cref="Cooperator.Stop"/> was called, and of every task added to it afterwards. Also what
/// <see cref="CooperativeTask.Pause"/> and <see cref="CooperativeTask.Stop"/> throw for such a task.
/// </summary>
/// <example>
/// <code>
/// cooperator.Coiterate(Work()).AddErrback(f => f.Trap&lt;SchedulerStoppedException&gt;());
/// cooperator.Stop();
/// </code>
/// </example>
public sealed class SchedulerStoppedException : SchedulerException
{
    /// <summary>Creates the exception.</summary>
    public SchedulerStoppedException() : base("The cooperator has been stopped.") { }
}

/// <summary>
/// An operation on a <see cref="CooperativeTask"/> could not be done because the task has finished, one way or
/// another (Twisted's <c>TaskFinished</c>). The subclass says how it finished (CO7).
/// </summary>
/// <example>
/// <code>
/// try { task.Stop(); }
/// catch (TaskFinishedException) { /* already over: nothing to stop */ }
/// </code>
/// </example>
public abstract class TaskFinishedException : SchedulerException
{
    /// <summary>Creates the exception with a message.</summary>
    protected TaskFinishedException(string message) : base(message) { }
}

/// <summary>The task's iterator was exhausted: it completed normally (CO7).</summary>
/// <example>
/// <code>
/// Assert.Throws&lt;TaskDoneException&gt;(() => finishedTask.Stop());
/// </code>
/// </example>
public sealed class TaskDoneException : TaskFinishedException
{
    /// <summary>Creates the exception.</summary>
    public TaskDoneException() : base("The task has already completed.") { }
}

/// <summary>
/// The task was stopped with <see cref="CooperativeTask.Stop"/>: thrown by a later Pause or Stop, and the failure its
/// <see cref="CooperativeTask.WhenDone"/> Deferreds receive (CO7, CO8).
/// </summary>
/// <example>
/// <code>
/// task.WhenDone().AddErrback(f => { f.Trap&lt;TaskStoppedException&gt;(); Console.WriteLine("stopped"); });
/// task.Stop();
/// </code>
/// </example>
public sealed class TaskStoppedException : TaskFinishedException
{
    /// <summary>Creates the exception.</summary>
    public TaskStoppedException() : base("The task has been stopped.") { }
}

/// <summary>
/// The task's iterator threw, or a Deferred it yielded failed (CO3, CO7). The <see cref="CooperativeTask.WhenDone"/>
/// Deferreds receive that original failure; this exception is only what a later Pause or Stop throws.
/// </summary>
/// <example>
/// <code>
/// Assert.Throws&lt;TaskFailedException&gt;(() => brokenTask.Stop());
/// </code>
/// </example>
public sealed class TaskFailedException : TaskFinishedException
{
    /// <summary>Creates the exception.</summary>
    public TaskFailedException() : base("The task has failed with an unhandled error.") { }
}

/// <summary><see cref="CooperativeTask.Resume"/> was called more times than <see cref="CooperativeTask.Pause"/> (CO7).</summary>
/// <example>
/// <code>
/// task.Pause();
/// task.Resume();
/// Assert.Throws&lt;NotPausedException&gt;(() => task.Resume());
/// </code>
/// </example>
public sealed class NotPausedException : SchedulerException
{
    /// <summary>Creates the exception.</summary>
    public NotPausedException() : base("The task is not paused.") { }
}
