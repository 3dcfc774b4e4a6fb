using Twine.Reactors;

namespace Twine.Testing;

/// <summary>
/// Running a real reactor in a test so that the test cannot hang: a timer crashes the reactor after a limit and the
/// run then fails. The one home of this rule for Twine's own test projects, and usable by yours.
/// </summary>
/// <example>
/// <code>
/// reactor.CallLater(TimeSpan.FromMilliseconds(10), reactor.Stop);
/// reactor.RunGuarded(TimeSpan.FromSeconds(30));   // throws TimeoutException if still running after 30 s
/// </code>
/// </example>
public static class GuardedRun
{
    /// <summary>
    /// Runs <paramref name="reactor"/> on the calling thread until something stops it. If it is still running after
    /// <paramref name="limit"/> of its own time, a timer crashes it and this throws. A safety net, not a timing
    /// assertion: choose a limit far above what the test needs. On a reactor with a manual clock
    /// (<see cref="ReactorOptions.Clock"/>) the guard would itself be a timer the clock jumps to: watch such runs from
    /// another thread instead.
    /// </summary>
    /// <param name="reactor">A reactor that is not running.</param>
    /// <param name="limit">How long the run may take.</param>
    /// <param name="diagnostics">Text appended to the failure message, such as a peer process's output.</param>
    /// <exception cref="TimeoutException">The guard tripped.</exception>
    public static void RunGuarded(this Reactor reactor, TimeSpan limit, Func<string>? diagnostics = null)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        bool tripped = false;
        var guard = reactor.CallLater(limit, () =>
        {
            tripped = true;
            reactor.Crash();
        });
        reactor.Run();
        if (guard.IsActive) guard.Cancel();
        if (tripped)
            throw new TimeoutException($"The reactor was still running after {limit.TotalSeconds} s: guard tripped.{diagnostics?.Invoke()}");
    }
}
