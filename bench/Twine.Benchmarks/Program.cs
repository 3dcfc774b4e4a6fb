using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using Twine.Benchmarks;

// Usage:
//   dotnet run -c Release --project bench/Twine.Benchmarks -- --filter '*Deferred*' [--join] [--job short]
//   dotnet run -c Release --project bench/Twine.Benchmarks -- --smoke [iterations]
//   dotnet run -c Release --project bench/Twine.Benchmarks -- --compare [rounds]   (10-callback chain side by side)
//   dotnet run -c Release --project bench/Twine.Benchmarks -- --loop twine|naive|tcs [operations]   (for callgrind)
//
// Benchmarks run in-process by default (BenchmarkDotNet's --inProcess): the binaries `dotnet run` just built are the
// ones measured, and BenchmarkDotNet does not rebuild the solution in the source tree, which would collide with
// other builds on a shared machine. Pass --out-of-process for BenchmarkDotNet's usual separate-process toolchain.

if (args.Length > 0 && args[0] == "--smoke")
{
    int iterations = args.Length > 1 && int.TryParse(args[1], out var n) && n > 0 ? n : 2000;
    return Smoke.Run(iterations);
}

if (args.Length > 0 && args[0] == "--compare")
{
    int rounds = args.Length > 1 && int.TryParse(args[1], out var r) && r > 0 ? r : 10;
    return ChainComparison.Compare(rounds);
}

if (args.Length > 0 && args[0] == "--loop" && args.Length > 1)
{
    int operations = args.Length > 2 && int.TryParse(args[2], out var o) && o > 0 ? o : 1_000_000;
    return ChainComparison.Loop(args[1], operations);
}

var bdnArgs = args.Where(a => a != "--out-of-process").ToList();
bool inProcess = bdnArgs.Count == args.Length;
if (inProcess && !bdnArgs.Any(a => a is "--inProcess" or "-i")) bdnArgs.Add("--inProcess");

// Baselines are per category (and per parameter value), so each Ratio reads "versus the .NET equivalent".
var config = DefaultConfig.Instance
    .AddColumn(CategoriesColumn.Default)
    .AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams);

var summaries = BenchmarkSwitcher.FromAssembly(typeof(Smoke).Assembly).Run([.. bdnArgs], config);
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
