using Twine.Defer;
using Twine.Time;

namespace Twine.Tests.Time;

// Sleep is DeferLater without a function (DLa1, DLa2), shaped for await.
public sealed class SleepTests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void DLa1_SleepFiresAfterTheDelay()
    {
        var clock = new Clock();
        var d = clock.Sleep(S(1));
        Assert.Equal(S(1), Assert.Single(clock.GetDelayedCalls()).Time);
        clock.Advance(S(0.999));
        Assert.False(d.Called);
        clock.Advance(S(0.001));
        Assert.True(d.Result.Succeeded);
    }

    [Fact]
    public void DLa1_SleepIsAwaitableInAnAsyncDeferredMethod()
    {
        var clock = new Clock();
        var result = SlowSquare(clock, 6);
        Assert.False(result.Called);
        clock.Advance(S(1));
        Assert.Equal(36, result.Result.Value);

        static async Deferred<int> SlowSquare(IReactorTime clock, int x)
        {
            await clock.Sleep(S(1));
            return x * x;
        }
    }

    [Fact]
    public void DLa2_CancellingASleepCancelsTheTimer()
    {
        var clock = new Clock();
        var d = clock.Sleep(S(10));
        d.Cancel();
        Assert.Empty(clock.GetDelayedCalls());
        Assert.IsType<CancelledException>(d.Result.Failure!.Value);
        d.AddErrback(_ => { });
    }

    [Fact]
    public void DLa2_CancellingTheAwaitingAsyncMethodCancelsTheTimer()
    {
        var clock = new Clock();
        var log = new List<string>();
        var d = Worker(clock, log);
        Assert.Single(clock.GetDelayedCalls());

        d.Cancel();
        Assert.Empty(clock.GetDelayedCalls());
        Assert.Equal(["cancelled"], log);
        Assert.True(d.Called);
        Assert.False(d.IsFailed);              // the method caught the cancellation and returned normally

        static async Deferred Worker(IReactorTime clock, List<string> log)
        {
            try
            {
                await clock.Sleep(S(5));
                log.Add("woke");
            }
            catch (CancelledException)
            {
                log.Add("cancelled");
            }
        }
    }

    [Fact]
    public void DLa1_SleepRejectsANegativeDelay()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Clock().Sleep(S(-0.5)));
    }
}
