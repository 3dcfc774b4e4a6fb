using Twine.Reactors;

namespace Twine.Tests.Reactors;

/// <summary>The lock-free MPSC queue behind CallFromThread, without a reactor.</summary>
public sealed class ThreadCallQueueTests
{
    private static readonly Action<ThreadCall, Exception> Rethrow = (_, ex) => throw ex;

    [Fact]
    public void RunsInFifoOrderAndReportsEmptiness()
    {
        var queue = new ThreadCallQueue();
        Assert.True(queue.IsEmpty);
        var order = new List<int>();
        for (int i = 0; i < 5; i++) queue.Enqueue(new ThreadCall.OfState<int>(order.Add, i));
        Assert.False(queue.IsEmpty);
        Assert.Equal(5, queue.RunBatch(100, Rethrow));
        Assert.Equal([0, 1, 2, 3, 4], order);
        Assert.True(queue.IsEmpty);
    }

    [Fact]
    public void ABatchStopsAtTheTailItSawAndAtItsBudget()
    {
        var queue = new ThreadCallQueue();
        var order = new List<string>();
        queue.Enqueue(new ThreadCall.OfAction(() =>
        {
            order.Add("first");
            queue.Enqueue(new ThreadCall.OfAction(() => order.Add("queued while running")));
        }));
        queue.Enqueue(new ThreadCall.OfAction(() => order.Add("second")));
        Assert.Equal(2, queue.RunBatch(100, Rethrow));
        Assert.Equal(["first", "second"], order);
        Assert.False(queue.IsEmpty);
        Assert.Equal(1, queue.RunBatch(100, Rethrow));

        for (int i = 0; i < 10; i++) queue.Enqueue(new ThreadCall.OfAction(() => { }));
        Assert.Equal(4, queue.RunBatch(4, Rethrow));
        Assert.Equal(6, queue.RunBatch(100, Rethrow));
    }

    [Fact]
    public void ErrorsAreReportedAndTheBatchContinues()
    {
        var queue = new ThreadCallQueue();
        var errors = new List<string>();
        int ran = 0;
        queue.Enqueue(new ThreadCall.OfAction(() => throw new InvalidOperationException("x")));
        queue.Enqueue(new ThreadCall.OfAction(() => ran++));
        queue.RunBatch(10, (call, ex) => errors.Add($"{call.Describe()}: {ex.Message}"));
        Assert.Equal(1, ran);
        Assert.Single(errors);
        Assert.EndsWith(": x", errors[0]);
    }

    [Fact]
    public void ConcurrentProducersLoseNothingAndKeepTheirOwnOrder()
    {
        const int Producers = 4, PerProducer = 20_000;
        var queue = new ThreadCallQueue();
        var next = new int[Producers];
        int total = 0;
        bool inOrder = true;
        var threads = Enumerable.Range(0, Producers).Select(p => new Thread(() =>
        {
            for (int i = 0; i < PerProducer; i++)
                queue.Enqueue(new ThreadCall.OfState<(int p, int i)>(s =>
                {
                    inOrder &= next[s.p] == s.i;
                    next[s.p] = s.i + 1;
                    total++;
                }, (p, i)));
        })).ToArray();
        foreach (var t in threads) t.Start();
        // Consume concurrently with production (the consumer sees "empty" while a producer is mid-link, and retries).
        while (threads.Any(t => t.IsAlive) || !queue.IsEmpty) queue.RunBatch(1000, Rethrow);
        foreach (var t in threads) t.Join();
        queue.RunBatch(int.MaxValue, Rethrow);
        Assert.True(inOrder);
        Assert.Equal(Producers * PerProducer, total);
    }
}
