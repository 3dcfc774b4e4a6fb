#!/usr/bin/env bash
# Side-by-side HTTP benchmark harness: Twine.Web against twisted.web (Debian) and Node's http, GET / returning 2 bytes,
# driven by wrk. Figures are NOT recorded by this script's smoke mode; a full run prints a markdown table.
#
#   bench/http/run.sh            full run: 3 rounds, 10 s per measurement, 50 connections, plain and pipelined (16)
#   bench/http/run.sh --smoke    each server ~1 s with 4 connections, plain and pipelined: keeps the harness working
#
# Options: --rounds N  --duration S  --conns N  --depth N  --servers "twine twisted node"
#
# Method: the server runs on CPU 0 (taskset -c 0) and wrk (-t1) on CPU 1. "Server CPU per request" is the server
# process's utime+stime (from /proc/PID/stat, every thread) over the measured window divided by the requests wrk
# completed in it. Not measured here yet: Kestrel, aiohttp, idle memory per connection, static-file throughput.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="${HTTP_BENCH_WORK:-/tmp/twine-http-bench}"
artifacts="${HTTP_BENCH_ARTIFACTS:-/tmp/art-http}"
mkdir -p "$work"

rounds=3 duration=10 conns=50 depth=16 servers="twine twisted node"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --smoke) rounds=1 duration=1 conns=4; shift ;;
    --rounds) rounds="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --conns) conns="$2"; shift 2 ;;
    --depth) depth="$2"; shift 2 ;;
    --servers) servers="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

log() { echo "[http-bench] $*" >&2; }
command -v wrk >/dev/null || { echo "run.sh: wrk is not on PATH (apt-get install wrk)" >&2; exit 1; }

if [[ " $servers " == *" twine "* ]]; then
  log "building TwineHttp (Release)"
  dotnet build "$here/TwineHttp" -c Release --artifacts-path "$artifacts" -nologo -v quiet >"$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; exit 1; }
fi
if [[ $(nproc) -ge 2 ]] && command -v taskset >/dev/null; then pin_server=(taskset -c 0) pin_client=(taskset -c 1)
else pin_server=() pin_client=(); fi

clk=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

start_server() {   # name port -> sets server_pid
  local name=$1 port=$2
  case "$name" in
    twine) "${pin_server[@]}" dotnet "$artifacts/bin/TwineHttp/release/TwineHttp.dll" "$port" >"$work/$name.log" 2>&1 & ;;
    twisted) "${pin_server[@]}" /usr/bin/python3 "$here/http_twisted.py" "$port" >"$work/$name.log" 2>&1 & ;;
    node) "${pin_server[@]}" node "$here/http_node.js" "$port" >"$work/$name.log" 2>&1 & ;;
    *) echo "run.sh: unknown server $name" >&2; exit 2 ;;
  esac
  server_pid=$!
  for _ in $(seq 1 300); do
    curl -s -o /dev/null "http://127.0.0.1:$port/" && return 0
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/$name.log" >&2; echo "run.sh: $name died" >&2; exit 1; }
    sleep 0.1
  done
  echo "run.sh: $name did not start" >&2; exit 1
}

measure() {   # pid port mode -> "requests/s us_per_request"
  local pid=$1 port=$2 mode=$3 script=() before after out requests
  [[ $mode == pipelined ]] && script=(-s "$here/pipeline.lua")
  before=$(cpu_ticks "$pid")
  out=$(DEPTH=$depth "${pin_client[@]}" wrk -t1 -c"$conns" -d"${duration}s" "${script[@]}" "http://127.0.0.1:$port/")
  after=$(cpu_ticks "$pid")
  if grep -q "Non-2xx\|Socket errors" <<<"$out"; then echo "$out" >&2; echo "run.sh: errors from wrk" >&2; exit 1; fi
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  awk -v r="$requests" -v d="$duration" -v t=$((after - before)) -v clk="$clk" \
    'BEGIN { printf "%.0f %.2f\n", r / d, (r > 0 ? t / clk * 1e6 / r : 0) }'
}

port=18080
declare -A results
for round in $(seq 1 "$rounds"); do
  for name in $servers; do
    port=$((port + 1))
    start_server "$name" "$port"
    for mode in plain pipelined; do
      results["$name,$mode,$round"]=$(measure "$server_pid" "$port" "$mode")
      log "round $round $name $mode: ${results[$name,$mode,$round]} (req/s, server CPU us/req)"
    done
    kill -TERM "$server_pid"; wait "$server_pid" 2>/dev/null || true
  done
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
echo "| server | mode | requests/s | server CPU µs/request |"
echo "|---|---|---:|---:|"
for name in $servers; do
  for mode in plain pipelined; do
    rps=$(for r in $(seq 1 "$rounds"); do echo "${results[$name,$mode,$r]}" | cut -d' ' -f1; done | median)
    us=$(for r in $(seq 1 "$rounds"); do echo "${results[$name,$mode,$r]}" | cut -d' ' -f2; done | median)
    echo "| $name | $mode | $rps | $us |"
  done
done
