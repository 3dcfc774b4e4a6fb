using Twine.Defer;
using Twine.Reactors;
using Twine.Time;
using static Twine.Tests.Reactors.ReactorTesting;

namespace Twine.Tests.Reactors;

/// <summary>Timed calls on a real reactor (RT1, RT3–RT6) and the loop's waiting rules.</summary>
public sealed class ReactorTimeTests
{
    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void RT1_CallLaterZeroFromATimedCallRunsOnALaterIteration(ReactorBackend backend)
    {
        using var reactor = Create(backend);
        long outer = -1, inner = -1;
        reactor.CallLater(TimeSpan.Zero, () =>
        {
            outer = reactor.Iterations;
            reactor.CallLater(TimeSpan.Zero, () =>
            {
                inner = reactor.Iterations;
                reactor.Stop();
            });
        });
        RunGuarded(reactor);
        Assert.True(inner > outer, $"inner ran in iteration {inner}, outer in {outer}");
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void RT1_NegativeDelayIsRejected(ReactorBackend backend)
    {
        using var reactor = Create(backend);
        Assert.Throws<ArgumentOutOfRangeException>(() => reactor.CallLater(TimeSpan.FromTicks(-1), () => { }));
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void RT3_EqualDeadlinesRunFirstInFirstOut(ReactorBackend backend)
    {
        using var reactor = Create(backend);
        var order = new List<int>();
        for (int i = 0; i < 20; i++) reactor.CallLater(TimeSpan.Zero, n => order.Add(n), i);
        reactor.CallLater(TimeSpan.Zero, reactor.Stop);
        reactor.CallWhenRunning(() => { });
        RunGuarded(reactor);
        Assert.Equal(Enumerable.Range(0, 20), order);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void RT4_AThrowingTimedCallIsLoggedAndTheLoopContinues(ReactorBackend backend)
    {
        using var reactor = Create(backend);
        using var log = new LogCapture("timer boom");
        var order = new List<string>();
        reactor.CallLater(TimeSpan.Zero, () => order.Add("first"));
        reactor.CallLater(TimeSpan.Zero, () => throw new InvalidOperationException("timer boom"));
        reactor.CallLater(TimeSpan.Zero, () => order.Add("third"));
        reactor.CallLater(TimeSpan.FromMilliseconds(1), () =>
        {
            order.Add("later");
            reactor.Stop();
        });
        RunGuarded(reactor);
        Assert.Equal(["first", "third", "later"], order);
        var entry = Assert.Single(log.Events);
        Assert.Contains("delayed call", entry.Message);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void RT5_ADistantCallDoesNotBreakTheLoopAndStaysPending(ReactorBackend backend)
    {
        using var reactor = Create(backend);
        // 2**40 s does not fit a TimeSpan (its maximum is about 2**39.7 s): TimeSpan.MaxValue is the C# "absurdly far",
        // and its due time saturates instead of wrapping into the past.
        var distant = reactor.CallLater(TimeSpan.FromSeconds(Math.Pow(2, 36)), () => Assert.Fail("must not run"));
        var tooFar = reactor.CallLater(TimeSpan.MaxValue, () => Assert.Fail("must not run"));
        // One iteration waiting on only these timers: the wait is clamped, not overflowed.
        reactor.Iterate();
        reactor.CallLater(TimeSpan.FromMilliseconds(1), reactor.Stop);
        RunGuarded(reactor);
        Assert.True(distant.IsActive);
        Assert.True(tooFar.IsActive);
        Assert.Contains(distant, reactor.GetDelayedCalls());
        distant.Cancel();
        tooFar.Cancel();
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void RT5_TheWaitForTheNextTimerIsClampedAndRoundedUp(ReactorBackend backend)
    {
        using var reactor = Create(backend);
        var call = reactor.CallLater(TimeSpan.MaxValue, () => { });
        // Iterate's own limit is 0 here; the internal computation without a caller limit is what Run uses.
        Assert.Equal(2_147_483_000, reactor.PollTimeoutForTests());
        call.Cancel();
        Assert.Equal(-1, reactor.PollTimeoutForTests());
        var soon = reactor.CallLater(TimeSpan.FromTicks(10), () => { });   // 1 µs: rounded up, never 0
        int timeout = reactor.PollTimeoutForTests();
        Assert.InRange(timeout, 0, 1);
        soon.Cancel();
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void RT6_GetDelayedCallsListsPendingCallsOnly(ReactorBackend backend)
    {
        using var reactor = Create(backend);
        var a = reactor.CallLater(TimeSpan.FromSeconds(10), () => { });
        var b = reactor.CallLater(TimeSpan.FromSeconds(5), () => { });
        var c = reactor.CallLater(TimeSpan.FromSeconds(7), () => { });
        c.Cancel();
        Assert.Equal(new IDelayedCall[] { b, a }, reactor.GetDelayedCalls());
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void ATimerWakesAnOtherwiseIdleReactor(ReactorBackend backend)
    {
        using var reactor = Create(backend);
        var fired = TimeSpan.Zero;
        var start = reactor.Now;
        reactor.CallLater(TimeSpan.FromMilliseconds(20), () =>
        {
            fired = reactor.Now;
            reactor.Stop();
        });
        RunGuarded(reactor);
        // Never early (monotonic time, rounded-up waits).
        Assert.True(fired - start >= TimeSpan.FromMilliseconds(20), $"fired after {(fired - start).TotalMilliseconds} ms");
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void TimeProviderRunsTaskDelayOnReactorTime(ReactorBackend backend)
    {
        using var reactor = Create(backend);
        bool resumedOnReactor = false;
        reactor.CallWhenRunning(async () =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5), reactor.TimeProvider);
            resumedOnReactor = reactor.IsInReactorThread;
            reactor.Stop();
        });
        RunGuarded(reactor);
        Assert.True(resumedOnReactor);
        var wall = reactor.TimeProvider.GetUtcNow();
        Assert.InRange(wall, DateTimeOffset.UtcNow - TimeSpan.FromMinutes(1), DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1));
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void TimeProviderTimersMadeOnOtherThreadsRunOnTheReactor(ReactorBackend backend)
    {
        // Task.Delay and CancellationTokenSource create and dispose timers on whatever thread uses them; those
        // operations must reach the reactor's timer queue through the reactor thread, never touch it directly.
        using var reactor = Create(backend);
        const int Workers = 8;
        int firedOnReactor = 0, firedElsewhere = 0, cancelledTokens = 0;
        Failure? fault = null;
        reactor.CallWhenRunning(() =>
        {
            var tasks = Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
            {
                // The timer is armed only after the callback is registered: registering on a token that is already
                // cancelled runs the callback at once on the registering thread (a .NET rule), which a loaded machine
                // would turn into a false "fired elsewhere".
                using var cts = new CancellationTokenSource(Timeout.InfiniteTimeSpan, reactor.TimeProvider);
                var callbackRan = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var registration = cts.Token.Register(() =>
                {
                    if (reactor.IsInReactorThread) Interlocked.Increment(ref firedOnReactor);
                    else Interlocked.Increment(ref firedElsewhere);
                    callbackRan.TrySetResult();
                });
                cts.CancelAfter(TimeSpan.FromMilliseconds(2));
                // A timer made and dropped again off the reactor thread, before it can fire.
                using (var unused = new CancellationTokenSource(TimeSpan.FromHours(1), reactor.TimeProvider)) { }
                await Task.Delay(TimeSpan.FromMilliseconds(5), reactor.TimeProvider).ConfigureAwait(false);
                // IsCancellationRequested turns true when Cancel starts, before it runs the callbacks: disposing the
                // registration then could drop a callback that has not run yet. Wait for the callback itself.
                await callbackRan.Task.ConfigureAwait(false);
                if (cts.IsCancellationRequested) Interlocked.Increment(ref cancelledTokens);
                registration.Dispose();
            })).ToArray();
            _ = Deferred.FromTask(Task.WhenAll(tasks)).AddBoth(outcome =>
            {
                fault = outcome.Failure;
                reactor.Stop();
            });
        });
        RunGuarded(reactor);
        Assert.Null(fault);
        Assert.Equal(Workers, cancelledTokens);
        Assert.Equal(Workers, firedOnReactor);
        Assert.Equal(0, firedElsewhere);
        Assert.Empty(reactor.GetDelayedCalls());
    }
}
