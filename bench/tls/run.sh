#!/usr/bin/env bash
# Side-by-side TLS benchmark: Twine (TLS layer over its socket transport, `ssl:` endpoint) against Node's tls, Python
# asyncio and uvloop with the ssl module. All end in OpenSSL, so differences are framework overhead.
#
#   bench/tls/run.sh           full run (about 4 minutes): 2 rounds x 4 s per measurement, after 5 s of warm-up
#   bench/tls/run.sh --smoke   1 round x 1 s with a single connection: keeps the harness working (CI)
#
# Options: --rounds N  --duration S  --warmup S (unmeasured load first)  --conns N (echo connections)
#          --hconns N (handshake loops)  --servers "twine node asyncio uvloop"  --tests "echo hs-ecdsa hs-rsa"
#
# Measurements, each on a fresh server pinned to CPU 0 (taskset -c 0) with the Node client (tls_client.js) on CPU 1:
#   echo       1 KiB messages ping-ponged on --conns connections (ECDSA P-256 certificate):
#              round trips/s and server CPU µs per round trip
#   hs-ecdsa   new connections with a full handshake each (no resumption), ECDSA P-256: handshakes/s, server CPU µs each
#   hs-rsa     the same with an RSA 2048 certificate
# Server CPU is the process's utime+stime from /proc/PID/stat (every thread) over the window. Certificates are made at
# run time with `openssl req` in a temp dir. Every server first gets --warmup seconds of the same load, not measured (the
# JIT compilers of .NET and V8 finish their work there). Rounds visit the servers in rotated order; the table shows medians.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="${TLS_BENCH_WORK:-/tmp/twine-tls-bench}"
artifacts="${TLS_BENCH_ARTIFACTS:-/tmp/art-tls}"
mkdir -p "$work"

rounds=2 duration=4 warmup=5 conns=50 hconns=8 servers="twine node asyncio uvloop" tests="echo hs-ecdsa hs-rsa"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --smoke) rounds=1 duration=1 warmup=0 conns=1 hconns=1; shift ;;
    --rounds) rounds="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --tests) tests="$2"; shift 2 ;;
    --conns) conns="$2"; shift 2 ;;
    --hconns) hconns="$2"; shift 2 ;;
    --servers) servers="$2"; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

log() { echo "[tls-bench] $*" >&2; }
for tool in openssl node; do command -v $tool >/dev/null || { echo "run.sh: $tool is not on PATH" >&2; exit 1; }; done

log "making certificates"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
  -keyout "$work/ecdsa-key.pem" -out "$work/ecdsa-cert.pem" 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
  -keyout "$work/rsa-key.pem" -out "$work/rsa-cert.pem" 2>/dev/null

if [[ " $servers " == *" twine "* ]]; then
  log "building TwineTls (Release)"
  dotnet build "$here/TwineTls" -c Release --artifacts-path "$artifacts" -nologo -v quiet >"$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; exit 1; }
fi
if [[ $(nproc) -ge 2 ]] && command -v taskset >/dev/null; then pin_server=(taskset -c 0) pin_client=(taskset -c 1)
else pin_server=() pin_client=(); fi
clk=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

start_server() {   # name port kind -> sets server_pid
  local name=$1 port=$2 key="$work/$3-key.pem" cert="$work/$3-cert.pem"
  case "$name" in
    twine) "${pin_server[@]}" dotnet "$artifacts/bin/TwineTls/release/TwineTls.dll" "$port" "$key" "$cert" >"$work/$name.log" 2>&1 & ;;
    node) "${pin_server[@]}" node "$here/tls_node.js" "$port" "$key" "$cert" >"$work/$name.log" 2>&1 & ;;
    asyncio) "${pin_server[@]}" /usr/bin/python3 "$here/tls_asyncio.py" "$port" "$key" "$cert" >"$work/$name.log" 2>&1 & ;;
    uvloop) "${pin_server[@]}" /usr/bin/python3 "$here/tls_asyncio.py" "$port" "$key" "$cert" --uvloop >"$work/$name.log" 2>&1 & ;;
    *) echo "run.sh: unknown server $name" >&2; exit 2 ;;
  esac
  server_pid=$!
  for _ in $(seq 1 300); do
    if openssl s_client -connect "127.0.0.1:$port" </dev/null >/dev/null 2>&1; then return 0; fi
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/$name.log" >&2; echo "run.sh: $name died" >&2; exit 1; }
    sleep 0.1
  done
  echo "run.sh: $name did not start" >&2; exit 1
}

measure() {   # pid port mode connections -> "per_second us_per_operation"
  local pid=$1 port=$2 mode=$3 n=$4 before after count
  if [[ $warmup -gt 0 ]]; then "${pin_client[@]}" node "$here/tls_client.js" "$mode" "$port" "$n" "$warmup" >/dev/null; fi
  before=$(cpu_ticks "$pid")
  count=$("${pin_client[@]}" node "$here/tls_client.js" "$mode" "$port" "$n" "$duration")
  after=$(cpu_ticks "$pid")
  [[ $count -gt 0 ]] || { echo "run.sh: no $mode completed against port $port" >&2; exit 1; }
  awk -v c="$count" -v d="$duration" -v t=$((after - before)) -v clk="$clk" \
    'BEGIN { printf "%.0f %.1f\n", c / d, t / clk * 1e6 / c }'
}

port=18443
declare -A results
list=($servers)
for round in $(seq 1 "$rounds"); do
  shift_by=$(( (round - 1) % ${#list[@]} ))
  ordered=("${list[@]:$shift_by}" "${list[@]:0:$shift_by}")
  for name in "${ordered[@]}"; do
    for test in $tests; do
      port=$((port + 1))
      case $test in
        echo) kind=ecdsa mode=echo n=$conns ;;
        hs-ecdsa) kind=ecdsa mode=handshake n=$hconns ;;
        hs-rsa) kind=rsa mode=handshake n=$hconns ;;
      esac
      start_server "$name" "$port" "$kind"
      results["$name,$test,$round"]=$(measure "$server_pid" "$port" "$mode" "$n")
      log "round $round $name $test: ${results[$name,$test,$round]} (per second, server CPU us each)"
      kill -TERM "$server_pid"; wait "$server_pid" 2>/dev/null || true
    done
  done
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
pick() {   # server test field -> the median over the rounds, or "–" for a test not run (--tests)
  [[ -n ${results[$1,$2,1]:-} ]] || { echo "–"; return; }
  for r in $(seq 1 "$rounds"); do echo "${results[$1,$2,$r]}" | cut -d' ' -f"$3"; done | median
}
echo "| server | echo 1 KiB round trips/s | server CPU µs/round trip | ECDSA P-256 handshakes/s | µs/handshake | RSA 2048 handshakes/s | µs/handshake |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for name in $servers; do
  echo "| $name | $(pick "$name" echo 1) | $(pick "$name" echo 2) | $(pick "$name" hs-ecdsa 1) | $(pick "$name" hs-ecdsa 2) | $(pick "$name" hs-rsa 1) | $(pick "$name" hs-rsa 2) |"
done
