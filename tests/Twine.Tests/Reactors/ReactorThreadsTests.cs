using Twine.Threading;
using Twine.Defer;
using Twine.Reactors;
using static Twine.Tests.Reactors.ReactorTesting;

namespace Twine.Tests.Reactors;

/// <summary>CallFromThread, the thread pool, DeferToThread and BlockingCallFromThread on a real reactor (TH1–TH6).</summary>
public sealed class ReactorThreadsTests
{
    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void TH1_CallFromThreadRunsOnTheReactorThreadInOrder(ReactorBackend backend)
    {
        using var reactor = Create(backend);
        var order = new List<int>();
        bool onReactor = true;
        reactor.CallWhenRunning(() =>
        {
            var producer = new Thread(() =>
            {
                for (int i = 0; i < 100; i++)
                    reactor.CallFromThread(n =>
                    {
                        onReactor &= reactor.IsInReactorThread;
                        order.Add(n);
                        if (n == 99) reactor.Stop();
                    }, i);
            });
            producer.Start();
        });
        RunGuarded(reactor);
        Assert.Equal(Enumerable.Range(0, 100), order);
        Assert.True(onReactor);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void TH1_CallsMadeBeforeRunRunOnceTheReactorRuns(ReactorBackend backend)
    {
        using var reactor = Create(backend);
        var order = new List<string>();
        var queued = new Thread(() =>
        {
            reactor.CallFromThread(() => order.Add($"thread call running={reactor.IsRunning}"));
            reactor.CallFromThread(reactor.Stop);
        });
        queued.Start();
        queued.Join();
        Assert.Empty(order);
        reactor.CallWhenRunning(() => order.Add("startup"));
        RunGuarded(reactor);
        Assert.Equal(["startup", "thread call running=True"], order);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void TH1_ACallQueuedInsideAThreadCallRunsOnALaterIteration(ReactorBackend backend)
    {
        using var reactor = Create(backend);
        long outer = -1, inner = -1;
        reactor.CallFromThread(() =>
        {
            outer = reactor.Iterations;
            reactor.CallFromThread(() =>
            {
                inner = reactor.Iterations;
                reactor.Stop();
            });
        });
        RunGuarded(reactor);
        Assert.True(inner > outer, $"inner ran in iteration {inner}, outer in {outer}");
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void TH1_CallFromThreadFromADelayedCallIsProcessedPromptly(ReactorBackend backend)
    {
        using var reactor = Create(backend);
        long scheduled = -1, ran = -1;
        reactor.CallLater(TimeSpan.Zero, () =>
        {
            scheduled = reactor.Iterations;
            reactor.CallFromThread(() =>
            {
                ran = reactor.Iterations;
                reactor.Stop();
            });
        });
        RunWatched(reactor);   // no guard timer: nothing else could end the wait if the call were not noticed
        Assert.Equal(scheduled + 1, ran);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void TH1_FourThreadsTimesTenThousandCallsRunInPerThreadOrder(ReactorBackend backend)
    {
        const int Threads = 4, PerThread = 10_000;
        using var reactor = Create(backend);
        var next = new int[Threads];
        int total = 0;
        bool inOrder = true;
        reactor.CallWhenRunning(() =>
        {
            for (int t = 0; t < Threads; t++)
            {
                int thread = t;
                new Thread(() =>
                {
                    for (int i = 0; i < PerThread; i++)
                        reactor.CallFromThread(s =>
                        {
                            inOrder &= next[s.thread] == s.i;
                            next[s.thread] = s.i + 1;
                            if (++total == Threads * PerThread) reactor.Stop();
                        }, (thread, i));
                }) { IsBackground = true }.Start();
            }
        });
        RunGuarded(reactor);
        Assert.True(inOrder);
        Assert.Equal(Threads * PerThread, total);
        Assert.All(next, n => Assert.Equal(PerThread, n));
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void TH1_AThrowingThreadCallIsLoggedAndTheRestRun(ReactorBackend backend)
    {
        using var reactor = Create(backend);
        using var log = new LogCapture("thread call boom");
        var order = new List<int>();
        reactor.CallFromThread(() => order.Add(1));
        reactor.CallFromThread(() => throw new InvalidOperationException("thread call boom"));
        reactor.CallFromThread(() => order.Add(3));
        reactor.CallFromThread(reactor.Stop);
        RunGuarded(reactor);
        Assert.Equal([1, 3], order);
        Assert.Contains("another thread", Assert.Single(log.Events).Message);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void IdleReactorSleepsInThePollWithNoLimit(ReactorBackend backend)
    {
        // Nothing scheduled (RunWatched has no guard timer): every wait must be either unlimited or zero (zero when the
        // next call is already queued), never a timed wake-up, and the loop must turn a bounded number of times per
        // round trip, however long the other thread takes to answer.
        const int RoundTrips = 100;
        using var reactor = Create(backend);
        long iterationsAtStart = 0, infiniteAtStart = 0, timedAtStart = 0;
        reactor.CallWhenRunning(() =>
        {
            iterationsAtStart = reactor.Iterations;
            infiniteAtStart = reactor.InfiniteWaits;
            timedAtStart = reactor.TimedWaits;
            new Thread(() =>
            {
                using var ack = new ManualResetEventSlim();
                for (int i = 0; i < RoundTrips; i++)
                {
                    ack.Reset();
                    reactor.CallFromThread(ack.Set);
                    if (!ack.Wait(GuardLimit)) return;   // the watchdog fails the test
                }
                reactor.CallFromThread(reactor.Stop);
            }) { IsBackground = true }.Start();
        });
        RunWatched(reactor);
        long iterations = reactor.Iterations - iterationsAtStart;
        long infinite = reactor.InfiniteWaits - infiniteAtStart;
        Assert.InRange(iterations, RoundTrips, 3 * RoundTrips + 5);
        Assert.InRange(infinite, 1, iterations);
        Assert.Equal(0, reactor.TimedWaits - timedAtStart);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void TH2_ThePoolStartsWithTheReactorAndIsJoinedBeforeRunReturns(ReactorBackend backend)
    {
        using var reactor = Create(backend);
        var pool = reactor.GetThreadPool();
        Assert.False(pool.IsStarted);
        using var ran = new ManualResetEventSlim();
        reactor.CallInThread(ran.Set);     // queued before the pool starts
        Assert.False(ran.IsSet);
        reactor.CallWhenRunning(() =>
        {
            Assert.True(pool.IsStarted);
            reactor.CallInThread(() => reactor.CallFromThread(reactor.Stop));
        });
        RunGuarded(reactor);
        Assert.True(ran.IsSet);
        Assert.NotEmpty(pool.Threads);
        Assert.All(pool.Threads, t => Assert.False(t.IsAlive));
        Assert.Null(reactor.ThreadPoolIfCreated);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void TH2_APoolCreatedAfterTheReactorRanStartsAtOnceAndStopsAtShutdown(ReactorBackend backend)
    {
        using var reactor = Create(backend);
        ReactorThreadPool? pool = null;
        reactor.CallWhenRunning(() =>
        {
            pool = reactor.GetThreadPool();
            Assert.True(pool.IsStarted);
            reactor.Stop();
        });
        RunGuarded(reactor);
        Assert.False(pool!.IsStarted);
        Assert.Null(reactor.ThreadPoolIfCreated);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void TH2_SuggestThreadPoolSizeBoundsConcurrency(ReactorBackend backend)
    {
        using var reactor = Create(backend);
        reactor.SuggestThreadPoolSize(2);
        Assert.Equal(2, reactor.GetThreadPool().MaxThreads);
        int running = 0, peak = 0, done = 0;
        using var release = new ManualResetEventSlim();
        reactor.CallWhenRunning(() =>
        {
            for (int i = 0; i < 6; i++)
                reactor.CallInThread(() =>
                {
                    int now = Interlocked.Increment(ref running);
                    InterlockedMax(ref peak, now);
                    if (now == 2) release.Set();
                    release.Wait(GuardLimit);
                    Interlocked.Decrement(ref running);
                    if (Interlocked.Increment(ref done) == 6) reactor.CallFromThread(reactor.Stop);
                });
        });
        RunGuarded(reactor);
        Assert.Equal(2, peak);
        Assert.Equal(2, reactor.GetThreadPool().MaxThreads);   // a new pool after shutdown keeps the suggestion
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current) { }
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void TH3_CallInThreadRunsOffTheReactorThread(ReactorBackend backend)
    {
        using var reactor = Create(backend);
        bool? inPool = null, inReactor = null;
        reactor.CallWhenRunning(() =>
        {
            inReactor = reactor.IsInReactorThread;
            reactor.CallInThread(() =>
            {
                inPool = reactor.IsInReactorThread;
                reactor.CallFromThread(reactor.Stop);
            });
        });
        RunGuarded(reactor);
        Assert.True(inReactor);
        Assert.False(inPool);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void TH4_DeferToThreadDeliversResultsAndFailuresOnTheReactorThread(ReactorBackend backend)
    {
        using var reactor = Create(backend);
        var results = new List<string>();
        reactor.CallWhenRunning(() =>
        {
            void Done()
            {
                if (results.Count == 3) reactor.Stop();
            }
            reactor.DeferToThread(() => reactor.IsInReactorThread ? "wrong thread" : "computed")
                .AddCallback(v => results.Add($"{v} on reactor={reactor.IsInReactorThread}")).AddCallback(Done);
            reactor.DeferToThread<int>(() => throw new InvalidOperationException("pool boom"))
                .AddErrback(f => results.Add($"{f.Value.Message} on reactor={reactor.IsInReactorThread}")).AddCallback(Done);
            reactor.DeferToThread(() => { }).AddCallback(() => results.Add("action done")).AddCallback(Done);
        });
        RunGuarded(reactor);
        Assert.Equal(3, results.Count);
        Assert.Contains("computed on reactor=True", results);
        Assert.Contains("pool boom on reactor=True", results);
        Assert.Contains("action done", results);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void TH5_BlockingCallFromThreadReturnsValuesAndRaisesFailures(ReactorBackend backend)
    {
        using var reactor = Create(backend);
        var seen = new List<string>();
        reactor.CallWhenRunning(() => reactor.CallInThread(() =>
        {
            seen.Add(reactor.BlockingCallFromThread(() => reactor.IsInReactorThread ? "sync on reactor" : "wrong"));
            seen.Add(reactor.BlockingCallFromThread(() =>
            {
                var d = new Deferred<string>();
                reactor.CallLater(TimeSpan.Zero, () => d.Callback("async"));
                return d;
            }));
            seen.Add(Assert.Throws<InvalidOperationException>(() =>
                reactor.BlockingCallFromThread<int>(() => throw new InvalidOperationException("sync error"))).Message);
            seen.Add(Assert.Throws<TimeoutException>(() => reactor.BlockingCallFromThread(() =>
            {
                var d = new Deferred<int>();
                reactor.CallLater(TimeSpan.Zero, () => d.Errback(new TimeoutException("async error")));
                return d;
            })).Message);
            reactor.CallFromThread(reactor.Stop);
        }));
        RunGuarded(reactor);
        Assert.Equal(["sync on reactor", "async", "sync error", "async error"], seen);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void TH5_BlockingCallFromThreadOnTheReactorThreadThrowsInsteadOfDeadlocking(ReactorBackend backend)
    {
        using var reactor = Create(backend);
        Exception? error = null;
        reactor.CallWhenRunning(() =>
        {
            error = Record.Exception(() => reactor.BlockingCallFromThread(() => 1));
            reactor.Stop();
        });
        RunGuarded(reactor);
        var invalid = Assert.IsType<InvalidOperationException>(error);
        Assert.Contains("reactor thread", invalid.Message);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void TH5_ABlockedCallerIsReleasedWhenTheReactorShutsDown(ReactorBackend backend)
    {
        // A pool thread blocked on a call the reactor will never run must not deadlock the shutdown that joins it.
        using var reactor = Create(backend);
        Exception? error = null;
        using var blocked = new ManualResetEventSlim();
        reactor.CallWhenRunning(() => reactor.CallInThread(() =>
        {
            error = Record.Exception(() => reactor.BlockingCallFromThread(() =>
            {
                blocked.Set();
                reactor.Stop();
                return new Deferred<int>();   // never fires
            }));
        }));
        RunGuarded(reactor);
        Assert.True(blocked.IsSet);
        Assert.IsType<ReactorNotRunningException>(error);
        Exception? afterShutdown = null;
        var late = new Thread(() => afterShutdown = Record.Exception(() => reactor.BlockingCallFromThread(() => 1)));
        late.Start();
        late.Join();
        Assert.IsType<ReactorNotRunningException>(afterShutdown);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void TH6_CallMultipleInThreadRunsInOrderOnOneThread(ReactorBackend backend)
    {
        using var reactor = Create(backend);
        var threads = new List<int>();
        var order = new List<int>();
        reactor.CallWhenRunning(() => reactor.CallMultipleInThread(
        [
            () => { threads.Add(Environment.CurrentManagedThreadId); order.Add(1); },
            () => { threads.Add(Environment.CurrentManagedThreadId); order.Add(2); },
            () => { threads.Add(Environment.CurrentManagedThreadId); order.Add(3); reactor.CallFromThread(reactor.Stop); },
        ]));
        RunGuarded(reactor);
        Assert.Equal([1, 2, 3], order);
        Assert.Single(threads.Distinct());
    }
}
