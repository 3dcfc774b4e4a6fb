#!/usr/bin/env bash
# Instructions per 10-callback chain (create, ten x => x + 1 callbacks, fire, read), counted by callgrind, for
# Twine's Deferred<int>, the naive boxed Deferred of bench/Twine.Benchmarks and TaskCompletionSource + ContinueWith.
#
# Counts do not depend on machine load, so they can guide work on a busy machine; times (the --compare mode of
# bench/Twine.Benchmarks) cannot. The driver is compiled with NativeAOT because, under valgrind, the JIT falls back
# to unoptimised code, which would count the wrong thing. Each figure is (run of 300,000 ops - run of 100,000 ops) /
# 200,000, so start-up cancels out.
#
# Usage: bench/callgrind/chain-instructions.sh [path to Twine.csproj]   (default: this checkout's src/Twine)
# Needs: valgrind, clang (clang-14 is enough: set CLANG), and NuGet access for the NativeAOT compiler package.
# With KEEP=1 the callgrind files stay in the work directory for callgrind_annotate (function names included).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
twine="${1:-$here/../../src/Twine/Twine.csproj}"
twine="$(cd "$(dirname "$twine")" && pwd)/$(basename "$twine")"
clang="${CLANG:-$(command -v clang || command -v clang-14)}"
work="$(mktemp -d)"
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT

cat > "$work/ChainCount.csproj" <<PROJ
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <PublishAot>true</PublishAot>
    <StripSymbols>false</StripSymbols>
    <CppCompilerAndLinker>$clang</CppCompilerAndLinker>
    <InvariantGlobalization>true</InvariantGlobalization>
    <TreatWarningsAsErrors>false</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <ProjectReference Include="$twine" />
    <Compile Include="$here/../Twine.Benchmarks/NaiveDeferred.cs" />
  </ItemGroup>
</Project>
PROJ

cat > "$work/Program.cs" <<'CS'
using System.Runtime.CompilerServices;
using Twine.Benchmarks;
using Twine.Defer;

static class Program
{
    private static readonly Func<int, int> s_increment = x => x + 1;
    private static readonly Func<object?, object?> s_boxedIncrement = x => (int)x! + 1;
    private static readonly Func<Task<int>, int> s_continueIncrement = t => t.Result + 1;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Twine()
    {
        var d = new Deferred<int>();
        for (int i = 0; i < 10; i++) d.AddCallback(s_increment);
        d.Callback(0);
        return d.Result.Value;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Naive()
    {
        var d = new NaiveDeferred();
        for (int i = 0; i < 10; i++) d.AddCallback(s_boxedIncrement);
        d.Callback(0);
        return (int)d.Result!;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Tcs()
    {
        var source = new TaskCompletionSource<int>();
        Task<int> task = source.Task;
        for (int i = 0; i < 10; i++) task = task.ContinueWith(s_continueIncrement, TaskContinuationOptions.ExecuteSynchronously);
        source.SetResult(0);
        return task.Result;
    }

    private static int Main(string[] args)
    {
        Func<int> body = args[0] switch { "twine" => Twine, "naive" => Naive, _ => Tcs };
        int operations = int.Parse(args[1]);
        int sum = 0;
        for (int i = 0; i < operations; i++) sum += body();
        return sum == 10 * operations ? 0 : 1;
    }
}
CS

dotnet publish "$work/ChainCount.csproj" -c Release -r linux-x64 -o "$work/out" > "$work/publish.log" 2>&1 || { cat "$work/publish.log"; exit 1; }
# valgrind cannot read the DWARF that clang writes; the symbol table alone gives it the function names.
objcopy --strip-debug "$work/out/ChainCount" "$work/out/ChainCount.counted"

count() {
    valgrind --tool=callgrind --callgrind-out-file="$work/$1.$2.out" "$work/out/ChainCount.counted" "$1" "$2" 2>&1 |
        sed -n 's/.*Collected : //p'
}
for which in twine naive tcs; do
    small=$(count "$which" 100000)
    large=$(count "$which" 300000)
    per_op=$(( (large - small) / 200000 ))
    printf '%-6s %6d instructions per chain, %4d per callback\n' "$which" "$per_op" "$(( per_op / 10 ))"
done
[ "${KEEP:-0}" = 1 ] && echo "callgrind files: $work"
