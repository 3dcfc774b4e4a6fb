using System.Diagnostics;
using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace Twine.Benchmarks;

/// <summary>
/// <c>--smoke</c>: runs every benchmark body a few thousand times without BenchmarkDotNet, for CI. Checks that each
/// body runs without throwing and that all bodies of one category (and parameter set) return the same value, so a
/// benchmark that silently measures the wrong thing fails here. Prints one line per benchmark with a rough time and
/// allocation per operation (informative only: no timing or allocation threshold, CI machines vary).
/// </summary>
internal static class Smoke
{
    public static int Run(int iterations)
    {
        int failures = 0;
        var types = typeof(Smoke).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && t.GetMethods().Any(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null))
            .OrderBy(t => t.Name);
        foreach (var type in types)
        {
            foreach (var parameters in ParameterSets(type))
            {
                var instance = Activator.CreateInstance(type)!;
                foreach (var (member, value) in parameters) Set(member, instance, value);
                foreach (var setup in type.GetMethods().Where(m => m.GetCustomAttribute<GlobalSetupAttribute>() is not null))
                    setup.Invoke(instance, null);

                var label = parameters.Count == 0 ? "" : " " + string.Join(", ", parameters.Select(p => $"{p.Member.Name}={p.Value}"));
                var expected = new Dictionary<string, (string Method, object? Result)>();
                foreach (var method in type.GetMethods().Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null))
                {
                    var category = method.GetCustomAttribute<BenchmarkCategoryAttribute>()?.Categories.FirstOrDefault() ?? "";
                    string line = $"{type.Name}.{method.Name} [{category}{label}]";
                    try
                    {
                        var (result, nsPerOp, bytesPerOp) = Measure(method, instance, iterations);
                        if (expected.TryGetValue(category, out var first) && !Equals(first.Result, result))
                        {
                            failures++;
                            Console.WriteLine($"FAIL {line}: returned {result}, but {first.Method} returned {first.Result}");
                            continue;
                        }
                        expected.TryAdd(category, (method.Name, result));
                        Console.WriteLine($"ok   {line}: {iterations} ops, result {result}, ~{nsPerOp:F0} ns/op, ~{bytesPerOp:F0} B/op");
                    }
                    catch (Exception e)
                    {
                        failures++;
                        Console.WriteLine($"FAIL {line}: {(e is TargetInvocationException { InnerException: { } inner } ? inner : e)}");
                    }
                }
                foreach (var cleanup in type.GetMethods().Where(m => m.GetCustomAttribute<GlobalCleanupAttribute>() is not null))
                    cleanup.Invoke(instance, null);
            }
        }
        Console.WriteLine(failures == 0 ? "smoke: all benchmarks ran" : $"smoke: {failures} benchmark(s) failed");
        return failures == 0 ? 0 : 1;
    }

    private static (object? Result, double NsPerOp, double BytesPerOp) Measure(MethodInfo method, object instance, int iterations)
    {
        // A typed delegate keeps the harness allocation-free, so the bytes counted are the benchmark's own.
        if (method.ReturnType == typeof(int) && method.GetParameters().Length == 0)
        {
            var body = method.CreateDelegate<Func<int>>(instance);
            int result = body(); // warm-up (JIT, static initialisers)
            long bytes = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < iterations; i++) result = body();
            watch.Stop();
            bytes = GC.GetAllocatedBytesForCurrentThread() - bytes;
            return (result, watch.Elapsed.TotalNanoseconds / iterations, (double)bytes / iterations);
        }
        object? boxed = method.Invoke(instance, null);
        var slow = Stopwatch.StartNew();
        for (int i = 0; i < iterations; i++) boxed = method.Invoke(instance, null);
        slow.Stop();
        return (boxed, slow.Elapsed.TotalNanoseconds / iterations, double.NaN);
    }

    /// <summary>Every combination of the type's [Params] values (one empty set when it has none).</summary>
    private static IEnumerable<List<(MemberInfo Member, object? Value)>> ParameterSets(Type type)
    {
        var members = type.GetMembers(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.GetCustomAttribute<ParamsAttribute>() is not null)
            .Select(m => (Member: m, Values: m.GetCustomAttribute<ParamsAttribute>()!.Values))
            .ToList();
        IEnumerable<List<(MemberInfo, object?)>> sets = [[]];
        foreach (var (member, values) in members)
            sets = sets.SelectMany(set => values.Select(v => new List<(MemberInfo, object?)>(set) { (member, v) }));
        return sets;
    }

    private static void Set(MemberInfo member, object instance, object? value)
    {
        if (member is FieldInfo field) field.SetValue(instance, value);
        else ((PropertyInfo)member).SetValue(instance, value);
    }
}
