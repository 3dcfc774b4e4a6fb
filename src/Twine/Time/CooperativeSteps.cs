using Twine.Defer;

namespace Twine.Time;

/// <summary>
/// Presents any sequence as the <c>IEnumerator&lt;object?&gt;</c> a <see cref="CooperativeTask"/> steps: one
/// <c>MoveNext</c> per unit of work, and a yielded <see cref="Deferred"/> pauses the task until it fires (CO3).
/// </summary>
internal static class CooperativeSteps
{
    /// <summary>
    /// Steps <paramref name="source"/>. Items of a value type are not boxed: only a Deferred means anything to the
    /// cooperator, and a value type cannot be one.
    /// </summary>
    public static IEnumerator<object?> Of<T>(IEnumerator<T> source) =>
        source as IEnumerator<object?> ?? new TypedSteps<T>(source);

    private sealed class TypedSteps<T>(IEnumerator<T> source) : IEnumerator<object?>
    {
        public object? Current => typeof(T).IsValueType ? null : source.Current;

        object System.Collections.IEnumerator.Current => Current!;

        public bool MoveNext() => source.MoveNext();

        public void Reset() => source.Reset();

        public void Dispose() => source.Dispose();
    }
}

/// <summary>
/// Steps an <see cref="IAsyncEnumerator{T}"/>: each <c>MoveNext</c> asks for the next item; when the answer is not
/// ready at once, the step yields a Deferred for it, so the task waits without holding the cooperator (CO3), and a
/// failure ends the task with that failure. Once exhausted, the source is disposed, also asynchronously if it must.
/// </summary>
/// <remarks>
/// The Deferred for a pending step is made with <see cref="Deferred.FromTask(Task, SynchronizationContext?)"/>, so it
/// fires on the thread of the synchronization context current when the step ran (the reactor's, while it runs).
/// </remarks>
internal sealed class AsyncSteps<T>(IAsyncEnumerator<T> source) : IEnumerator<object?>
{
    private Task<bool>? _pendingMove;
    private bool _exhausted;
    private bool _disposed;

    public object? Current { get; private set; }

    object System.Collections.IEnumerator.Current => Current!;

    public bool MoveNext()
    {
        Current = null;
        if (_exhausted) return false;
        bool more;
        if (_pendingMove is { } pending)
        {
            // The Deferred yielded for it has fired, so the task has completed (and a failure already ended the task).
            _pendingMove = null;
            more = pending.GetAwaiter().GetResult();
        }
        else
        {
            var move = source.MoveNextAsync();
            if (!move.IsCompleted)
            {
                _pendingMove = move.AsTask();
                Current = Deferred.FromTask(_pendingMove);
                return true;
            }
            more = move.GetAwaiter().GetResult();
        }
        if (more)
        {
            if (!typeof(T).IsValueType) Current = source.Current;
            return true;
        }
        _exhausted = true;
        _disposed = true;
        var disposal = source.DisposeAsync();
        if (disposal.IsCompleted)
        {
            disposal.GetAwaiter().GetResult();
            return false;
        }
        // One more step: wait for the disposal, so the task is done only once the source has cleaned up.
        Current = Deferred.FromTask(disposal.AsTask());
        return true;
    }

    public void Reset() => throw new NotSupportedException("An asynchronous sequence cannot be reset.");

    /// <summary>
    /// Ends a task stopped or failed before the end: the source is disposed without waiting for it, and if a step is
    /// still waiting for its next item, once that arrives (an async enumerator cannot be disposed while it moves).
    /// </summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_pendingMove is { } pending)
        {
            _pendingMove = null;
            pending.ContinueWith(static (_, state) => ((AsyncSteps<T>)state!).DisposeSource(), this,
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return;
        }
        DisposeSource();
    }

    private void DisposeSource()
    {
        try
        {
            var disposal = source.DisposeAsync();
            if (disposal.IsCompleted) disposal.GetAwaiter().GetResult();
            else _ = disposal.AsTask().ContinueWith(static t => LogDisposalFailure(t.Exception!.GetBaseException()),
                CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
        catch (Exception e)
        {
            // The task has already ended; a failing cleanup is reported, not thrown into whoever stopped it.
            LogDisposalFailure(e);
        }
    }

    private static void LogDisposalFailure(Exception e) => Logging.Log.Error(Logging.LogEventId.CooperativeDisposalFailed, typeof(CooperativeTask), "Disposing an asynchronous sequence failed", e);
}
