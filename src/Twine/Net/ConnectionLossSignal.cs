namespace Twine.Net;

/// <summary>
/// What a transport's <see cref="IAsyncDisposable.DisposeAsync"/> waits for: the moment its protocol's
/// <c>ConnectionLost</c> has run. Created lazily, so a connection nobody disposes asynchronously pays nothing. Used on
/// the reactor thread only, like the transport that owns it.
/// </summary>
internal sealed class ConnectionLossSignal
{
    private TaskCompletionSource? _waiting;
    private bool _lost;

    /// <summary>A task that completes once <see cref="Complete"/> has been called (at once if it already was).</summary>
    public ValueTask Wait()
    {
        if (_lost) return ValueTask.CompletedTask;
        // Asynchronous continuations: the code awaiting the disposal must not run inside the transport's teardown.
        _waiting ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return new ValueTask(_waiting.Task);
    }

    /// <summary>The connection is lost: releases every waiter.</summary>
    public void Complete()
    {
        _lost = true;
        _waiting?.TrySetResult();
    }
}
