#!/usr/bin/env bash
# Scaling across cores: `twine echo` and `twine web` with --workers 1 and 2 (one reactor per worker, each on its own
# SO_REUSEPORT socket), driven by the echo load generator (bench/echo/loadgen.c) and wrk.
#
#   bench/scaling/run.sh            full run: 2 rounds x {echo, http} x {1, 2 workers}, 10 s windows after 5 s of warm-up (about 3 minutes)
#   bench/scaling/run.sh --smoke    each case ~1 s with 4 connections: keeps the harness working (CI)
#
# Options: --rounds N  --duration S  --warmup S  --workers "1 2"  --echo-conns N  --http-conns N  --msg BYTES
#          --out FILE (also write the markdown table there)
#
# Method: nothing is pinned: the server's reactors and the load client share the machine's cores, as they must on a
# 2-core machine. So the table reports CPU per request as well as throughput: "server" is the twine process's
# utime+stime over the measured window (all threads: every reactor, GC, JIT) per request or round trip, "client" is
# the load generator's (loadgen reports its own; wrk's is taken from bash's `time`), and "total" their sum. With
# the client on the same cores, 2 workers cannot double throughput; falling CPU per request shows whether the extra
# reactor costs anything, rising throughput how much of the second core the server could use.
set -euo pipefail
orig_args="$*"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
work="${SCALING_WORK:-/tmp/twine-scaling-bench}"
artifacts="${SCALING_ARTIFACTS:-/tmp/art-scaling}"
mkdir -p "$work"

rounds=2 duration=10 warmup=5 workers="1 2" echo_conns=100 http_conns=50 msg=64 out="" smoke=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --smoke) smoke=1 rounds=1 duration=1 warmup=0.2 echo_conns=4 http_conns=4; shift ;;
    --rounds) rounds="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --workers) workers="$2"; shift 2 ;;
    --echo-conns) echo_conns="$2"; shift 2 ;;
    --http-conns) http_conns="$2"; shift 2 ;;
    --msg) msg="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

log() { echo "[scaling-bench] $*" >&2; }
command -v gcc >/dev/null || { echo "run.sh: gcc is needed to build the load generator" >&2; exit 1; }
command -v wrk >/dev/null || { echo "run.sh: wrk is not on PATH (apt-get install wrk)" >&2; exit 1; }
ulimit -n 65536 2>/dev/null || true

gcc -O2 -Wall -o "$work/loadgen" "$repo/bench/echo/loadgen.c"
loadgen="$work/loadgen"
log "building the twine CLI (Release, artifacts in $artifacts)"
dotnet build "$repo/src/Twine.Cli" -c Release --artifacts-path "$artifacts" -nologo -v quiet >"$work/build.log" 2>&1 \
  || { cat "$work/build.log" >&2; echo "run.sh: building the CLI failed" >&2; exit 1; }
twine="$artifacts/bin/Twine.Cli/release/Twine.Cli.dll"
site="$work/site"
mkdir -p "$site"
printf 'hello, twine\n' >"$site/index.html"

clk=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

server_pid=""
start_server() {   # kind workers port -> sets server_pid, waits until it accepts
  local kind=$1 n=$2 port=$3 endpoint="tcp:$3:interface=127.0.0.1"
  case "$kind" in
    echo) dotnet "$twine" echo --listen "$endpoint" --workers "$n" >"$work/server.log" 2>&1 & ;;
    http) dotnet "$twine" web --quiet --path "$site" --listen "$endpoint" --workers "$n" >"$work/server.log" 2>&1 & ;;
  esac
  server_pid=$!
  if ! "$loadgen" wait "$port" 60; then cat "$work/server.log" >&2; echo "run.sh: twine $kind did not start" >&2; exit 1; fi
  # Every worker must be listening before load starts, or the first ones would take all the connections.
  for _ in $(seq 1 300); do
    (( $(grep -c "listening on\|serving " "$work/server.log") >= n )) && return 0
    sleep 0.1
  done
  cat "$work/server.log" >&2; echo "run.sh: not every worker of twine $kind started" >&2; exit 1
}
stop_server() {
  [[ -z "$server_pid" ]] && return
  kill -TERM "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}
trap stop_server EXIT

measure_echo() {   # port -> "throughput server_us client_us"
  local line
  line=$("$loadgen" echo "$1" "$echo_conns" "$msg" "$warmup" "$duration" "$server_pid")
  awk -v l="$line" 'BEGIN {
    n = split(l, kv, " "); for (i = 1; i <= n; i++) { split(kv[i], p, "="); v[p[1]] = p[2] }
    rt = v["rt_per_s"]; printf "%.0f %.2f %.2f\n", rt, v["server_cpu_us_per_rt"], (rt > 0 ? v["client_cpu_pct"] / 100 * 1e6 / rt : 0) }'
}

measure_http() {   # port -> "throughput server_us client_us"
  local before after out requests client_s
  # wrk measures from its start; a short warm-up run first, so JIT and connection set-up stay out of the window.
  wrk -t1 -c"$http_conns" -d"${warmup%.*}s" "http://127.0.0.1:$1/" >/dev/null 2>&1 || true
  before=$(cpu_ticks "$server_pid")
  { out=$( { TIMEFORMAT='%U %S'; time wrk -t1 -c"$http_conns" -d"${duration}s" "http://127.0.0.1:$1/"; } 2>"$work/wrk-time.txt"); }
  after=$(cpu_ticks "$server_pid")
  if grep -q "Non-2xx\|Socket errors" <<<"$out"; then echo "$out" >&2; echo "run.sh: errors from wrk" >&2; exit 1; fi
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  client_s=$(tail -1 "$work/wrk-time.txt" | awk '{print $1 + $2}')
  awk -v r="$requests" -v d="$duration" -v t=$((after - before)) -v clk="$clk" -v c="$client_s" \
    'BEGIN { printf "%.0f %.2f %.2f\n", r / d, (r > 0 ? t / clk * 1e6 / r : 0), (r > 0 ? c * 1e6 / r : 0) }'
}

declare -A results
port=19100
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
for round in $(seq 1 "$rounds"); do
  for kind in echo http; do
    for n in $workers; do
      port=$((port + 1))
      start_server "$kind" "$n" "$port"
      if [[ $kind == echo ]]; then r=$(measure_echo "$port"); else r=$(measure_http "$port"); fi
      stop_server
      results["$kind,$n,$round"]=$r
      log "round $round $kind workers=$n: $r (per second, server CPU us, client CPU us)"
    done
  done
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
col() { for r in $(seq 1 "$rounds"); do echo "${results[$1,$2,$r]}" | cut -d' ' -f"$3"; done | median; }
table() {
  echo "Twine scaling: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load average $load_start at start, $load_end at end."
  echo "Command: bench/scaling/run.sh${orig_args:+ $orig_args}; medians of $rounds round(s), ${duration} s windows; echo: $echo_conns connections, ${msg}-byte ping-pong; http: wrk -t1 -c$http_conns, GET / of a 13-byte file (twine web --quiet)."
  echo
  echo "| test | workers | per second | server CPU µs/request | client CPU µs/request | total CPU µs/request |"
  echo "|---|---:|---:|---:|---:|---:|"
  for kind in echo http; do
    for n in $workers; do
      local tput s c
      tput=$(col "$kind" "$n" 1); s=$(col "$kind" "$n" 2); c=$(col "$kind" "$n" 3)
      echo "| $kind | $n | $tput | $s | $c | $(awk -v s="$s" -v c="$c" 'BEGIN { printf "%.2f", s + c }') |"
    done
  done
}
if [[ -n "$out" ]]; then table | tee "$out"; else table; fi

if (( smoke )); then
  # A check, not a measurement: every case must have served something.
  for key in "${!results[@]}"; do
    tput=$(echo "${results[$key]}" | cut -d' ' -f1)
    (( tput > 0 )) || { echo "run.sh: $key served nothing" >&2; exit 1; }
  done
  echo "scaling smoke: ok"
fi
