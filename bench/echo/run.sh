#!/usr/bin/env bash
# Side-by-side echo benchmark: Twine against Twisted (epoll), asyncio, uvloop, Node's net and a plain .NET
# async-socket server, all driven by the same C load generator (loadgen.c, compiled here with gcc -O2).
#
#   bench/echo/run.sh                 full run (3 rounds x 4 connection counts + idle memory; about 11 minutes)
#   bench/echo/run.sh --smoke         each server ~1 s with 1 connection, plus a 100-connection idle check (CI)
#
# Options: --rounds N  --warmup S  --duration S  --conns "1 10 100 1000"  --msg BYTES  --idle N (0 = skip)
#          --servers "twine dotnet twisted asyncio uvloop node"  --out FILE (also write the markdown there)
#          --realtime  run server and generator SCHED_FIFO (chrt -f 10; root only). For a machine other work shares:
#                      they then preempt that work at once instead of queueing behind it, so the servers are measured,
#                      not the neighbours. The kernel's RT throttle still leaves others 5 % of each CPU.
#
# Method: the server runs on CPU 0 (taskset -c 0), the load generator on CPU 1 (taskset -c 1). Each server gets its
# own port on 127.0.0.1 and is started fresh per round; the rounds visit the servers in rotated order (A B C, B C A,
# ...) so slow drift in the machine's state touches every server alike. Every connection keeps one message in
# flight (ping-pong). Per window the generator reads the server's utime+stime from /proc/PID/stat before and after,
# so "server CPU per round trip" covers every thread of the server process (GC, JIT, thread pool included).
# Idle memory: fresh server, 200 warm-up connections opened, pinged and closed, then N connections opened and each
# pinged once; (VmRSS after - VmRSS before) / N. The table reports medians over the rounds.
set -euo pipefail
orig_args="$*"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
work="${ECHO_WORK:-/tmp/twine-echo-bench}"
artifacts="${ECHO_ARTIFACTS:-/tmp/art-echo}"
mkdir -p "$work"

rounds=3 warmup=1.5 duration=5 conns="1 10 100 1000" msg=1024 idle=10000 idle_settle_ms=2000
servers="twine dotnet twisted asyncio uvloop node" out="" smoke=0 realtime=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --smoke) smoke=1 rounds=1 warmup=0.2 duration=1 conns="1" idle=100 idle_settle_ms=200; shift ;;
    --rounds) rounds="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --conns) conns="$2"; shift 2 ;;
    --msg) msg="$2"; shift 2 ;;
    --idle) idle="$2"; shift 2 ;;
    --servers) servers="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --realtime) realtime=1; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

log() { echo "[echo-bench] $*" >&2; }

# --- prerequisites -------------------------------------------------------------------------------------------------
py=/usr/bin/python3
if ! "$py" -c 'import twisted, uvloop' 2>/dev/null; then
  log "installing Debian's python3-twisted and python3-uvloop"
  sudo_cmd=""; [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
  $sudo_cmd apt-get install -y python3-twisted python3-uvloop >&2 || { $sudo_cmd apt-get update >&2 && $sudo_cmd apt-get install -y python3-twisted python3-uvloop >&2; }
fi
command -v node >/dev/null || { echo "run.sh: node is not on PATH" >&2; exit 1; }
command -v gcc >/dev/null || { echo "run.sh: gcc is needed to build the load generator" >&2; exit 1; }

# 10,000 idle connections need 10,000 descriptors in the server and in the generator (both inherit this limit).
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
if (( idle > 0 )) && (( $(ulimit -n) < idle + 1000 )); then
  log "ulimit -n is $(ulimit -n); lowering the idle test to $(( $(ulimit -n) - 1000 )) connections"
  idle=$(( $(ulimit -n) - 1000 ))
fi

gcc -O2 -Wall -o "$work/loadgen" "$here/loadgen.c"
loadgen="$work/loadgen"
log "building the .NET servers (Release, artifacts in $artifacts)"
for p in DotnetEcho TwineEcho; do
  dotnet build "$here/$p" -c Release --artifacts-path "$artifacts" -nologo -v quiet >"$work/build-$p.log" 2>&1 \
    || { cat "$work/build-$p.log" >&2; echo "run.sh: building $p failed" >&2; exit 1; }
done

if [[ $(nproc) -ge 2 ]] && command -v taskset >/dev/null; then
  pin_server=(taskset -c 0) pin_client=(taskset -c 1)
else
  log "fewer than 2 CPUs or no taskset: running unpinned"
  pin_server=() pin_client=()
fi
# On a shared machine other work lands on CPUs 0 and 1 too. A raised priority (when allowed: root) gives the server
# and the generator more of their CPU when contended. Nice only weighs tasks within one cgroup, so where neighbours
# run in other cgroups only --realtime really helps.
priority="default priority"
if (( realtime )) && command -v chrt >/dev/null && chrt -f 10 true 2>/dev/null; then
  pin_server=(chrt -f 10 "${pin_server[@]}") pin_client=(chrt -f 10 "${pin_client[@]}") priority="SCHED_FIFO 10 (--realtime)"
elif (( realtime )); then
  echo "run.sh: --realtime needs chrt and permission to use SCHED_FIFO" >&2; exit 1
elif nice -n -15 true 2>/dev/null && [[ $(nice -n -15 nice) -lt 0 ]]; then
  pin_server=(nice -n -15 "${pin_server[@]}") pin_client=(nice -n -15 "${pin_client[@]}") priority="nice -15"
fi

port_of() {
  case "$1" in twine) echo 9101 ;; dotnet) echo 9102 ;; twisted) echo 9103 ;; asyncio) echo 9104 ;;
    uvloop) echo 9105 ;; node) echo 9106 ;; *) echo "run.sh: unknown server $1" >&2; exit 2 ;; esac
}
server_cmd() {
  local port; port=$(port_of "$1")
  case "$1" in
    twine) echo "$artifacts/bin/TwineEcho/release/TwineEcho $port" ;;
    dotnet) echo "$artifacts/bin/DotnetEcho/release/DotnetEcho $port" ;;
    twisted) echo "$py $here/echo_twisted.py $port" ;;
    asyncio) echo "$py $here/echo_asyncio.py $port" ;;
    uvloop) echo "$py $here/echo_uvloop.py $port" ;;
    node) echo "node $here/echo_node.js $port" ;;
  esac
}

server_pid=""
start_server() { # name -> sets server_pid, waits until it accepts
  local name=$1 port; port=$(port_of "$name")
  # shellcheck disable=SC2046
  "${pin_server[@]}" $(server_cmd "$name") >>"$work/server-$name.log" 2>&1 &
  server_pid=$!
  if ! "$loadgen" wait "$port" 30; then
    cat "$work/server-$name.log" >&2
    echo "run.sh: $name did not start" >&2
    exit 1
  fi
}
stop_server() {
  [[ -z "$server_pid" ]] && return
  kill -TERM "$server_pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}
trap stop_server EXIT

# --- measurements --------------------------------------------------------------------------------------------------
raw="$work/raw.txt"
: >"$raw"
rm -f "$work"/server-*.log
read -r -a list <<<"$servers"
n=${#list[@]}
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
log "load average at start: $load_start"
for (( r = 0; r < rounds; r++ )); do
  for (( i = 0; i < n; i++ )); do
    name=${list[$(( (i + r) % n ))]}
    start_server "$name"
    for c in $conns; do
      line=$("${pin_client[@]}" "$loadgen" echo "$(port_of "$name")" "$c" "$msg" "$warmup" "$duration" "$server_pid") \
        || { cat "$work/server-$name.log" >&2; echo "run.sh: $name failed at $c connections" >&2; exit 1; }
      echo "echo server=$name round=$((r + 1)) $line" >>"$raw"
      log "round $((r + 1)) $name $line"
    done
    stop_server
    # The .NET servers print their GC counts and allocated bytes on SIGTERM; keep them with the raw data.
    gc=$(grep '^gc:' "$work/server-$name.log" | tail -1 || true)
    [[ -n "$gc" ]] && echo "gc server=$name round=$((r + 1)) ${gc#gc: }" >>"$raw"
    if (( idle > 0 )); then
      start_server "$name"
      line=$("${pin_client[@]}" "$loadgen" idle "$(port_of "$name")" "$idle" "$server_pid" "$idle_settle_ms") \
        || { cat "$work/server-$name.log" >&2; echo "run.sh: $name failed the idle test" >&2; exit 1; }
      echo "idle server=$name round=$((r + 1)) $line" >>"$raw"
      log "round $((r + 1)) $name idle $line"
      stop_server
    fi
  done
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
log "load average at end: $load_end"

# --- report --------------------------------------------------------------------------------------------------------
machine="$(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), Linux $(uname -r); load average (1/5/15 min) $load_start at start, $load_end at end"
versions="Twisted $("$py" -c 'import twisted; print(twisted.__version__)'), uvloop $("$py" -c 'import uvloop; print(uvloop.__version__)'), Python $("$py" -c 'import platform; print(platform.python_version())'), Node $(node --version), .NET $(dotnet --version), gcc $(gcc -dumpversion)"
"$py" "$here/report.py" "$raw" --servers "$servers" --machine "$machine" --versions "$versions" \
  --command "bench/echo/run.sh${orig_args:+ $orig_args}" --method "rounds=$rounds warmup=${warmup}s window=${duration}s msg=${msg}B idle=$idle, server on CPU 0 and generator on CPU 1 at $priority" ${out:+--out "$out"}
if (( smoke )); then
  # The smoke run is a check, not a measurement: every server must have echoed and held its idle connections.
  "$py" "$here/report.py" "$raw" --servers "$servers" --check
fi
