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
        ArgumentNullException.ThrowIfNull(args);
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
        ArgumentNullException.ThrowIfNull(args);
        using var reactor = Create(options);
        return React(reactor, main, args);
    }

    /// <summary>
    /// As <see cref="React(Func{Reactor, string[], Deferred}, string[], ReactorOptions?)"/> on a reactor the caller
    /// made, given by its role: a configured <see cref="Reactor"/> (which React neither creates nor disposes), or a
    /// test double such as <c>Twine.Testing.MemoryReactorClock</c>, as Twisted's tests pass <c>_reactor=</c>. The main
    /// function receives the reactor with its own type, so it can use every role that type has.
    /// </summary>
    /// <example>
    /// <code>
    /// var reactor = new MemoryReactorClock();
    /// int code = Reactor.React(reactor, (r, _) => r.DeferLater(TimeSpan.FromHours(1), () => 0), []);
    /// Assert.Equal(0, code);
    /// Assert.Equal(TimeSpan.FromHours(1), reactor.Now);   // an hour, in no time
    /// </code>
    /// </example>
    [OverloadResolutionPriority(1)]
    public static int React<TReactor>(TReactor reactor, Func<TReactor, string[], Deferred> main, string[] args)
        where TReactor : IReactorCore
    {
        ArgumentNullException.ThrowIfNull(reactor);
        ArgumentNullException.ThrowIfNull(main);
        ArgumentNullException.ThrowIfNull(args);
        return ReactOn(reactor, () => main(reactor, args));
    }

    /// <summary>As <see cref="React{TReactor}(TReactor, Func{TReactor, string[], Deferred}, string[])"/> for a main function that returns a <see cref="Task"/>.</summary>
    /// <remarks>
    /// On a test double, which has no thread of its own, the task must finish on the test's thread: await Deferreds
    /// (they resume inline), not tasks that complete on the .NET thread pool.
    /// </remarks>
    /// <example>
    /// <code>
    /// int code = Reactor.React(new MemoryReactorClock(), async (r, _) => await r.Sleep(TimeSpan.FromMinutes(5)), []);
    /// </code>
    /// </example>
    public static int React<TReactor>(TReactor reactor, Func<TReactor, string[], Task> main, string[] args)
        where TReactor : IReactorCore
    {
        ArgumentNullException.ThrowIfNull(reactor);
        ArgumentNullException.ThrowIfNull(main);
        ArgumentNullException.ThrowIfNull(args);
        // Called under the reactor's context (ReactOn), so Deferred.FromTask delivers the task's end on its thread.
        return ReactOn(reactor, () => Deferred.FromTask(main(reactor, args) ?? throw new InvalidOperationException("The main function returned a null Task.")));
    }

    /// <summary>The body of react (R1, R2), on any <see cref="IReactorCore"/>.</summary>
    private static int ReactOn(IReactorCore reactor, Func<Deferred> main)
    {
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
                if (exit.UserMessage is { } message) Console.Error.WriteLine(message);
            }
            else
            {
                Log.Error(LogEventId.MainFunctionFailed, typeof(Reactor), "main function encountered error", failure);
                code = 1;
            }
        }

        // main runs before the loop, as in Twisted, but on a real reactor already under its SynchronizationContext and
        // Promise scheduler: an async main's first await must capture them, or its continuations would run on the
        // thread pool. A test double runs everything on the test's thread and needs neither: main runs with no context
        // at all, so that a context the caller happens to have (a test framework's) cannot make its awaits resume
        // elsewhere, later, after the double's Run has returned.
        Deferred result;
        var real = reactor as Reactor;
        var previous = SynchronizationContext.Current;
        var previousScheduler = real?.InstallScheduler();
        SynchronizationContext.SetSynchronizationContext(real?._syncContext);
        try
        {
            result = main() ?? throw new InvalidOperationException("The main function returned null instead of a Deferred.");
        }
        catch (Exception ex)
        {
            result = Deferred.Fail(ex);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
            if (real is not null) RestoreScheduler(previousScheduler);
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
}
