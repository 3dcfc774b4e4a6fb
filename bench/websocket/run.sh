#!/usr/bin/env bash
# Side-by-side WebSocket echo benchmark: Twine against Node's ws, Python's websockets and Autobahn on asyncio/uvloop.
#
#   bench/websocket/run.sh            full run (about 2 minutes): prints a markdown table
#   bench/websocket/run.sh --smoke    each server a second per scenario, 1 MiB streamed (CI)
#
# Scenarios: echo of 16 B and of 4 KiB binary messages over 100 connections (each with one message in flight), and
# one connection streaming 1 GiB in 64 KiB messages (16 in flight). No compression on either side.
# Method (as bench/echo): the server runs on CPU 0 (taskset -c 0), the load generator (a Twine WebSocket client,
# TwineWsLoad) on CPU 1. The generator reads the server's utime+stime from /proc/PID/stat around the measured
# window, so "server CPU µs per message" covers every thread of the server process. A message is one echo: the
# server received it and sent it back.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
artifacts="${WS_ARTIFACTS:-/tmp/art-ws-bench}"
warmup=1 duration=5 stream=$((1 << 30)) servers="twine node websockets autobahn"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --smoke) warmup=0.2 duration=1 stream=$((1 << 20)); shift ;;
    --servers) servers="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
log() { echo "[ws-bench] $*" >&2; }

py=/usr/bin/python3
export NODE_PATH="$repo/tests/Twine.Interop.Tests/node/node_modules"
[[ -f "$NODE_PATH/ws/package.json" ]] || bash "$repo/.ci/install-node-ws.sh"
for p in TwineWsEcho TwineWsLoad; do
  dotnet build "$here/$p" -c Release --artifacts-path "$artifacts" -nologo -v quiet >/tmp/ws-bench-build-$p.log 2>&1 \
    || { cat /tmp/ws-bench-build-$p.log >&2; echo "run.sh: building $p failed" >&2; exit 1; }
done
bin() { echo "$artifacts/bin/$1/release/$1"; }
if [[ $(nproc) -ge 2 ]] && command -v taskset >/dev/null; then pin_server=(taskset -c 0) pin_client=(taskset -c 1); else pin_server=() pin_client=(); fi

start_server() {
  case "$1" in
    twine) exec "${pin_server[@]}" "$(bin TwineWsEcho)" ;;
    node) exec "${pin_server[@]}" node "$here/ws_echo_node.js" ;;
    websockets) exec "${pin_server[@]}" "$py" -u "$here/ws_echo_websockets.py" ;;
    autobahn) exec "${pin_server[@]}" "$py" -u "$here/ws_echo_autobahn.py" ;;
  esac
}

results=()
for server in $servers; do
  out=$(mktemp)
  start_server "$server" >"$out" 2>&1 &
  spid=$!
  for _ in $(seq 100); do grep -q '^PORT ' "$out" && break; sleep 0.1; done
  port=$(awk '/^PORT /{print $2}' "$out")
  [[ -n "$port" ]] || { cat "$out" >&2; kill "$spid" 2>/dev/null; echo "run.sh: $server did not start" >&2; exit 1; }
  # The pid whose CPU is read is the server itself (taskset execs it, so $! is the server).
  for scenario in "100 16 1" "100 4096 1" "1 65536 16 stream"; do
    set -- $scenario
    extra=(); label="$1 conns x $2 B"
    if [[ "${4:-}" == stream ]]; then extra=("$stream"); label="1 conn, $(( stream >> 20 )) MiB in 64 KiB messages"; fi
    line=$(timeout 300 "${pin_client[@]}" "$(bin TwineWsLoad)" "$port" "$spid" "$1" "$2" "$3" "$warmup" "$duration" "${extra[@]}" | tail -1)
    log "$server / $label: $line"
    rate=$(sed -n 's/.*msgs_per_s=\([0-9.]*\).*/\1/p' <<<"$line")
    cpu=$(sed -n 's/.*server_cpu_us_per_msg=\([0-9.]*\).*/\1/p' <<<"$line")
    [[ -n "$rate" && "$rate" != 0 ]] || { echo "run.sh: no result for $server / $label" >&2; kill "$spid"; exit 1; }
    results+=("| $server | $label | $rate | $cpu |")
  done
  kill "$spid" 2>/dev/null || true
  wait "$spid" 2>/dev/null || true
  rm -f "$out"
done

echo "| server | scenario | messages/s | server CPU µs/message |"
echo "|---|---|---:|---:|"
printf '%s\n' "${results[@]}"
