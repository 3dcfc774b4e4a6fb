using static Twine.Tests.Defer.DeferredAssert;
using Twine.Defer;

namespace Twine.Tests.Defer;

public class DeferredQueueTests
{
    [Fact]
    public void P6_GetAfterPutFiresAtOnceInOrder()
    {
        var q = new DeferredQueue<int>();
        q.Put(1);
        q.Put(2);
        Assert.Equal(2, q.PendingCount);
        Assert.Equal(1, q.Get().Result.Value);
        Assert.Equal(2, q.Get().Result.Value);
        Assert.Equal(0, q.PendingCount);
    }

    [Fact]
    public void P6_PutHandsTheItemSynchronouslyToTheOldestWaiter()
    {
        var q = new DeferredQueue<string>();
        var got = new List<string>();
        q.Get().AddCallback(s => got.Add("first:" + s));
        q.Get().AddCallback(s => got.Add("second:" + s));
        Assert.Equal(2, q.WaitingCount);

        q.Put("a");
        Assert.Equal(["first:a"], got);
        q.Put("b");
        Assert.Equal(["first:a", "second:b"], got);
        Assert.Equal(0, q.PendingCount); // handed over, never pending
        Assert.Equal(0, q.WaitingCount);
    }

    [Fact]
    public void P6_PutBeyondSizeThrowsSynchronously()
    {
        var q = new DeferredQueue<int>(size: 2);
        q.Put(1);
        q.Put(2);
        var e = Assert.Throws<QueueOverflowException>(() => q.Put(3));
        Assert.Equal(2, e.Size);
        Assert.Equal(2, q.PendingCount);

        var waiterQueue = new DeferredQueue<int>(size: 0);
        var waiter = waiterQueue.Get();
        waiterQueue.Put(9); // a waiter takes it even with size 0
        Assert.Equal(9, waiter.Result.Value);
        Assert.Throws<QueueOverflowException>(() => waiterQueue.Put(10));
    }

    [Fact]
    public void P6_GetBeyondBacklogThrowsSynchronously()
    {
        var q = new DeferredQueue<int>(backlog: 1);
        q.Get();
        var e = Assert.Throws<QueueUnderflowException>(() => q.Get());
        Assert.Equal(1, e.Backlog);
        Assert.Equal(1, q.WaitingCount);

        var none = new DeferredQueue<int>(backlog: 0);
        Assert.Throws<QueueUnderflowException>(() => none.Get());
        none.Put(5); // a pending item is still handed out with backlog 0
        Assert.Equal(5, none.Get().Result.Value);
    }

    [Fact]
    public void P6_NegativeBoundsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DeferredQueue<int>(size: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DeferredQueue<int>(backlog: -1));
    }

    [Fact]
    public void P7_CancellingAPendingGetRemovesItFromTheWaiters()
    {
        var q = new DeferredQueue<int>();
        var cancelled = q.Get();
        var next = q.Get();
        cancelled.Cancel();
        Assert.IsType<CancelledException>(FailureOf(cancelled).Value);
        Assert.Equal(1, q.WaitingCount);

        q.Put(1); // to the next waiter, no AlreadyCalled
        Assert.Equal(1, next.Result.Value);
        q.Put(2); // nobody waits: pending
        Assert.Equal(1, q.PendingCount);
    }

    [Fact]
    public void P7_CancellingTheOnlyGetLeavesTheNextPutPending()
    {
        var q = new DeferredQueue<string>();
        var get = q.Get();
        get.Cancel();
        FailureOf(get);
        q.Put("kept");
        Assert.Equal(1, q.PendingCount);
        Assert.Equal("kept", q.Get().Result.Value);
    }

    [Fact]
    public void P7_CancellingASynchronousGetDoesNothing()
    {
        var q = new DeferredQueue<int>();
        q.Put(1);
        var get = q.Get();
        get.Cancel();
        Assert.Equal(1, get.Result.Value);
        q.Put(2);
        Assert.Equal(1, q.PendingCount);
    }

    [Fact]
    public void P6_ConsumerLoopWithAwait()
    {
        var q = new DeferredQueue<int>();
        var seen = new List<int>();
        async Deferred Consume(int count)
        {
            for (int i = 0; i < count; i++) seen.Add(await q.Get());
        }

        var done = Consume(3);
        q.Put(10);
        q.Put(20);
        Assert.Equal([10, 20], seen);
        Assert.False(done.Called);
        q.Put(30);
        Assert.True(done.Called);
        Assert.Equal([10, 20, 30], seen);
    }
}
