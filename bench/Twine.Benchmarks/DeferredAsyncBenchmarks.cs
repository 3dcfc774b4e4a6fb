using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Twine.Defer;

namespace Twine.Benchmarks;

/// <summary>
/// Target 3: an async method that awaits one result and adds one to it, as <c>async Deferred&lt;int&gt;</c>,
/// <c>async Task&lt;int&gt;</c> (the baseline) and <c>async ValueTask&lt;int&gt;</c>.
/// <list type="bullet">
/// <item><b>AwaitFired</b>: the awaited result already exists (Deferred.Succeed / Task.FromResult), so no method
/// suspends; the awaited object is created per operation in every variant.</item>
/// <item><b>AwaitPending</b>: the awaited result is created unfired (new Deferred / a TaskCompletionSource without
/// RunContinuationsAsynchronously), the method suspends, then the source is fired and the method resumes inline.</item>
/// </list>
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
public class DeferredAsyncBenchmarks
{
    public const string Fired = "AwaitFired";
    public const string Pending = "AwaitPending";

    // Outside Task's cache of small completed Task<int>s, so Task.FromResult allocates as Deferred.Succeed does.
    private const int Seed = 1000;

    // ---- awaiting a fired result ----------------------------------------------------------------------------

    [Benchmark(Baseline = true), BenchmarkCategory(Fired)]
    public int AsyncTask_Fired() => AddOneTask(Task.FromResult(Seed)).Result;

    [Benchmark, BenchmarkCategory(Fired)]
    public int AsyncValueTask_Fired() => AddOneValueTask(Task.FromResult(Seed)).Result;

    [Benchmark, BenchmarkCategory(Fired)]
    public int AsyncDeferred_Fired() => AddOneDeferred(Deferred.Succeed(Seed)).Result.Value;

    // ---- awaiting a pending result that is fired after the call ---------------------------------------------

    [Benchmark(Baseline = true), BenchmarkCategory(Pending)]
    public int AsyncTask_Pending()
    {
        var source = new TaskCompletionSource<int>();
        var result = AddOneTask(source.Task);
        source.SetResult(Seed);
        return result.Result;
    }

    [Benchmark, BenchmarkCategory(Pending)]
    public int AsyncValueTask_Pending()
    {
        var source = new TaskCompletionSource<int>();
        var result = AddOneValueTask(source.Task);
        source.SetResult(Seed);
        return result.Result;
    }

    [Benchmark, BenchmarkCategory(Pending)]
    public int AsyncDeferred_Pending()
    {
        var d = new Deferred<int>();
        var result = AddOneDeferred(d);
        d.Callback(Seed);
        return result.Result.Value;
    }

    // ---- the async methods under test ------------------------------------------------------------------------

    private static async Task<int> AddOneTask(Task<int> awaited) => await awaited + 1;

    private static async ValueTask<int> AddOneValueTask(Task<int> awaited) => await awaited + 1;

    private static async Deferred<int> AddOneDeferred(Deferred<int> awaited) => await awaited + 1;
}
