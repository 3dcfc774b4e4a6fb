using System.Diagnostics;
using Twine.Logging;
using Twine.Reactors;
using Twine.Testing;

namespace Twine.Tests.Reactors;


/// <summary>Creating reactors for tests, and running them with a guard so that no test can hang.</summary>
internal static class ReactorTesting
{
    /// <summary>How long a guarded run may take before the guard fails the test. A guard, not a timing assertion.</summary>
    public static readonly TimeSpan GuardLimit = TimeSpan.FromSeconds(30);

    public static TheoryData<ReactorBackend> Backends => new() { ReactorBackend.Epoll, ReactorBackend.Poll };

    public static Reactor Create(ReactorBackend backend, bool signals = false) =>
        Reactor.Create(new ReactorOptions { Backend = backend, InstallSignalHandlers = signals });

    /// <summary>
    /// Runs the reactor on the test thread. A CallLater safety guard crashes it after <see cref="GuardLimit"/> of real
    /// time and fails the test.
    /// </summary>
    public static void RunGuarded(Reactor reactor) => reactor.RunGuarded(GuardLimit);

    /// <summary>
    /// Runs the reactor with a watchdog thread instead of a timer (for tests that need the timer heap empty). The
    /// watchdog crashes the reactor through CallFromThread if the run takes longer than <see cref="GuardLimit"/>.
    /// </summary>
    public static void RunWatched(Reactor reactor)
    {
        using var done = new ManualResetEventSlim();
        bool tripped = false;
        var watchdog = new Thread(() =>
        {
            if (done.Wait(GuardLimit)) return;
            tripped = true;
            reactor.CallFromThread(reactor.Crash);
        }) { IsBackground = true };
        watchdog.Start();
        try
        {
            reactor.Run();
        }
        finally
        {
            done.Set();
            watchdog.Join();
        }
        Assert.False(tripped, $"The reactor was still running after {GuardLimit.TotalSeconds} s: watchdog tripped.");
    }

    /// <summary>Waits for an event set by another thread, failing the test instead of hanging.</summary>
    public static void WaitOrFail(ManualResetEventSlim e, string what)
    {
        Assert.True(e.Wait(GuardLimit), $"Timed out waiting for {what}.");
    }

    /// <summary>Collects log events whose message (or exception message) contains a marker: other tests log concurrently.</summary>
    public sealed class LogCapture : IDisposable
    {
        private readonly string _marker;
        private readonly List<LogEvent> _events = [];

        public LogCapture(string marker)
        {
            _marker = marker;
            Log.Observed += OnEvent;
        }

        public IReadOnlyList<LogEvent> Events
        {
            get { lock (_events) return [.. _events]; }
        }

        private void OnEvent(LogEvent e)
        {
            if (e.Message.Contains(_marker, StringComparison.Ordinal) ||
                (e.Failure?.Value.Message.Contains(_marker, StringComparison.Ordinal) ?? false))
                lock (_events) _events.Add(e);
        }

        public void Dispose() => Log.Observed -= OnEvent;
    }

    /// <summary>Elapsed real time, for the few conformance checks that must tell "woken" from "timed out".</summary>
    public static TimeSpan Elapsed(Action action)
    {
        var sw = Stopwatch.StartNew();
        action();
        return sw.Elapsed;
    }
}
