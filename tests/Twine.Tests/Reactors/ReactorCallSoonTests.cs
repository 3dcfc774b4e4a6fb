using Twine.Reactors.Io;
using Twine.Defer;
using Twine.Reactors;
using static Twine.Tests.Reactors.ReactorTesting;

namespace Twine.Tests.Reactors;

/// <summary>The call-soon queue (phase 2), Promise scheduling, and the flush phase (phase 4).</summary>
public sealed class ReactorCallSoonTests
{
    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void CallSoonRunsAfterTheCurrentCallbackInOrder(ReactorBackend backend)
    {
        using var reactor = Create(backend);
        var order = new List<string>();
        reactor.CallWhenRunning(() =>
        {
            reactor.CallSoon(s => order.Add((string)s!), "soon 1");
            reactor.CallSoon(s =>
            {
                order.Add((string)s!);
                reactor.CallSoon(_ => order.Add("queued by soon 2"), null);
            }, "soon 2");
            order.Add("callback done");
            reactor.CallLater(TimeSpan.Zero, reactor.Stop);
        });
        RunGuarded(reactor);
        Assert.Equal(["callback done", "soon 1", "soon 2", "queued by soon 2"], order);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void CallSoonFromAnotherThreadRunsOnTheReactor(ReactorBackend backend)
    {
        using var reactor = Create(backend);
        bool? onReactor = null;
        reactor.CallWhenRunning(() => new Thread(() => reactor.CallSoon(_ =>
        {
            onReactor = reactor.IsInReactorThread;
            reactor.Stop();
        }, null)).Start());
        RunGuarded(reactor);
        Assert.True(onReactor);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void AnEndlessCallSoonChainStillLetsTimersRun(ReactorBackend backend)
    {
        using var reactor = Create(backend);
        using var log = new LogCapture("soon boom");
        long soonCalls = 0;
        bool stop = false;
        void Again(object? _)
        {
            soonCalls++;
            if (soonCalls == 10) throw new InvalidOperationException("soon boom");
            if (!stop) reactor.CallSoon(Again, null);
        }
        reactor.CallWhenRunning(() =>
        {
            reactor.CallSoon(Again, null);
            reactor.CallSoon(_ => reactor.CallSoon(Again, null), null);   // a second chain survives the first's throw
            reactor.CallLater(TimeSpan.Zero, () =>
            {
                stop = true;
                reactor.Stop();
            });
        });
        RunGuarded(reactor);
        // The first iteration ran exactly one budget of call-soon calls (the starter plus budget - 1 links), then its
        // timer phase, which stopped the reactor in that same iteration's shutdown phase.
        Assert.Equal(Twine.Reactors.Reactor.CallSoonBudget - 1, soonCalls);
        Assert.Single(log.Events);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void PromisesUseTheRunningReactorAsTheirScheduler(ReactorBackend backend)
    {
        using var reactor = Create(backend);
        var order = new List<string>();
        Assert.NotSame(reactor, Promise.DefaultScheduler);
        reactor.CallWhenRunning(() =>
        {
            Assert.Same(reactor, Promise.DefaultScheduler);
            var p = Promise.Resolve(20);
            p.Then(v =>
            {
                order.Add($"then {v} on reactor={reactor.IsInReactorThread}");
                reactor.Stop();
                return v;
            });
            order.Add("sync");
        });
        RunGuarded(reactor);
        Assert.Equal(["sync", "then 20 on reactor=True"], order);
        Assert.NotSame(reactor, Promise.DefaultScheduler);
    }

    private sealed class Flushable(Action onFlush) : IFlushable
    {
        public void Flush() => onFlush();
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void ScheduledFlushesRunOncePerIterationAndRescheduledOnesWaitForTheNext(ReactorBackend backend)
    {
        using var reactor = Create(backend);
        using var log = new LogCapture("flush boom");
        var flushes = new List<long>();
        int reschedules = 0;
        Flushable? target = null;
        target = new Flushable(() =>
        {
            flushes.Add(reactor.Iterations);
            if (++reschedules < 3) reactor.Io.ScheduleFlush(target!);
            else reactor.Stop();
        });
        reactor.CallWhenRunning(() =>
        {
            reactor.Io.ScheduleFlush(new Flushable(() => throw new InvalidOperationException("flush boom")));
            reactor.Io.ScheduleFlush(target);
        });
        RunWatched(reactor);   // no timers: a pending flush alone must keep the loop from sleeping
        Assert.Equal(3, flushes.Count);
        Assert.Equal(flushes[0] + 1, flushes[1]);
        Assert.Equal(flushes[1] + 1, flushes[2]);
        Assert.Single(log.Events);
    }
}
