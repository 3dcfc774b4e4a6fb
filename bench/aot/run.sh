#!/usr/bin/env bash
# Native AOT against JIT for the twine tool: binary size and start-up time (median of N runs) for `twine --help` and a
# short `twine demo`. Prints a markdown table. Full mode: N=20 (about 2 minutes with the two publishes);
# --smoke: N=3, to keep the harness working in CI (figures then mean nothing).
# Uses hyperfine when installed (Debian package `hyperfine`), otherwise a timing loop in this script.
set -euo pipefail
cd "$(dirname "$0")/../.."

runs=20
if [ "${1:-}" = "--smoke" ]; then runs=3; fi
out=${AOT_BENCH_DIR:-/tmp/twine-aot-bench}
demo_args=(demo defer-chain --fast)

mkdir -p "$out"
# Both builds are Release; the JIT one is framework-dependent (what `dotnet tool install` gives), the AOT one native.
dotnet publish src/Twine.Cli -c Release -r linux-x64 --self-contained false -p:PublishAot=false -o "$out/jit" >"$out/jit.log" 2>&1 \
  || { tail -20 "$out/jit.log"; exit 1; }
dotnet publish src/Twine.Cli -c Release -r linux-x64 -p:PublishAot=true -o "$out/aot" >"$out/aot.log" 2>&1 \
  || { tail -20 "$out/aot.log"; exit 1; }

jit=("$out/jit/Twine.Cli")
aot=("$out/aot/Twine.Cli")   # the executable keeps the project's assembly name; `twine` is the dotnet-tool command name
# Both binaries must work before anything is timed.
"${aot[@]}" "${demo_args[@]}" >/dev/null
"${jit[@]}" "${demo_args[@]}" >/dev/null

# Median wall time in milliseconds of `runs` runs of the given command.
median_ms() {
  if command -v hyperfine >/dev/null; then
    hyperfine --runs "$runs" --warmup 1 --style none --export-json "$out/h.json" -- "$(printf '%q ' "$@")" >/dev/null 2>&1
    python3 -c 'import json,sys; print(f"{json.load(open(sys.argv[1]))["results"][0]["median"]*1000:.1f}")' "$out/h.json"
  else
    local times=()
    "$@" >/dev/null 2>&1   # warm-up: page cache
    for _ in $(seq "$runs"); do
      local start end
      start=$(date +%s%N); "$@" >/dev/null 2>&1; end=$(date +%s%N)
      times+=($(( (end - start) / 1000 )))
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.1f\n", m / 1000}'
  fi
}

size_mb() { du -sb "$1" | awk '{printf "%.1f", $1 / 1048576}'; }

aot_help=$(median_ms "${aot[@]}" --help)
jit_help=$(median_ms "${jit[@]}" --help)
aot_demo=$(median_ms "${aot[@]}" "${demo_args[@]}")
jit_demo=$(median_ms "${jit[@]}" "${demo_args[@]}")

echo "| build | on disk (MiB) | \`twine --help\` (ms, median of $runs) | \`twine ${demo_args[*]}\` (ms, median of $runs) |"
echo "|---|---|---|---|"
echo "| Native AOT (single file) | $(size_mb "$out/aot/Twine.Cli") | $aot_help | $aot_demo |"
echo "| JIT, framework-dependent (publish folder; needs the .NET runtime) | $(size_mb "$out/jit") | $jit_help | $jit_demo |"
