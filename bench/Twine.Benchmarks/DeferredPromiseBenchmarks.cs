using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Twine.Defer;

namespace Twine.Benchmarks;

/// <summary>
/// Target 4: a chain of 10 <c>x => x + 1</c> handlers on an already-resolved source, run to completion, result read.
/// Promise&lt;int&gt;.Then driven by a <see cref="ManualCallSoon"/> (every handler queued, then run until idle) versus
/// the equal Task.ContinueWith chain driven the same way by a <see cref="ManualTaskScheduler"/> (the baseline), and
/// the ContinueWith chain with ExecuteSynchronously, which runs each step inline at once (no queue at all).
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
public class DeferredPromiseBenchmarks
{
    public const string Category = "ThenChain10";
    public const int Length = 10;

    // Outside Task's cache of small completed Task<int>s, so the Task source allocates as Promise.Resolve does.
    private const int Seed = 1000;

    private static readonly Func<int, int> s_increment = x => x + 1;
    private static readonly Func<Task<int>, int> s_continueIncrement = t => t.Result + 1;

    // One scheduler per benchmark instance, reused by every operation, as a reactor's queue is.
    private readonly ManualCallSoon _soon = new();
    private readonly ManualTaskScheduler _taskScheduler = new();

    [Benchmark(Baseline = true), BenchmarkCategory(Category)]
    public int TaskContinueWith_Queued()
    {
        Task<int> task = Task.FromResult(Seed);
        for (int i = 0; i < Length; i++)
            task = task.ContinueWith(s_continueIncrement, CancellationToken.None, TaskContinuationOptions.None, _taskScheduler);
        _taskScheduler.RunUntilIdle();
        return task.Result;
    }

    [Benchmark, BenchmarkCategory(Category)]
    public int TaskContinueWith_Inline()
    {
        Task<int> task = Task.FromResult(Seed);
        for (int i = 0; i < Length; i++) task = task.ContinueWith(s_continueIncrement, TaskContinuationOptions.ExecuteSynchronously);
        return task.Result;
    }

    [Benchmark, BenchmarkCategory(Category)]
    public int PromiseThen_ManualCallSoon()
    {
        var promise = Promise.Resolve(Seed, _soon);
        for (int i = 0; i < Length; i++) promise = promise.Then(s_increment);
        _soon.RunUntilIdle();
        if (promise.State != PromiseState.Fulfilled) throw new InvalidOperationException($"The promise chain did not settle: {promise}.");
        // Internal accessor (InternalsVisibleTo): reading the value publicly means awaiting, which would add a step.
        return promise.Value;
    }
}
