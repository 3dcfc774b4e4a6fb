using System.Collections.Concurrent;

namespace Twine.Tests.Defer;

/// <summary>
/// A SynchronizationContext that only queues what is posted to it; the test runs the queue with <see cref="Pump"/>
/// on its own thread, standing in for the reactor's loop.
/// </summary>
internal sealed class ManualSynchronizationContext : SynchronizationContext
{
    private readonly ConcurrentQueue<(SendOrPostCallback Callback, object? State)> _posted = new();
    private readonly SemaphoreSlim _posts = new(0);

    public int Pending => _posted.Count;

    public override void Post(SendOrPostCallback d, object? state)
    {
        _posted.Enqueue((d, state));
        _posts.Release();
    }

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("The test context only queues posts.");

    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Runs everything posted so far (and anything those post), as the current context; returns how many ran.</summary>
    public int Pump()
    {
        var previous = Current;
        SetSynchronizationContext(this);
        try
        {
            int n = 0;
            while (_posted.TryDequeue(out var work))
            {
                _posts.Wait(0);
                work.Callback(work.State);
                n++;
            }
            return n;
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }

    /// <summary>Waits (bounded) until something has been posted from another thread.</summary>
    public void WaitForPost()
    {
        if (!_posts.Wait(TimeSpan.FromSeconds(30))) throw new TimeoutException("Nothing was posted to the context.");
        _posts.Release(); // leave the count for Pump to take
    }

    /// <summary>Makes this the current thread's context until disposed.</summary>
    public IDisposable Install()
    {
        var previous = Current;
        SetSynchronizationContext(this);
        return new Restore(previous);
    }

    /// <summary>Makes the current thread have no context until disposed.</summary>
    public static IDisposable None()
    {
        var previous = Current;
        SetSynchronizationContext(null);
        return new Restore(previous);
    }

    private sealed class Restore(SynchronizationContext? previous) : IDisposable
    {
        public void Dispose() => SetSynchronizationContext(previous);
    }
}
