namespace Twine.Benchmarks;

/// <summary>
/// A TaskScheduler that queues every task and runs them only when told to, on the calling thread: the Task
/// counterpart of <c>ManualCallSoon</c>, so a ContinueWith chain can be driven exactly as a Promise chain is
/// (every step queued, then run until idle). Like ManualCallSoon it takes a lock around its queue.
/// </summary>
internal sealed class ManualTaskScheduler : TaskScheduler
{
    private readonly Queue<Task> _queue = new();
    private readonly Lock _lock = new();

    protected override void QueueTask(Task task)
    {
        lock (_lock) _queue.Enqueue(task);
    }

    // Never inline: continuations must go through the queue, as promise handlers always do.
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => false;

    protected override IEnumerable<Task> GetScheduledTasks()
    {
        lock (_lock) return _queue.ToArray();
    }

    public int RunUntilIdle()
    {
        int ran = 0;
        while (true)
        {
            Task? task;
            lock (_lock)
            {
                if (!_queue.TryDequeue(out task)) return ran;
            }
            TryExecuteTask(task);
            ran++;
        }
    }
}
