using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Twine.Defer;

namespace Twine.Benchmarks;

/// <summary>
/// Targets 1 and 2: a chain of <see cref="N"/> same-type callbacks (<c>x => x + 1</c>) built on an unfired source,
/// fired once, result read. Deferred&lt;int&gt; versus the equal TaskCompletionSource&lt;int&gt; + ContinueWith chain
/// (the baseline), whose continuations run inline because of ExecuteSynchronously, and versus a naive boxed
/// Deferred (<see cref="NaiveDeferred"/>), the floor a real Deferred should beat.
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
    private static readonly Func<object?, object?> s_boxedIncrement = x => (int)x! + 1;

    [Params(1, 10, 100)]
    public int N;

    [Benchmark(Baseline = true), BenchmarkCategory(Category)]
    public int TcsContinueWith() => RunTcs(N);

    [Benchmark, BenchmarkCategory(Category)]
    public int NaiveBoxedDeferred() => RunNaive(N);

    [Benchmark, BenchmarkCategory(Category)]
    public int DeferredAddCallback() => RunDeferred(N);

    internal static int RunTcs(int n)
    {
        var source = new TaskCompletionSource<int>();
        Task<int> task = source.Task;
        for (int i = 0; i < n; i++) task = task.ContinueWith(s_continueIncrement, TaskContinuationOptions.ExecuteSynchronously);
        source.SetResult(0);
        return task.Result;
    }

    internal static int RunNaive(int n)
    {
        var d = new NaiveDeferred();
        for (int i = 0; i < n; i++) d.AddCallback(s_boxedIncrement);
        d.Callback(0);
        return (int)d.Result!;
    }

    internal static int RunDeferred(int n)
    {
        var d = new Deferred<int>();
        for (int i = 0; i < n; i++) d.AddCallback(s_increment);
        d.Callback(0);
        return d.Result.Value;
    }
}
