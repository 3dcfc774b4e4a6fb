using System.Runtime.CompilerServices;
using Twine.Defer;
using Twine.Logging;

namespace Twine.Reactors;

// Twisted's task.react (R1, R2): run a main function, stop when it is done, return an exit code.
public sealed partial class Reactor
{
    /// <summary>
    /// Creates a reactor, calls <paramref name="main"/>, runs the reactor until the Deferred it returns fires, and
    /// returns the process exit code (R1): 0 on success; the code of a <see cref="SystemExitException"/>; 1 for any
    /// other failure, logged as "main function encountered error"; 128 + the signal number if SIGINT/SIGTERM stopped
    /// the reactor before <paramref name="main"/> finished. Signal handlers are installed unless
    /// <paramref name="options"/> says otherwise.
    /// </summary>
    /// <example>
    /// <code>
    /// static int Main(string[] args) => Reactor.React(async (reactor, argv) =>
    /// {
    ///     await reactor.Sleep(TimeSpan.FromSeconds(1));
    ///     Console.WriteLine($"Hello, {argv[0]}");
    /// }, args);
    /// </code>
    /// </example>
    /// <remarks>
    /// An <c>async</c> lambda binds to this overload (it has priority over the <see cref="Task"/> one), so it is an
    /// <c>async Deferred</c> lambda: it runs synchronously up to its first pending await, as Twisted's coroutines under
    /// <c>react</c> do, and its awaits resume on the reactor thread.
    /// </remarks>
    [OverloadResolutionPriority(1)]
    public static int React(Func<Reactor, string[], Deferred> main, string[] args, ReactorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(main);
        using var reactor = Create(options);
        return React(reactor, main, args);
    }

    /// <summary>
    /// As <see cref="React(Func{Reactor, string[], Deferred}, string[], ReactorOptions?)"/> for a main function that
    /// returns a <see cref="Task"/>, such as an existing <c>async Task</c> method. Its awaits resume on the reactor thread.
    /// </summary>
    /// <example>
    /// <code>
    /// static async Task RunAsync(Reactor reactor, string[] args)
    /// {
    ///     await Task.Delay(TimeSpan.FromSeconds(1), reactor.TimeProvider);
    ///     Console.WriteLine("done");
    /// }
    ///
    /// static int Main(string[] args) => Reactor.React(RunAsync, args);
    /// </code>
    /// </example>
    public static int React(Func<Reactor, string[], Task> main, string[] args, ReactorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(main);
        using var reactor = Create(options);
        return React(reactor, main, args);
    }

    /// <summary>React on a given reactor (tests, and hosts that configure the reactor first).</summary>
    internal static int React(Reactor reactor, Func<Reactor, string[], Task> main, string[] args) =>
        React(reactor, (r, a) => r.FromTask(main(r, a)), args);

    /// <summary>React on a given reactor (tests, and hosts that configure the reactor first).</summary>
    internal static int React(Reactor reactor, Func<Reactor, string[], Deferred> main, string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        int code = 0;
        bool stopping = false;
        bool finished = false;
        reactor.AddSystemEventTrigger(SystemEventPhase.Before, Shutdown, () => { stopping = true; });

        void Finish(Failure? failure, bool stopReactor)
        {
            finished = true;
            if (stopReactor)
            {
                try
                {
                    reactor.Stop();
                }
                catch (ReactorNotRunningException)
                {
                    // Someone else stopped it first (R2).
                }
            }
            if (failure is null) return;
            if (failure.Value is SystemExitException exit)
            {
                code = exit.Code;
            }
            else
            {
                Log.Error("main function encountered error", failure);
                code = 1;
            }
        }

        // main runs before the loop, as in Twisted, but already under the reactor's SynchronizationContext and Promise
        // scheduler: an async main's first await must capture them, or its continuations would run on the thread pool.
        Deferred result;
        var previous = SynchronizationContext.Current;
        var previousScheduler = reactor.InstallScheduler();
        SynchronizationContext.SetSynchronizationContext(reactor._syncContext);
        try
        {
            result = main(reactor, args) ?? throw new InvalidOperationException("The main function returned null instead of a Deferred.");
        }
        catch (Exception ex)
        {
            result = Deferred.Fail(ex);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
            RestoreScheduler(previousScheduler);
        }

        Failure? mainFailure = null;
        result.AddErrback(f => { mainFailure = f; }).AddBoth(() =>
        {
            // A synchronous result still starts the reactor and then stops it (R2).
            if (stopping) Finish(mainFailure, stopReactor: false);
            else reactor.CallWhenRunning(() => Finish(mainFailure, stopReactor: true));
        });
        reactor.Run();
        if (!finished && reactor.ExitSignal is { } signal) return 128 + signal;
        return code;
    }

    /// <summary>A Deferred that fires on the reactor thread when <paramref name="task"/> completes.</summary>
    private Deferred<Unit> FromTask(Task task)
    {
        ArgumentNullException.ThrowIfNull(task, "The main function returned a null Task.");
        var d = new Deferred<Unit>();
        if (task.IsCompleted) Complete(d, task);
        else task.ContinueWith(t => CallFromThread(() => Complete(d, t)), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return d;

        static void Complete(Deferred<Unit> d, Task t)
        {
            if (t.IsCanceled) d.Errback(new TaskCanceledException(t));
            else if (t.Exception is { } aggregate) d.Errback(aggregate.InnerExceptions.Count == 1 ? aggregate.InnerException! : aggregate);
            else d.Callback();
        }
    }
}
