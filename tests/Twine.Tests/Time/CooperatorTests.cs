using Twine.Defer;
using Twine.Time;

namespace Twine.Tests.Time;

public sealed class CooperatorTests
{
    private sealed class UnhandledException : Exception;

    /// <summary>A scheduler that runs ticks only when the test pumps it (Twisted's FakeScheduler).</summary>
    private sealed class FakeScheduler
    {
        public List<FakeCall> Work { get; } = [];

        public IDelayedCall Schedule(Action tick)
        {
            var call = new FakeCall(tick);
            Work.Add(call);
            return call;
        }

        public void Pump()
        {
            var work = Work.ToArray();
            Work.Clear();
            foreach (var call in work)
                if (call.IsActive) call.Run();
        }
    }

    private sealed class FakeCall(Action action) : IDelayedCall
    {
        public TimeSpan Time => TimeSpan.Zero;
        public bool IsActive => !Called && !Cancelled;
        public bool Called { get; private set; }
        public bool Cancelled { get; private set; }

        public void Cancel()
        {
            if (!IsActive) throw new InvalidOperationException("inactive call cancelled");
            Cancelled = true;
        }

        public void Reset(TimeSpan delay) => throw new NotSupportedException();
        public void Delay(TimeSpan delay) => throw new NotSupportedException();

        public void Run()
        {
            Called = true;
            action();
        }
    }

    /// <summary>Twisted's RunStateTests fixture: one step per tick, a worker that can defer, stop or die on demand.</summary>
    private sealed class RunState
    {
        public bool DeferNext;
        public bool StopNext;
        public bool DieNext;
        public List<object> Work { get; } = [];
        public FakeScheduler Scheduler { get; } = new();
        public Cooperator Cooperator { get; }
        public CooperativeTask Task { get; }

        public RunState()
        {
            Cooperator = new Cooperator(Scheduler.Schedule, () => () => true);
            Task = Cooperator.Cooperate(Worker());
            Cooperator.Start();
        }

        private IEnumerable<object?> Worker()
        {
            int i = 0;
            while (true)
            {
                i++;
                if (DeferNext)
                {
                    DeferNext = false;
                    var d = new Deferred<int>();
                    Work.Add(d);
                    yield return d;
                }
                else if (StopNext)
                {
                    yield break;
                }
                else if (DieNext)
                {
                    throw new UnhandledException();
                }
                else
                {
                    Work.Add(i);
                    yield return i;
                }
            }
        }
    }

    private static IEnumerable<object?> Items(params object?[] items) => items;

    // ---- CO1 --------------------------------------------------------------------------------------------------

    [Fact]
    public void CO1_Cooperation_TasksAreSteppedRoundRobin()
    {
        var clock = new Clock();
        var log = new List<object>();
        IEnumerable<object?> MyIter(IEnumerable<object> things)
        {
            foreach (var th in things)
            {
                log.Add(th);
                yield return null;
            }
        }

        var c = new Cooperator(clock);
        object[][] groups = [["a", "b", "c"], [1, 2, 3], ["d", "e", "f"], [4, 5, 6]];
        var done = groups.Select(g => c.Coiterate(MyIter(g))).ToList();
        clock.Advance(TimeSpan.Zero);

        Assert.All(done, d => Assert.True(d.Result.Succeeded));
        Assert.Equal(["a", 1, "d", 4, "b", 2, "e", 5, "c", 3, "f", 6], log);
        Assert.Empty(clock.GetDelayedCalls());
    }

    [Fact]
    public void CO1_ResourceExhaustion_TheTickEndsWhenThePredicateSaysSo()
    {
        var output = new List<int>();
        bool stopped = false;
        IEnumerable<object?> MyIter()
        {
            for (int i = 0; i < 100; i++)
            {
                output.Add(i);
                if (i == 9) stopped = true;
                yield return i;
            }
        }

        var scheduler = new FakeScheduler();
        var c = new Cooperator(scheduler.Schedule, () => () => stopped);
        c.Coiterate(MyIter()).AddErrback(f => { f.Trap<SchedulerStoppedException>(); });
        scheduler.Pump();
        c.Stop();
        Assert.True(stopped);
        Assert.Equal(Enumerable.Range(0, 10), output);
    }

    [Fact]
    public void CO1_EachTickGetsAFreshPredicateAndResumesWhereThePreviousTickStopped()
    {
        var scheduler = new FakeScheduler();
        int predicates = 0;
        var c = new Cooperator(scheduler.Schedule, () =>
        {
            predicates++;
            int steps = 0;
            return () => ++steps >= 2;
        });
        var log = new List<string>();
        IEnumerable<object?> Forever(string name)
        {
            while (true)
            {
                log.Add(name);
                yield return null;
            }
        }
        c.Cooperate(Forever("A"));
        c.Cooperate(Forever("B"));
        c.Cooperate(Forever("C"));

        scheduler.Pump();
        Assert.Equal(["A", "B"], log);
        scheduler.Pump();
        Assert.Equal(["A", "B", "C", "A"], log);
        scheduler.Pump();
        Assert.Equal(["A", "B", "C", "A", "B", "C"], log);
        Assert.Equal(3, predicates);
        Assert.Single(scheduler.Work);            // exactly one tick pending while tasks remain
        c.Stop();
    }

    [Fact]
    public void CO1_TimeSliceBoundsTheTick()
    {
        var scheduler = new FakeScheduler();
        int steps = 0;
        IEnumerable<object?> Counting()
        {
            for (int i = 0; i < 5; i++)
            {
                steps++;
                yield return null;
            }
        }

        // A zero slice is used up by the first step; a day-long one lasts the whole job.
        var stingy = new Cooperator(scheduler.Schedule, Cooperator.TimeSlice(TimeSpan.Zero));
        stingy.Cooperate(Counting());
        scheduler.Pump();
        Assert.Equal(1, steps);
        stingy.Stop();

        steps = 0;
        var generous = new Cooperator(scheduler.Schedule, Cooperator.TimeSlice(TimeSpan.FromDays(1)));
        var done = generous.Coiterate(Counting());
        scheduler.Pump();
        Assert.Equal(5, steps);
        Assert.True(done.Result.Succeeded);
        Assert.Empty(scheduler.Work);              // no task left, so no further tick
    }

    // ---- CO2 --------------------------------------------------------------------------------------------------

    [Fact]
    public void CO2_CoiterateFiresWithTheIterator()
    {
        var clock = new Clock();
        var c = new Cooperator(clock);
        var iterator = Items(1, 2, 3).GetEnumerator();
        var d = c.Coiterate(iterator);
        Assert.False(d.Called);
        clock.Advance(TimeSpan.Zero);
        Assert.Same(iterator, d.Result.Value);
    }

    [Fact]
    public void CO2_UnexpectedError_CoiterateFailsWithWhatTheIteratorThrew()
    {
        var clock = new Clock();
        var ex = new InvalidOperationException("broken");
        IEnumerable<object?> MyIter()
        {
            if (ex.Message.Length == 0) yield return null;   // makes this an iterator that throws on its first step
            throw ex;
        }
        var d = new Cooperator(clock).Coiterate(MyIter());
        clock.Advance(TimeSpan.Zero);
        Assert.Same(ex, d.Result.Failure!.Value);
        d.AddErrback(_ => { });
    }

    // ---- CO3 --------------------------------------------------------------------------------------------------

    [Fact]
    public void CO3_UnexpectedErrorActuallyLater_AYieldedDeferredThatFailsFailsTheTask()
    {
        var clock = new Clock();
        IEnumerable<object?> MyIter()
        {
            var d = new Deferred<Unit>();
            clock.CallLater(TimeSpan.FromSeconds(1), () => d.Errback(new InvalidOperationException("later")));
            yield return d;
        }
        var done = new Cooperator(clock).Coiterate(MyIter());
        clock.Advance(TimeSpan.Zero);
        Assert.False(done.Called);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("later", done.Result.Failure!.Value.Message);
        done.AddErrback(_ => { });
    }

    [Fact]
    public void CO3_UnexpectedErrorNotActuallyLater_AnAlreadyFailedYieldedDeferredFailsTheTask()
    {
        var clock = new Clock();
        var ex = new InvalidOperationException("now");
        var yielded = Deferred.Fail<int>(ex);
        var done = new Cooperator(clock).Coiterate(Items(yielded));
        clock.Advance(TimeSpan.Zero);
        Assert.Same(ex, done.Result.Failure!.Value);
        done.AddErrback(_ => { });
        Assert.True(yielded.Result.Succeeded);    // the failure was consumed by the cooperator
    }

    [Fact]
    public void CO3_PauseWhileDeferred_NeedsBothTheDeferredAndResume()
    {
        var rs = new RunState { DeferNext = true };
        rs.Scheduler.Pump();
        Assert.Single(rs.Work);
        Assert.IsType<Deferred<int>>(rs.Work[0]);
        rs.Scheduler.Pump();
        Assert.Single(rs.Work);

        rs.Task.Pause();
        rs.Scheduler.Pump();
        Assert.Single(rs.Work);
        rs.Task.Resume();
        rs.Scheduler.Pump();
        Assert.Single(rs.Work);

        ((Deferred<int>)rs.Work[0]).Callback(1);
        rs.Scheduler.Pump();
        Assert.Equal(2, rs.Work.Count);
        Assert.Equal(2, rs.Work[1]);
    }

    [Fact]
    public void CO3_StopDeferred_AStoppedTaskIsNotResumedAndTheResultIsConsumed()
    {
        var rs = new RunState { DeferNext = true };
        rs.Scheduler.Pump();
        var d = (Deferred<int>)rs.Work[^1];
        rs.Work.RemoveAt(rs.Work.Count - 1);
        Assert.True(rs.Task.IsPaused);
        var results = new List<Outcome<int>>();
        d.AddBoth(o => results.Add(o));
        rs.Scheduler.Pump();
        rs.Task.Stop();
        rs.Scheduler.Pump();

        d.Callback(7);
        rs.Scheduler.Pump();
        var only = Assert.Single(results);
        Assert.True(only.Succeeded);
        Assert.Equal(0, only.Value);              // Twisted's None: the cooperator consumed the 7
        Assert.Empty(rs.Work);
    }

    // ---- CO4 --------------------------------------------------------------------------------------------------

    [Fact]
    public void CO4_StopRunning_ARunningIteratorIsNotFinished()
    {
        var clock = new Clock();
        int advanced = 0;
        IEnumerable<object?> MyIter()
        {
            for (int i = 0; i < 3; i++)
            {
                advanced++;
                yield return null;
            }
        }
        var c = new Cooperator(clock);
        var d = c.Coiterate(MyIter());
        c.Stop();
        Assert.IsType<SchedulerStoppedException>(d.Result.Failure!.Value);
        d.AddErrback(_ => { });
        Assert.Equal(0, advanced);
        Assert.Empty(clock.GetDelayedCalls());
    }

    [Fact]
    public void CO4_StopOutstanding_ATaskWaitingOnADeferredIsEndedToo()
    {
        var clock = new Clock();
        var outstanding = new Deferred<string>();
        bool continued = false;
        IEnumerable<object?> MyIter()
        {
            yield return outstanding;
            continued = true;
        }
        var c = new Cooperator(clock);
        var d = c.Coiterate(MyIter());
        clock.Advance(TimeSpan.Zero);
        Assert.False(d.Called);

        c.Stop();
        Assert.IsType<SchedulerStoppedException>(d.Result.Failure!.Value);
        d.AddErrback(_ => { });

        outstanding.Callback("arglebargle");
        clock.Advance(TimeSpan.Zero);
        Assert.False(continued);
    }

    [Fact]
    public void CO4_StoppedRejectsNewTasks()
    {
        var c = new Cooperator(new Clock());
        c.Stop();
        var d = c.Coiterate(Items());
        Assert.IsType<SchedulerStoppedException>(d.Result.Failure!.Value);
        d.AddErrback(_ => { });

        var mine = new Deferred<IEnumerator<object?>>();
        Assert.Same(mine, c.Coiterate(Items().GetEnumerator(), mine));
        Assert.IsType<SchedulerStoppedException>(mine.Result.Failure!.Value);
        mine.AddErrback(_ => { });

        var task = c.Cooperate(Items(1));
        Assert.True(task.IsFinished);
        Assert.Throws<SchedulerStoppedException>(task.Pause);
    }

    [Fact]
    public void CO4_StopEndsEveryTaskIncludingPausedOnes()
    {
        // Twisted's stop() iterates the task list while tasks remove themselves from it, skipping every other
        // task; and it leaves paused tasks alone. Twine ends them all.
        var scheduler = new FakeScheduler();
        var c = new Cooperator(scheduler.Schedule);
        var tasks = Enumerable.Range(0, 4).Select(_ => c.Cooperate(Items(1, 2, 3))).ToList();
        tasks[3].Pause();
        var failures = new List<Type>();
        foreach (var t in tasks) t.WhenDone().AddErrback(f => failures.Add(f.Type));

        c.Stop();
        Assert.Equal(Enumerable.Repeat(typeof(SchedulerStoppedException), 4), failures);
        Assert.All(tasks, t => Assert.True(t.IsFinished));
        Assert.True(scheduler.Work.All(w => w.Cancelled));
        tasks[3].Resume();                         // paused and ended: a silent no-op (CO7)
        Assert.True(scheduler.Work.All(w => w.Cancelled));
    }

    [Fact]
    public void CO4_RunningWhenStarted()
    {
        Assert.True(new Cooperator(new Clock()).Running);
    }

    [Fact]
    public void CO4_RunningWhenNotStarted()
    {
        Assert.False(new Cooperator(new Clock(), started: false).Running);
    }

    [Fact]
    public void CO4_RunningWhenRunning()
    {
        var c = new Cooperator(new Clock(), started: false);
        c.Start();
        Assert.True(c.Running);
    }

    [Fact]
    public void CO4_RunningWhenStopped()
    {
        var c = new Cooperator(new Clock(), started: false);
        c.Start();
        c.Stop();
        Assert.False(c.Running);
    }

    // ---- CO5 --------------------------------------------------------------------------------------------------

    [Fact]
    public void CO5_NotStarted_NothingIsScheduledUntilStart()
    {
        var scheduler = new FakeScheduler();
        var c = new Cooperator(scheduler.Schedule, started: false);
        var d = c.Coiterate(Items(1, 2));
        Assert.Empty(scheduler.Work);

        c.Start();
        Assert.Single(scheduler.Work);
        while (scheduler.Work.Count > 0) scheduler.Pump();
        Assert.True(d.Result.Succeeded);
    }

    // ---- CO6 --------------------------------------------------------------------------------------------------

    [Fact]
    public void CO6_RemovingLastTaskStopsScheduledCall()
    {
        var scheduler = new FakeScheduler();
        var coop = new Cooperator(scheduler.Schedule);
        var task1 = coop.Cooperate(Items(1, 2));
        var task2 = coop.Cooperate(Items(1, 2));
        var call = Assert.Single(scheduler.Work);

        task1.Stop();
        Assert.False(call.Cancelled);
        task2.Stop();
        Assert.True(call.Cancelled);

        var task3 = coop.Cooperate(Items(1, 2));
        Assert.Equal(2, scheduler.Work.Count);
        Assert.False(scheduler.Work[1].Cancelled);

        task3.Pause();                             // pausing the last runnable task also unschedules
        Assert.True(scheduler.Work[1].Cancelled);
        task3.Resume();
        Assert.Equal(3, scheduler.Work.Count);
        Assert.True(scheduler.Work[2].IsActive);
    }

    [Fact]
    public void CO6_CallbackReCoiterate_SchedulesOnlyOneTick()
    {
        var calls = new List<FakeCall>();
        IDelayedCall Sched(Action f)
        {
            Assert.Empty(calls);                   // never a second tick while one is pending
            var call = new FakeCall(f);
            calls.Add(call);
            return call;
        }

        var c = new Cooperator(Sched, () => () => true);
        var d = c.Coiterate(Items());
        var done = new List<Outcome<IEnumerator<object?>>>();
        d.AddCallback(_ => { c.Coiterate(Items()).AddBoth(o => done.Add(o)); });

        int work = 0;
        while (done.Count == 0)
        {
            work++;
            while (calls.Count > 0)
            {
                var call = calls[0];
                calls.RemoveAt(0);
                call.Run();
                work++;
            }
            Assert.True(work <= 50, "Cooperator took too long");
        }
        Assert.True(done[0].Succeeded);
    }

    // ---- CO7 --------------------------------------------------------------------------------------------------

    [Fact]
    public void CO7_PauseResume_ResumeDoesNoWorkItself()
    {
        var rs = new RunState();
        rs.Scheduler.Pump();
        Assert.Equal([1], rs.Work);
        rs.Scheduler.Pump();
        Assert.Equal([1, 2], rs.Work);

        rs.Task.Pause();
        rs.Scheduler.Pump();
        Assert.Equal([1, 2], rs.Work);
        rs.Task.Resume();
        Assert.Equal([1, 2], rs.Work);
        rs.Scheduler.Pump();
        Assert.Equal([1, 2, 3], rs.Work);
    }

    [Fact]
    public void CO7_ResumeNotPaused()
    {
        var rs = new RunState();
        Assert.Throws<NotPausedException>(rs.Task.Resume);
        rs.Task.Pause();
        rs.Task.Resume();
        Assert.Throws<NotPausedException>(rs.Task.Resume);
    }

    [Fact]
    public void CO7_PauseTwice_PausesNestLikeAStack()
    {
        var rs = new RunState();
        rs.Task.Pause();
        rs.Scheduler.Pump();
        Assert.Empty(rs.Work);
        rs.Task.Pause();
        rs.Scheduler.Pump();
        Assert.Empty(rs.Work);
        rs.Task.Resume();
        rs.Scheduler.Pump();
        Assert.Empty(rs.Work);
        rs.Task.Resume();
        rs.Scheduler.Pump();
        Assert.Equal([1], rs.Work);
    }

    [Fact]
    public void CO7_StopStops()
    {
        var rs = new RunState();
        rs.Task.Stop();
        rs.Scheduler.Pump();
        Assert.Empty(rs.Work);
        Assert.Throws<TaskStoppedException>(rs.Task.Stop);
        Assert.Throws<TaskStoppedException>(rs.Task.Pause);
        rs.Scheduler.Pump();
        Assert.Empty(rs.Work);
    }

    [Fact]
    public void CO7_PauseStopResume_IsASilentNoOp()
    {
        var rs = new RunState();
        rs.Task.Pause();
        rs.Task.Stop();
        rs.Task.Resume();
        rs.Scheduler.Pump();
        Assert.Empty(rs.Work);
    }

    [Fact]
    public void CO7_StopExhausted_ThrowsTaskDone()
    {
        var rs = new RunState { StopNext = true };
        rs.Scheduler.Pump();
        Assert.Throws<TaskDoneException>(rs.Task.Stop);
        Assert.Throws<TaskDoneException>(rs.Task.Pause);
    }

    [Fact]
    public void CO7_StopErrored_ThrowsTaskFailed()
    {
        var rs = new RunState();
        rs.Task.WhenDone().AddErrback(f => { f.Trap<UnhandledException>(); });
        rs.DieNext = true;
        rs.Scheduler.Pump();
        Assert.Throws<TaskFailedException>(rs.Task.Stop);
        Assert.Throws<TaskFailedException>(rs.Task.Pause);
    }

    // ---- CO8 --------------------------------------------------------------------------------------------------

    [Fact]
    public void CO8_WhenDone_EachCallGetsAnIndependentDeferred()
    {
        var rs = new RunState();
        var results1 = new List<IEnumerator<object?>>();
        var results2 = new List<IEnumerator<object?>>();
        var final1 = new List<int>();
        var final2 = new List<int>();
        rs.Task.WhenDone().AddCallback(r => { results1.Add(r); return 1; }).AddCallback(v => final1.Add(v));
        rs.Task.WhenDone().AddCallback(r => { results2.Add(r); return 2; }).AddCallback(v => final2.Add(v));

        rs.StopNext = true;
        rs.Scheduler.Pump();

        Assert.Same(rs.Task.Iterator, Assert.Single(results1));
        Assert.Same(rs.Task.Iterator, Assert.Single(results2));
        Assert.Equal([1], final1);
        Assert.Equal([2], final2);
    }

    [Fact]
    public void CO8_WhenDoneError_FailsWithTheIteratorsException()
    {
        var rs = new RunState();
        var results = new List<Failure>();
        rs.Task.WhenDone().AddErrback(results.Add);
        rs.DieNext = true;
        rs.Scheduler.Pump();
        Assert.True(Assert.Single(results).Check(typeof(UnhandledException)) is not null);
    }

    [Fact]
    public void CO8_WhenDoneStop_FailsWithTaskStopped()
    {
        var rs = new RunState();
        var errors = new List<Failure>();
        rs.Task.WhenDone().AddErrback(errors.Add);
        rs.Task.Stop();
        Assert.IsType<TaskStoppedException>(Assert.Single(errors).Value);
    }

    [Fact]
    public void CO8_WhenDoneAlreadyDone_FiresAtOnce()
    {
        var rs = new RunState { StopNext = true };
        rs.Scheduler.Pump();
        var results = new List<IEnumerator<object?>>();
        rs.Task.WhenDone().AddCallback(results.Add);
        Assert.Same(rs.Task.Iterator, Assert.Single(results));
    }

    [Fact]
    public void CO8_StopCooperatorReentrancy_WhenDoneCallbacksMayStopTheCooperator()
    {
        var rs = new RunState();
        var phases = new List<object?>();
        rs.Task.WhenDone().AddCallback(r =>
        {
            phases.Add(r);
            rs.Cooperator.Stop();
            phases.Add("done");
        });
        rs.StopNext = true;
        rs.Scheduler.Pump();
        Assert.Equal([rs.Task.Iterator, "done"], phases);
    }

    // ---- CO9 --------------------------------------------------------------------------------------------------

    [Fact]
    public void CO9_CooperateUsesTheClocksSharedCooperator()
    {
        var clock = new Clock();
        var shared = Cooperator.For(clock);
        Assert.Same(shared, Cooperator.For(clock));
        Assert.NotSame(shared, Cooperator.For(new Clock()));

        var d = new Deferred<string>();
        IEnumerable<object?> DoIt()
        {
            yield return 1;
            yield return 2;
            yield return 3;
            d.Callback("yay");
        }
        var task = clock.Cooperate(DoIt());
        Assert.Single(clock.GetDelayedCalls());   // the shared cooperator ticks on this clock
        var coiterated = clock.Coiterate(Items("x"));

        clock.Advance(TimeSpan.Zero);
        Assert.Equal("yay", d.Result.Value);
        Assert.True(task.IsFinished);
        Assert.True(coiterated.Result.Succeeded);

        shared.Stop();                             // and it is the one both helpers used
        var rejected = clock.Coiterate(Items());
        Assert.IsType<SchedulerStoppedException>(rejected.Result.Failure!.Value);
        rejected.AddErrback(_ => { });
    }

    // ---- Twine-specific -----------------------------------------------------------------------------------

    [Fact]
    public void Twine_StoppingATaskDisposesItsIterator()
    {
        var scheduler = new FakeScheduler();
        var c = new Cooperator(scheduler.Schedule);
        bool cleaned = false;
        IEnumerable<object?> Work()
        {
            try
            {
                while (true) yield return null;
            }
            finally
            {
                cleaned = true;
            }
        }
        var task = c.Cooperate(Work());
        scheduler.Pump();
        Assert.False(cleaned);
        task.Stop();
        Assert.True(cleaned);
    }

    [Fact]
    public void Twine_ATaskThatStopsItselfIsDisposedAfterItsStep()
    {
        var scheduler = new FakeScheduler();
        var c = new Cooperator(scheduler.Schedule, () => () => true);
        CooperativeTask task = null!;
        var log = new List<string>();
        IEnumerable<object?> Work()
        {
            try
            {
                yield return null;
                task.Stop();
                log.Add("after stop");
                yield return null;
                log.Add("never");
            }
            finally
            {
                log.Add("finally");
            }
        }
        task = c.Cooperate(Work());
        var errors = new List<Failure>();
        task.WhenDone().AddErrback(errors.Add);
        scheduler.Pump();
        scheduler.Pump();
        Assert.Equal(["after stop", "finally"], log);
        Assert.IsType<TaskStoppedException>(Assert.Single(errors).Value);
        Assert.Empty(scheduler.Work);
    }

    [Fact]
    public void Twine_CooperateAcceptsAnEnumeratorOrAnEnumerable()
    {
        var clock = new Clock();
        var c = new Cooperator(clock);
        var fromEnumerator = c.Cooperate(Items(1).GetEnumerator());
        var fromEnumerable = c.Cooperate(new List<object?> { 1, 2 });
        clock.Advance(TimeSpan.Zero);
        Assert.True(fromEnumerator.IsFinished);
        Assert.True(fromEnumerable.IsFinished);
    }
}
