namespace Twine.Defer;

// Task interop (docs/behaviours.md §10, F3 analogues): Deferreds from tasks. The other direction is
// DeferredTaskExtensions.AsTask.
public abstract partial class Deferred
{
    /// <summary>
    /// A Deferred that fires with <paramref name="task"/>'s result: its value, the exception <c>await</c> would
    /// throw, or for a cancelled task the task's own <see cref="OperationCanceledException"/> (F3).
    /// </summary>
    /// <remarks>
    /// <para>Deferreds are not thread-safe, and a task may complete on any thread, so the completion is posted to
    /// <paramref name="context"/>, by default <see cref="SynchronizationContext.Current"/> at this call; while the
    /// reactor runs, its thread has one, so the Deferred fires on the reactor thread. A task that has already
    /// completed fires the Deferred at once. When there is no context at all, the Deferred fires on the thread that
    /// completes the task, and the caller must make sure that is safe (a single-threaded program, for example).</para>
    /// <para>A bare task cannot be cancelled: cancelling this Deferred fails it at once with
    /// <see cref="CancelledException"/> and the task's eventual result is ignored (C3). Use
    /// <see cref="FromAsync{T}(Func{CancellationToken, Task{T}}, SynchronizationContext?)"/> for a cancellable task.</para>
    /// </remarks>
    /// <example>
    /// <code>
    /// Deferred&lt;string&gt; text = Deferred.FromTask(File.ReadAllTextAsync(path));
    /// text.AddCallback(t => Console.WriteLine(t.Length));
    /// </code>
    /// </example>
    public static Deferred<T> FromTask<T>(Task<T> task, SynchronizationContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        var d = new TaskDeferred<T>(cancellation: null);
        d.Watch(task, context ?? SynchronizationContext.Current);
        return d;
    }

    /// <summary>As <see cref="FromTask{T}(Task{T}, SynchronizationContext?)"/>, for a task with no value.</summary>
    /// <example>
    /// <code>
    /// Deferred.FromTask(stream.FlushAsync()).AddCallback(() => Console.WriteLine("flushed"));
    /// </code>
    /// </example>
    public static Deferred<Unit> FromTask(Task task, SynchronizationContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        var d = new TaskDeferred<Unit>(cancellation: null);
        d.Watch(task, context ?? SynchronizationContext.Current);
        return d;
    }

    /// <summary>
    /// Starts <paramref name="start"/> now, with a token that cancelling the returned Deferred cancels (F3). The
    /// Deferred fires with the task's outcome, delivered as <see cref="FromTask{T}(Task{T}, SynchronizationContext?)"/> does.
    /// </summary>
    /// <remarks>
    /// Cancelling the Deferred only <em>asks</em> the task to stop: the Deferred keeps waiting and ends however the
    /// task ends, as an <c>async Deferred</c> method does when the Deferred it awaits is cancelled (IC7). A task
    /// that honours the token fails it with the task's own <see cref="OperationCanceledException"/>; a task that
    /// ignores the token and returns a value makes it succeed; a task that ignores the token and never completes
    /// leaves it pending. If <paramref name="start"/> throws, the Deferred has already failed with that exception.
    /// </remarks>
    /// <example>
    /// <code>
    /// var body = Deferred.FromAsync(ct => http.GetStringAsync(url, ct));
    /// body.AddTimeout(TimeSpan.FromSeconds(10), reactor);   // the timeout cancels the HTTP request
    /// </code>
    /// </example>
    public static Deferred<T> FromAsync<T>(Func<CancellationToken, Task<T>> start, SynchronizationContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(start);
        context ??= SynchronizationContext.Current;
        var cancellation = new CancellationTokenSource();
        Task<T> task;
        try
        {
            task = start(cancellation.Token) ?? throw new InvalidOperationException("The function returned a null Task.");
        }
        catch (Exception e)
        {
            return Fail<T>(e);
        }
        var d = new TaskDeferred<T>(cancellation);
        d.Watch(task, context);
        return d;
    }

    /// <summary>As <see cref="FromAsync{T}(Func{CancellationToken, Task{T}}, SynchronizationContext?)"/>, for a task with no value.</summary>
    /// <example>
    /// <code>
    /// Deferred.FromAsync(ct => Task.Delay(TimeSpan.FromSeconds(1), timeProvider, ct)).Cancel();
    /// </code>
    /// </example>
    public static Deferred<Unit> FromAsync(Func<CancellationToken, Task> start, SynchronizationContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(start);
        context ??= SynchronizationContext.Current;
        var cancellation = new CancellationTokenSource();
        Task task;
        try
        {
            task = start(cancellation.Token) ?? throw new InvalidOperationException("The function returned a null Task.");
        }
        catch (Exception e)
        {
            return Fail<Unit>(e);
        }
        var d = new TaskDeferred<Unit>(cancellation);
        d.Watch(task, context);
        return d;
    }
}
