using Twine.Defer;

namespace Twine.Tests.Defer;

/// <summary>
/// The typed API (docs/design.md, "One chain, typed views"): type-changing callbacks return views of one chain, stale
/// views fail loudly, only the root can be fired, and value-type results are not boxed.
/// </summary>
[Collection(DeferredGlobalStateCollection.Name)] // counts allocations: debug mode must stay off meanwhile
public sealed class DeferredTypedTests
{
    private sealed class CustomException : Exception;

    [Fact]
    public void TypeChangingCallbackReturnsAViewOfTheSameChain()
    {
        var d = new Deferred<int>();
        Deferred<string> s = d.AddCallback(x => $"v={x}");
        Deferred<int> n = s.AddCallback(t => t.Length);
        Assert.NotSame(d, (object)s);
        Assert.NotSame(d, n);
        Assert.Equal(typeof(int), n.ResultType);
        Assert.False(s.Called);
        d.Callback(12);
        Assert.True(s.Called);
        Assert.Equal(4, n.Result.Value);
    }

    [Fact]
    public void StaleReferenceThrowsWhenAddingCallbacksButCanStillFire()
    {
        var d = new Deferred<int>();
        var s = d.AddCallback(x => x.ToString());
        var e = Assert.Throws<StaleDeferredException>(() => d.AddCallback(x => x + 1));
        Assert.Contains("Int32", e.Message);
        Assert.Contains("String", e.Message);
        Assert.Throws<StaleDeferredException>(() => d.AddErrback(_ => 0));
        Assert.Throws<StaleDeferredException>(() => d.AddFinally(() => { }));
        Assert.Throws<StaleDeferredException>(() => ((Deferred)d).AddCallback(() => { }));
        Assert.Throws<StaleDeferredException>(() => d.GetAwaiter());

        d.Callback(41);
        Assert.Equal("41", s.Result.Value);
        d.Cancel(); // fired: nothing happens, but the stale reference is a legal target
        Assert.False(s.IsFailed);
    }

    [Fact]
    public void StaleReferenceCanBeCancelled()
    {
        int cancelled = 0;
        var d = new Deferred<int>(_ => cancelled++);
        var s = d.AddCallback(x => x.ToString());
        Failure? seen = null;
        s.AddErrback(f => { seen = f; return ""; });
        d.Cancel();
        Assert.Equal(1, cancelled);
        Assert.IsType<CancelledException>(seen!.Value);
    }

    [Fact]
    public void CallbackOnANonRootViewThrows()
    {
        var d = new Deferred<int>();
        var s = d.AddCallback(x => x.ToString());
        Assert.Throws<InvalidOperationException>(() => s.Callback("nope"));
        Assert.Throws<InvalidOperationException>(() => s.Errback(new CustomException()));
        Assert.False(d.Called);
    }

    [Fact]
    public void ActionCallbackContinuesAsUnitAndUntypedAddsWork()
    {
        var d = new Deferred<string>();
        var log = new List<string>();
        Deferred<Unit> u = d.AddCallback(s => log.Add(s));
        Deferred asBase = u;
        var next = asBase.AddCallback(() => 5).AddCallback(x => log.Add("five=" + x));
        next.AddBoth(() => log.Add("both"));
        d.Callback("a");
        Assert.Equal(["a", "five=5", "both"], log);
    }

    [Fact]
    public void AddFinallyRunsOnBothPathsAndKeepsTheOutcome()
    {
        var ok = new Deferred<int>();
        var bad = new Deferred<int>();
        int runs = 0;
        ok.AddFinally(() => runs++);
        bad.AddFinally(() => runs++);
        ok.Callback(3);
        var e = new CustomException();
        bad.Errback(e);
        Assert.Equal(2, runs);
        Assert.Equal(3, ok.Result.Value);
        Assert.Same(e, bad.Result.Failure!.Value);
        bad.AddErrback(_ => { });
    }

    [Fact]
    public void TypeChangingAddCallbacksRoutesFailureToErrbackOfNewType()
    {
        var d = new Deferred<int>();
        var s = d.AddCallbacks(x => "ok " + x, f => "failed " + f.GetErrorMessage());
        d.Errback(new InvalidOperationException("boom"));
        Assert.Equal("failed boom", s.Result.Value);
    }

    [Fact]
    public void FailurePassesThroughATypeChangingCallback()
    {
        var d = new Deferred<int>();
        var e = new CustomException();
        var s = d.AddCallback(x => x.ToString()).AddCallback(t => t.Length);
        d.Errback(e);
        Assert.Same(e, s.Result.Failure!.Value);
        s.AddErrback(_ => { });
    }

    [Fact]
    public void ResultThroughAStaleViewThrows()
    {
        var d = new Deferred<int>();
        d.AddCallback(x => x.ToString());
        d.Callback(1);
        Assert.Throws<InvalidOperationException>(() => d.Result);
    }

    [Theory]
    [InlineData(1, 104)]
    [InlineData(2, 104)]
    [InlineData(10, 264)]
    public void ValueTypeChainDoesNotBoxAndAllocatesAtMostOneSmallLinkPerCallback(int callbacks, int budget)
    {
        long Run()
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            var d = new Deferred<int>();
            for (int i = 0; i < callbacks; i++) d.AddCallback(static x => x + 1);
            d.Callback(0);
            long after = GC.GetAllocatedBytesForCurrentThread();
            Assert.Equal(callbacks, d.Result.Value);
            return after - before;
        }
        Assert.False(Deferred.Debug);
        for (int i = 0; i < 5; i++) Run(); // warm-up: JIT, static lambda caches
        long bytes = Run();
        // The Deferred<int> (64 bytes) plus one 40-byte link per two callbacks: never more than the 32 bytes per
        // callback plus a 72-byte Deferred of before. A boxed int per callback (24 bytes) or any per-call closure
        // would push this over.
        Assert.True(bytes <= budget, $"allocated {bytes} bytes for {callbacks} callbacks");
    }

    [Fact]
    public void FiringAValueTypeChainThroughTypeChangesDoesNotBox()
    {
        static long Run()
        {
            var d = new Deferred<int>();
            var l = d.AddCallback(static x => (long)x * 2).AddCallback(static x => (double)x).AddCallback(static x => (int)x);
            long before = GC.GetAllocatedBytesForCurrentThread();
            d.Callback(21);
            long after = GC.GetAllocatedBytesForCurrentThread();
            Assert.Equal(42, l.Result.Value);
            return after - before;
        }
        for (int i = 0; i < 5; i++) Run();
        // Nothing is allocated; a single boxed value would be 24 bytes.
        long bytes = Run();
        Assert.True(bytes < 24, $"allocated {bytes} bytes firing the chain");
    }

    [Fact]
    public void AwaitingAFiredValueTypeDeferredDoesNotAllocate()
    {
        static async Deferred<int> Sum(Deferred<int>[] ds)
        {
            int total = 0;
            foreach (var d in ds) total += await d;
            return total;
        }
        static Deferred<int>[] Fired()
        {
            var ds = new Deferred<int>[100];
            for (int i = 0; i < ds.Length; i++) ds[i] = Deferred.Succeed(i);
            return ds;
        }
        _ = Sum(Fired());
        var ds = Fired(); // awaiting consumes the results (IC4), so each run needs fresh Deferreds
        long before = GC.GetAllocatedBytesForCurrentThread();
        var result = Sum(ds);
        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(4950, result.Result.Value);
        // The method's own Deferred only; the 100 awaits of fired Deferreds allocate nothing.
        Assert.True(bytes <= 256, $"allocated {bytes} bytes");
    }
}
