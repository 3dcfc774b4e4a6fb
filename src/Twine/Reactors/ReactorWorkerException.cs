namespace Twine.Reactors;

/// <summary>
/// One worker of a <see cref="ReactorGroup"/> failed: its reactor could not be created or crashed, or its setup action
/// threw (or returned a failed Deferred). <see cref="Exception.InnerException"/> is the original error.
/// </summary>
/// <example>
/// <code>
/// try { group.Run(Setup); }
/// catch (AggregateException e) { foreach (ReactorWorkerException w in e.InnerExceptions) Console.WriteLine($"worker {w.Worker}: {w.InnerException!.Message}"); }
/// </code>
/// </example>
public sealed class ReactorWorkerException : Exception
{
    /// <summary>Creates the exception for <paramref name="worker"/>.</summary>
    public ReactorWorkerException(int worker, Exception inner)
        : base($"Reactor worker {worker} failed: {inner?.Message}", inner)
    {
        Worker = worker;
    }

    /// <summary>The worker number (0 to the group's count - 1).</summary>
    public int Worker { get; }
}
