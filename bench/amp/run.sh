#!/usr/bin/env bash
# AMP round trips: a small command (Sum of two integers) against Twine's AMP server and Twisted's
# (twisted.protocols.amp on Debian's python3), both driven by the same Twine load generator.
#
#   bench/amp/run.sh              5 s windows after 5 s of warm-up, 1 and 10 connections,
#                                 1 and 16 calls in flight per connection
#   bench/amp/run.sh --smoke      1 s windows, 1 connection (CI: keeps the harness working; figures not judged)
#
# Options: --duration S  --warmup S  --conns "1 10"  --depths "1 16"  --servers "twine twisted"
#
# Method: the server runs on CPU 0 (taskset -c 0), the generator on CPU 1. Each connection keeps DEPTH calls in
# flight: at depth 1 every call pays its own receive and send, at depth 16 the calls of a connection arrive together
# and both servers (each batches the writes of one loop iteration) answer them together.
# After the warm-up the generator counts answers for the window and reads the server's utime and stime (also shown apart) from
# /proc/PID/stat before and after, so "server CPU per call" covers every thread of the server process.
# Results belong in bench/results/amp.md, measured on a quiet machine; this script only prints them.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
duration=5 warmup=5 conns="1 10" depths="1 16" servers="twine twisted"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --smoke) duration=1 warmup=0.3 conns="1" depths="1 16"; shift ;;
    --duration) duration="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --conns) conns="$2"; shift 2 ;;
    --depths) depths="$2"; shift 2 ;;
    --servers) servers="$2"; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

log() { echo "[amp-bench] $*" >&2; }
py=/usr/bin/python3
"$py" -c 'import twisted.protocols.amp' 2>/dev/null || { echo "run.sh: needs Debian's python3-twisted" >&2; exit 1; }
# taskset execs the program, so $! below is the server itself (its /proc/PID/stat is what the generator reads).
cpu0=() cpu1=()
if command -v taskset >/dev/null && [[ $(nproc) -ge 2 ]]; then cpu0=(taskset -c 0) cpu1=(taskset -c 1); fi

out="$(mktemp -d /tmp/twine-amp-bench.XXXXXX)"
log "building TwineAmpBench (Release)"
dotnet build -c Release -o "$out/bin" "$here/TwineAmpBench/TwineAmpBench.csproj" >"$out/build.log" 2>&1 || { cat "$out/build.log"; exit 1; }

server_pid=""
cleanup() { if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi; }
trap cleanup EXIT

# Sets server_pid and port (not run in a subshell, so that both survive).
start_server() {
  local kind="$1" fifo="$out/$1.port"
  case "$kind" in
    twine) "${cpu0[@]}" dotnet "$out/bin/TwineAmpBench.dll" server >"$fifo" 2>"$out/$kind.err" & ;;
    twisted) "${cpu0[@]}" "$py" -u "$here/amp_twisted_server.py" >"$fifo" 2>"$out/$kind.err" & ;;
  esac
  server_pid=$!
  for _ in $(seq 1 300); do
    if grep -q '^PORT ' "$fifo" 2>/dev/null; then port="$(sed -n 's/^PORT //p' "$fifo")"; return 0; fi
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "run.sh: the $kind server did not start" >&2; cat "$out/$kind.err" >&2; return 1
}

echo "| server | connections | calls in flight per connection | calls/s | server CPU µs/call | of which user | of which kernel |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for kind in $servers; do
  for c in $conns; do
   for depth in $depths; do
    start_server "$kind"
    result="$("${cpu1[@]}" dotnet "$out/bin/TwineAmpBench.dll" client "$port" "$c" "$warmup" "$duration" "$server_pid" "$depth")"
    cps="$(sed -n 's/^calls_per_s //p' <<<"$result")"
    us="$(sed -n 's/^server_us_per_call //p' <<<"$result")"
    user="$(sed -n 's/^server_user_us_per_call //p' <<<"$result")"
    sys="$(sed -n 's/^server_sys_us_per_call //p' <<<"$result")"
    [[ -n "$cps" && -n "$us" ]] || { echo "run.sh: no result from the generator against $kind" >&2; exit 1; }
    echo "| $kind | $c | $depth | $cps | $us | $user | $sys |"
    cleanup; server_pid=""
   done
  done
done
rm -rf "$out"
