using System.Diagnostics;

namespace Twine.Benchmarks;

/// <summary>
/// <c>--compare [rounds]</c>: the issue-15 side-by-side of the 10-callback chain (create, add ten <c>x => x + 1</c>,
/// fire, read), Twine's Deferred against the naive boxed Deferred and TaskCompletionSource + ContinueWith, measured
/// in one process and interleaved round by round so that load hits all three alike. Prints callbacks per second
/// (best round of each, which is the least disturbed) and the ratios. Timings need a quiet machine.
/// <c>--loop twine|naive|tcs [operations]</c>: warms one of them up, then runs it silently, for callgrind or perf.
/// </summary>
internal static class ChainComparison
{
    private const int Callbacks = 10;

    private static readonly (string Name, Func<int, int> Body)[] s_bodies =
    [
        ("Twine Deferred<int>", DeferredChainBenchmarks.RunDeferred),
        ("naive boxed Deferred", DeferredChainBenchmarks.RunNaive),
        ("TCS + ContinueWith", DeferredChainBenchmarks.RunTcs),
    ];

    public static int Compare(int rounds)
    {
        var best = new double[s_bodies.Length];
        var bytes = new double[s_bodies.Length];
        foreach (var (_, body) in s_bodies) Time(body, TimeSpan.FromMilliseconds(300)); // JIT up to the final tier
        for (int round = 0; round < rounds; round++)
        {
            for (int i = 0; i < s_bodies.Length; i++)
            {
                var (rate, allocated) = Time(s_bodies[i].Body, TimeSpan.FromMilliseconds(200));
                best[i] = Math.Max(best[i], rate);
                bytes[i] = allocated;
            }
        }
        Console.WriteLine($"10-callback chain, best of {rounds} interleaved rounds (load average now {LoadAverage()}):");
        for (int i = 0; i < s_bodies.Length; i++)
            Console.WriteLine($"  {s_bodies[i].Name,-22} {best[i] / 1e6,8:F1} M callbacks/s  {bytes[i],6:F0} B/op");
        Console.WriteLine($"  Twine / naive = {best[0] / best[1]:F2}x   Twine / TCS = {best[0] / best[2]:F2}x");
        return 0;
    }

    public static int Loop(string which, int operations)
    {
        var body = which switch
        {
            "twine" => s_bodies[0].Body,
            "naive" => s_bodies[1].Body,
            "tcs" => s_bodies[2].Body,
            _ => null,
        };
        if (body is null)
        {
            Console.Error.WriteLine("--loop expects twine, naive or tcs");
            return 2;
        }
        // Warm up to the final JIT tier before the measured loop: tiering compiles in the background, and under
        // valgrind that thread only gets to run while this one sleeps. Comparing the instruction counts of two
        // operation counts then cancels start-up, JIT and warm-up, leaving the cost per operation.
        for (int round = 0; round < 20; round++)
        {
            for (int i = 0; i < 1000; i++) body(Callbacks);
            Thread.Sleep(200);
        }
        int sum = 0;
        for (int i = 0; i < operations; i++) sum += body(Callbacks);
        return sum == operations * Callbacks ? 0 : 1;
    }

    private static (double CallbacksPerSecond, double BytesPerOp) Time(Func<int, int> body, TimeSpan duration)
    {
        long operations = 0;
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < duration)
        {
            for (int i = 0; i < 1000; i++)
            {
                if (body(Callbacks) != Callbacks) throw new InvalidOperationException("wrong result");
            }
            operations += 1000;
        }
        watch.Stop();
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        return (operations * Callbacks / watch.Elapsed.TotalSeconds, (double)allocated / operations);
    }

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
