using Twine.Defer;
using Twine.Tests.Defer;
using Twine.Time;

namespace Twine.Tests.Time;

/// <summary>
/// Cooperative work from any sequence: <c>IEnumerable&lt;T&gt;</c>/<c>IEnumerator&lt;T&gt;</c> of any item type and
/// <c>IAsyncEnumerable&lt;T&gt;</c>, stepped one item per unit of work (CO1), waiting on Deferreds (CO3) and firing
/// <c>Coiterate</c>'s Deferred when done (CO2).
/// </summary>
public sealed class CooperatorSequenceTests
{
    private sealed class TestException : Exception;

    private static IEnumerable<int> Numbers(List<object> log, string name, int count)
    {
        for (int i = 0; i < count; i++)
        {
            log.Add(name + i);
            yield return i;
        }
    }

    [Fact]
    public void CO1_SequencesOfValueTypesInterleaveOneItemPerStep()
    {
        var clock = new Clock();
        var c = new Cooperator(clock);
        var log = new List<object>();
        Deferred<IEnumerator<int>> a = c.Coiterate(Numbers(log, "a", 3));
        Deferred<IEnumerator<int>> b = c.Coiterate(Numbers(log, "b", 2));
        clock.Advance(TimeSpan.Zero);
        Assert.Equal(["a0", "b0", "a1", "b1", "a2"], log);
        Assert.True(a.Result.Succeeded);
        Assert.True(b.Result.Succeeded);
    }

    [Fact]
    public void CO2_CoiterateFiresWithTheVeryEnumeratorItWasGiven()
    {
        var clock = new Clock();
        var c = new Cooperator(clock);
        IEnumerator<int> numbers = Numbers([], "n", 2).GetEnumerator();
        var done = c.Coiterate(numbers);
        clock.Advance(TimeSpan.Zero);
        Assert.Same(numbers, done.Result.Value);

        IEnumerator<string> words = new List<string> { "x", "y" }.GetEnumerator();
        Deferred<IEnumerator<string>> wordsDone = clock.Coiterate(words); // the clock's shared cooperator (CO9)
        Assert.True(Pump(clock, wordsDone));
        Assert.Same(words, wordsDone.Result.Value);
    }

    private static bool Pump<T>(Clock clock, Deferred<T> d)
    {
        for (int i = 0; i < 10 && !d.Called; i++) clock.Advance(TimeSpan.Zero);
        return d.Called;
    }

    [Fact]
    public void CO2_AnExceptionFromATypedSequenceFailsCoiterate()
    {
        IEnumerable<long> Failing()
        {
            yield return 1;
            throw new TestException();
        }
        var clock = new Clock();
        var done = new Cooperator(clock).Coiterate(Failing());
        clock.Advance(TimeSpan.Zero);
        Assert.IsType<TestException>(done.Result.Failure!.Value);
    }

    [Fact]
    public void CO3_ATypedDeferredItemPausesTheTaskUntilItFires()
    {
        var clock = new Clock();
        var gate = new Deferred<int>();
        var log = new List<string>();
        IEnumerable<Deferred<int>> Work()
        {
            log.Add("before");
            yield return gate;
            log.Add("after");
        }
        var task = new Cooperator(clock).Cooperate(Work());
        var done = task.WhenDone();
        clock.Advance(TimeSpan.Zero);
        clock.Advance(TimeSpan.Zero);
        Assert.Equal(["before"], log);
        Assert.False(done.Called);
        gate.Callback(1);
        Assert.Equal(0, gate.Result.Value); // CO3: consumed
        Pump(clock, done);
        Assert.Equal(["before", "after"], log);
        Assert.True(done.Result.Succeeded);
    }

    private static async IAsyncEnumerable<int> Gated(List<string> log, Task gate)
    {
        try
        {
            log.Add("item 1");
            yield return 1;
            await gate;
            log.Add("item 2");
            yield return 2;
        }
        finally
        {
            log.Add("disposed");
        }
    }

    [Fact]
    public void CO3_AnAsyncSequenceWaitsForItsNextItemWithoutHoldingTheCooperator()
    {
        var context = new ManualSynchronizationContext();
        using var installed = context.Install();
        var clock = new Clock();
        var c = new Cooperator(clock);
        var log = new List<string>();
        var gate = new TaskCompletionSource();
        var done = c.Coiterate(Gated(log, gate.Task));
        var other = new List<object>();
        c.Coiterate(Numbers(other, "o", 3));
        for (int i = 0; i < 5; i++) clock.Advance(TimeSpan.Zero);
        Assert.Equal(["item 1"], log);
        Assert.Equal(["o0", "o1", "o2"], other); // the other task was not held up
        Assert.False(done.Called);

        gate.SetResult();
        Assert.Equal(1, context.Pump()); // the step's Deferred fires on the context that was current
        Pump(clock, done);
        Assert.Equal(["item 1", "item 2", "disposed"], log);
        Assert.True(done.Result.Succeeded);
    }

    private static async IAsyncEnumerable<string> FailingLater(Task gate)
    {
        yield return "first";
        await gate;
        throw new TestException();
    }

    [Fact]
    public void CO3_AnAsyncSequenceThatFailsWhileWaitedOnFailsTheTask()
    {
        var context = new ManualSynchronizationContext();
        using var installed = context.Install();
        var clock = new Clock();
        var gate = new TaskCompletionSource();
        var done = clock.Coiterate(FailingLater(gate.Task));
        for (int i = 0; i < 3; i++) clock.Advance(TimeSpan.Zero);
        Assert.False(done.Called);
        gate.SetResult();
        context.Pump();
        Assert.IsType<TestException>(done.Result.Failure!.Value);
    }

    [Fact]
    public void CO4_StoppingATaskWaitingOnAnAsyncSequenceDisposesItOnceTheItemArrives()
    {
        var context = new ManualSynchronizationContext();
        using var installed = context.Install();
        var clock = new Clock();
        var log = new List<string>();
        var gate = new TaskCompletionSource();
        var task = new Cooperator(clock).Cooperate(Gated(log, gate.Task));
        var done = task.WhenDone();
        for (int i = 0; i < 3; i++) clock.Advance(TimeSpan.Zero);
        Assert.Equal(["item 1"], log);
        task.Stop();
        Assert.IsType<TaskStoppedException>(done.Result.Failure!.Value);
        // An async enumerator cannot be disposed while it moves: that happens when the pending item arrives.
        gate.SetResult();
        Assert.Equal(["item 1", "item 2", "disposed"], log);
    }

    [Fact]
    public void CO4_StoppingATaskBetweenItemsOfAnAsyncSequenceDisposesItAtOnce()
    {
        var clock = new Clock();
        var log = new List<string>();
        var scheduled = new List<Action>();
        var c = new Cooperator(tick => { scheduled.Add(tick); return clock.CallLater(TimeSpan.FromSeconds(1), () => { }); },
            terminationPredicateFactory: () => () => true);
        var task = c.Cooperate(Gated(log, new TaskCompletionSource().Task));
        scheduled[0]();
        Assert.Equal(["item 1"], log);
        task.Stop();
        Assert.Equal(["item 1", "disposed"], log);
    }

    [Fact]
    public void CO1_ASynchronouslyCompletingAsyncSequenceRunsToItsEnd()
    {
        static async IAsyncEnumerable<int> Ready(List<string> log)
        {
            for (int i = 0; i < 3; i++)
            {
                log.Add("item " + i);
                yield return i;
            }
            await Task.CompletedTask;
        }
        var clock = new Clock();
        var log = new List<string>();
        var done = new Cooperator(clock).Coiterate(Ready(log));
        Pump(clock, done);
        Assert.Equal(["item 0", "item 1", "item 2"], log);
        Assert.True(done.Result.Succeeded);
    }
}
