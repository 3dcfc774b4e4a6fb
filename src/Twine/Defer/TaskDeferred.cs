namespace Twine.Defer;

/// <summary>
/// The Deferred behind <c>Deferred.FromTask</c> and <c>Deferred.FromAsync</c> (F3). A task may complete on any
/// thread, but a Deferred must only be fired on the thread that owns it, so the completion is posted to a
/// <see cref="SynchronizationContext"/> (the owner's) when there is one.
/// </summary>
internal sealed class TaskDeferred<T> : Deferred<T>
{
    // Null for a bare task, which cannot be cancelled: the Deferred then cancels like one with no canceller (C3).
    private readonly CancellationTokenSource? _cancellation;
    private Task? _task;
    private SynchronizationContext? _context;

    public TaskDeferred(CancellationTokenSource? cancellation) => _cancellation = cancellation;

    /// <summary>Fires now if <paramref name="task"/> has completed, otherwise when it does, through <paramref name="context"/>.</summary>
    public void Watch(Task task, SynchronizationContext? context)
    {
        _task = task;
        if (task.IsCompleted)
        {
            // Completed already: we are on the owner's thread, so fire now, as await would continue at once.
            Complete();
            return;
        }
        _context = context;
        task.ContinueWith(static (_, state) => ((TaskDeferred<T>)state!).OnTaskCompleted(), this,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    // On whichever thread completed the task.
    private void OnTaskCompleted()
    {
        if (_context is { } context) context.Post(static state => ((TaskDeferred<T>)state!).Complete(), this);
        else Complete();
    }

    private void Complete()
    {
        var task = _task!;
        _task = null;
        T value;
        try
        {
            // GetResult throws what await would: the fault's first exception, or the task's own
            // OperationCanceledException (TaskCanceledException for a cancelled TaskCompletionSource) (F3).
            if (task is Task<T> typed)
            {
                value = typed.GetAwaiter().GetResult();
            }
            else
            {
                task.GetAwaiter().GetResult();
                value = default!;
            }
        }
        catch (Exception e)
        {
            Errback(e);
            return;
        }
        Callback(value);
    }

    // F3: cancelling asks the task to stop through its token and leaves the result to the task. The CTS is not
    // disposed: it has no timer, and disposing it could race with a Cancel running the task's callbacks inline.
    private protected override bool InvokeCustomCanceller(out bool firesLater)
    {
        if (_cancellation is null)
        {
            firesLater = false;
            return false;
        }
        firesLater = true;
        _cancellation.Cancel();
        return true;
    }
}
