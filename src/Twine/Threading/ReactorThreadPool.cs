using Twine.Logging;

namespace Twine.Threading;

/// <summary>
/// The reactor's bounded pool of worker threads (TH2): threads are created on demand, up to <see cref="MaxThreads"/>,
/// once the pool is started; work queued earlier waits. <see cref="Stop"/> lets queued work finish and joins every
/// thread, so no pool thread outlives the reactor's shutdown.
/// </summary>
/// <remarks>
/// Twine runs its own threads rather than using the .NET thread pool because blocking work (DNS, file I/O, legacy
/// libraries) is exactly what is sent here, and a handful of long blockers would starve the shared pool that
/// <c>Task</c> continuations and timers elsewhere in the process depend on. Idle workers stay until the pool stops,
/// as in Twisted.
/// </remarks>
public sealed class ReactorThreadPool
{
    private readonly object _gate = new();
    private readonly Queue<Action> _work = new();
    private readonly List<Thread> _threads = [];
    private int _maxThreads;
    private int _idle;
    private int _starting;   // threads created but not yet in their loop: they will take work too
    private bool _started;
    private bool _stopping;

    /// <summary>Makes a pool of at most <paramref name="maxThreads"/> threads; it runs work once <see cref="Start"/> is called.</summary>
    public ReactorThreadPool(int maxThreads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxThreads, 1);
        _maxThreads = maxThreads;
    }

    /// <summary>The most threads the pool will run at once.</summary>
    public int MaxThreads
    {
        get { lock (_gate) return _maxThreads; }
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            lock (_gate)
            {
                _maxThreads = value;
                SpawnIfNeeded();
            }
        }
    }

    /// <summary>True between <see cref="Start"/> and <see cref="Stop"/>.</summary>
    public bool IsStarted
    {
        get { lock (_gate) return _started && !_stopping; }
    }

    /// <summary>True once <see cref="Stop"/> has run: the pool takes no more work and its threads have been joined.</summary>
    public bool IsJoined
    {
        get { lock (_gate) return _stopping; }
    }

    /// <summary>How many threads the pool has made so far (they live until <see cref="Stop"/>).</summary>
    public int ThreadCount
    {
        get { lock (_gate) return _threads.Count; }
    }

    /// <summary>The threads the pool has created (for tests: all are dead once <see cref="Stop"/> returns).</summary>
    public Thread[] Threads
    {
        get { lock (_gate) return [.. _threads]; }
    }

    /// <summary>Starts running work, including work queued before now.</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (_stopping) throw new InvalidOperationException("The thread pool has been stopped.");
            _started = true;
            SpawnIfNeeded();
        }
    }

    /// <summary>Queues <paramref name="work"/> to run on a pool thread. Any thread.</summary>
    /// <exception cref="InvalidOperationException">The pool has been stopped.</exception>
    public void CallInThread(Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        lock (_gate)
        {
            if (_stopping) throw new InvalidOperationException("The reactor's thread pool has been stopped.");
            _work.Enqueue(work);
            // Counted against idle threads that may not have woken yet, so a burst spawns threads instead of
            // piling onto one sleeper.
            if (_work.Count <= _idle) Monitor.Pulse(_gate);
            else SpawnIfNeeded();
        }
    }

    /// <summary>Lets queued work finish (if the pool was started), then ends and joins every thread (blocks the caller until then).</summary>
    public void Stop()
    {
        Thread[] threads;
        lock (_gate)
        {
            if (_stopping) return;
            _stopping = true;
            // A pool that never started has no thread to run its queue: that work is dropped, as in Twisted.
            if (!_started) _work.Clear();
            Monitor.PulseAll(_gate);
            threads = [.. _threads];
        }
        foreach (var thread in threads)
            if (thread != Thread.CurrentThread) thread.Join();
    }

    private void SpawnIfNeeded()
    {
        // Called under the lock. One new thread per queued item that no idle or starting thread will take.
        if (_idle > 0) Monitor.PulseAll(_gate);
        while (_started && !_stopping && _threads.Count < _maxThreads && _work.Count > _idle + _starting)
            StartThread();
    }

    private void StartThread()
    {
        var thread = new Thread(WorkerLoop)
        {
            IsBackground = true,
            Name = $"twine-pool-{_threads.Count + 1}",
        };
        _threads.Add(thread);
        _starting++;
        thread.Start();
    }

    private void WorkerLoop()
    {
        lock (_gate) _starting--;
        while (true)
        {
            Action work;
            lock (_gate)
            {
                while (_work.Count == 0)
                {
                    if (_stopping) return;
                    _idle++;
                    Monitor.Wait(_gate);
                    _idle--;
                }
                work = _work.Dequeue();
            }
            try
            {
                work();
            }
            catch (Exception ex)
            {
                Log.Error(LogEventId.ThreadPoolWorkFailed, typeof(ReactorThreadPool), $"Unhandled error in thread pool work {work.Method.DeclaringType?.Name}.{work.Method.Name}", ex);
            }
        }
    }
}
