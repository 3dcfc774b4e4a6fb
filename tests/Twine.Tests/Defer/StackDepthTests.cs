using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Twine.Defer;

namespace Twine.Tests.Defer;

/// <summary>
/// Stack safety (CH6, IC5): long chains and long runs of awaits must not grow the stack. The big cases run on a
/// thread with a 256 KiB stack, where a recursive implementation would overflow (and take the test process with
/// it, which is as loud a failure as there is); the depth comparisons show the depth is constant, not merely small.
/// </summary>
public sealed class StackDepthTests
{
    private const int SmallStack = 256 * 1024;

    /// <summary>Runs <paramref name="body"/> on a fresh thread with a small stack and rethrows what it threw.</summary>
    private static void OnSmallStack(Action body)
    {
        ExceptionDispatchInfo? error = null;
        var thread = new Thread(() =>
        {
            try { body(); }
            catch (Exception e) { error = ExceptionDispatchInfo.Capture(e); }
        }, SmallStack);
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromMinutes(2)), "the small-stack thread did not finish");
        error?.Throw();
    }

    [Fact]
    public void CH6_TenThousandChainedDeferredsOnASmallStack()
    {
        OnSmallStack(() =>
        {
            var first = new Deferred<int>();
            Deferred<int> last = first;
            for (int i = 0; i < 10_000; i++)
            {
                var prev = last;
                var d = new Deferred<int>();
                last = d.AddCallback(_ => prev);
                d.Callback(0);
            }
            int result = -1;
            last.AddCallback(x => { result = x; });
            first.Callback(7);
            Assert.Equal(7, result);
        });
    }

    [Fact]
    public void CH6_TenThousandCallbacksOnASmallStack()
    {
        OnSmallStack(() =>
        {
            var d = new Deferred<int>();
            for (int i = 0; i < 10_000; i++) d.AddCallback(x => x + 1);
            d.Callback(0);
            Assert.Equal(10_000, d.Result.Value);

            // Added to a fired Deferred, each runs at once (D4): still no growth.
            for (int i = 0; i < 10_000; i++) d.AddCallback(x => x - 1);
            Assert.Equal(0, d.Result.Value);
        });
    }

    /// <summary>
    /// Twisted's test_boundedStackDepth: <paramref name="howMany"/> inner Deferreds each returned by a callback of the
    /// previous one; the depth at which the top's final callback runs is returned.
    /// </summary>
    private static int ChainDepth(int howMany)
    {
        int depth = -1;
        var top = new Deferred<int>();
        var inners = new List<Deferred<int>>();
        for (int i = 0; i < howMany; i++) inners.Add(new Deferred<int>());
        var originals = inners.ToList();
        var last = new Deferred<int>();

        var inner = inners[^1];
        inners.RemoveAt(inners.Count - 1);
        var firstInner = inner;
        top.AddCallback(_ => firstInner).AddCallback(_ => { depth = new StackTrace().FrameCount; });
        while (inners.Count > 0)
        {
            var newInner = inners[^1];
            inners.RemoveAt(inners.Count - 1);
            var captured = newInner;
            inner.AddCallback(_ => captured);
            inner = newInner;
        }
        inner.AddCallback(_ => last);

        top.Callback(0);
        foreach (var d in originals) d.Callback(0);
        Assert.Equal(-1, depth); // the record callback has not run yet
        last.Callback(0);
        Assert.NotEqual(-1, depth);
        return depth;
    }

    [Fact]
    public void CH6_FinalCallbackRunsAtTheSameDepthHoweverManyDeferredsAreChained()
    {
        int one = ChainDepth(1);
        Assert.Equal(one, ChainDepth(2));
        Assert.Equal(one, ChainDepth(100));
        OnSmallStack(() => Assert.True(ChainDepth(10_000) > 0));
    }

    [Fact]
    public void IC5_FiveThousandAwaitsOfFiredDeferredsOnASmallStack()
    {
        static async Deferred<int> Loop(int count)
        {
            int total = 0;
            for (int i = 0; i < count; i++) total += await Deferred.Succeed(1);
            return total;
        }
        OnSmallStack(() => Assert.Equal(50_000, Loop(50_000).Result.Value));
    }

    [Fact]
    public void IC5_AwaitsResumedOneAfterAnotherOnASmallStack()
    {
        // Each await suspends; firing the Deferreds one by one resumes the method from the firing code each time.
        OnSmallStack(() =>
        {
            var gates = new Deferred<int>[5000];
            for (int i = 0; i < gates.Length; i++) gates[i] = new Deferred<int>();
            async Deferred<int> Loop()
            {
                int total = 0;
                foreach (var g in gates) total += await g;
                return total;
            }
            var d = Loop();
            foreach (var g in gates) g.Callback(1);
            Assert.Equal(5000, d.Result.Value);
        });
    }

    [Fact]
    public void IC5_AwaitingAPausedChainThatResolvesFromAnotherChainIsIterative()
    {
        // The awaited Deferred is the end of a 10,000-long chain of waiting Deferreds: resuming the method happens
        // from the explicit stack of the run loop, not from nested calls.
        OnSmallStack(() =>
        {
            var first = new Deferred<int>();
            Deferred<int> last = first;
            for (int i = 0; i < 10_000; i++)
            {
                var prev = last;
                var d = new Deferred<int>();
                last = d.AddCallback(_ => prev);
                d.Callback(0);
            }
            async Deferred<int> Await(Deferred<int> d) => await d + 1;
            var result = Await(last);
            first.Callback(41);
            Assert.Equal(42, result.Result.Value);
        });
    }
}
