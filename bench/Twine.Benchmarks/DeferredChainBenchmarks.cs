using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Twine.Defer;

namespace Twine.Benchmarks;

/// <summary>
/// Targets 1 and 2: a chain of <see cref="N"/> same-type callbacks (<c>x => x + 1</c>) built on an unfired source,
/// fired once, result read. Deferred&lt;int&gt; versus the equal TaskCompletionSource&lt;int&gt; + ContinueWith chain
/// (the baseline), whose continuations run inline because of ExecuteSynchronously.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
public class DeferredChainBenchmarks
{
    public const string Category = "Chain";

    // Cached once so the chain loop allocates only what the library allocates. (The compiler caches non-capturing
    // lambdas too; keeping them in fields just makes that explicit.)
    private static readonly Func<int, int> s_increment = x => x + 1;
    private static readonly Func<Task<int>, int> s_continueIncrement = t => t.Result + 1;

    [Params(1, 10, 100)]
    public int N;

    [Benchmark(Baseline = true), BenchmarkCategory(Category)]
    public int TcsContinueWith()
    {
        var source = new TaskCompletionSource<int>();
        Task<int> task = source.Task;
        for (int i = 0; i < N; i++) task = task.ContinueWith(s_continueIncrement, TaskContinuationOptions.ExecuteSynchronously);
        source.SetResult(0);
        return task.Result;
    }

    [Benchmark, BenchmarkCategory(Category)]
    public int DeferredAddCallback()
    {
        var d = new Deferred<int>();
        for (int i = 0; i < N; i++) d.AddCallback(s_increment);
        d.Callback(0);
        return d.Result.Value;
    }
}
