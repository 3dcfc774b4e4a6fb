using Twine.Reactors;
using Twine.Testing;

namespace Twine.Interop.Tests.Framing;


/// <summary>A real reactor for one test, run on the test thread under a guard so that no test can hang.</summary>
internal static class InteropReactor
{
    /// <summary>How long one conversation may take before the guard fails the test. A guard, not a timing assertion.</summary>
    public static readonly TimeSpan GuardLimit = TimeSpan.FromSeconds(90);

    /// <summary>A reactor without signal handlers: tests run in parallel and must not take over SIGINT.</summary>
    public static Reactor Create() => Reactor.Create(new ReactorOptions { InstallSignalHandlers = false });

    /// <summary>
    /// Runs <paramref name="reactor"/> until something stops it. A timer crashes it after <see cref="GuardLimit"/> and
    /// fails the test with <paramref name="diagnostics"/> (typically the peer's output).
    /// </summary>
    public static void RunGuarded(Reactor reactor, Func<string> diagnostics) => reactor.RunGuarded(GuardLimit, diagnostics);

    /// <summary>Stops the reactor if it is still running; safe from any thread and safe to call twice.</summary>
    public static void StopSoon(Reactor reactor)
    {
        if (!reactor.IsInReactorThread)
        {
            reactor.CallFromThread(() => StopSoon(reactor));
            return;
        }
        try
        {
            reactor.Stop();
        }
        catch (ReactorNotRunningException)
        {
            // Already stopping.
        }
    }
}
