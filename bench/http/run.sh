#!/usr/bin/env bash
# Side-by-side HTTP benchmark harness: Twine.Web against Kestrel (ASP.NET Core minimal API, Release), Node's http,
# aiohttp and twisted.web (Debian), GET / returning 2 bytes, driven by wrk, with a minimal C epoll server
# (http_epoll.c, compiled here) as the floor the same method gives on this machine; then memory per idle keep-alive
# connection, and a 1 MiB static file against nginx (Debian). Smoke mode records nothing; a full run prints markdown.
#
#   bench/http/run.sh            full run (about 7 minutes): 2 rounds x 5 s after 5 s of warm-up, 50 connections,
#                                plain and pipelined (16);
#                                10,000 idle connections; 1 MiB file, 2 rounds x 5 s
#   bench/http/run.sh --smoke    each server ~1 s with 4 connections, 200 idle connections, 1 s of static file
#
# Options: --rounds N  --duration S  --warmup S  --conns N  --depth N  --idle N (0 = skip)
#          --servers "twine kestrel node aiohttp twisted c-epoll"  --static 0|1
#
# Method: the server runs on CPU 0 (taskset -c 0) and wrk (-t1) on CPU 1. "Server CPU per request" is the server
# process's utime+stime (from /proc/PID/stat, every thread) over the measured window divided by the requests wrk
# completed in it, split into user and kernel time (utime and stime). Before each measured window the server gets
# --warmup seconds (default 5) of the same load, not measured: the JIT compilers of .NET and V8 do their work there,
# and what is measured is the steady state.
# Rounds visit the servers in rotated order, and the table reports medians.
# Idle memory: a fresh server answers one request, its VmRSS is read, then idle_conns.c (compiled here with gcc)
# opens N connections, makes one keep-alive request on each and holds them; after a settle second VmRSS is read
# again: (after - before) / N. The script raises `ulimit -n` for this.
# Static: a 1 MiB file served by Twine (File resource: sendfile on TCP) and by nginx (generated config, non-daemon,
# one worker, sendfile on, access log off, temp dir), each pinned like the servers above, `wrk -c50` on /1m.bin.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="${HTTP_BENCH_WORK:-/tmp/twine-http-bench}"
artifacts="${HTTP_BENCH_ARTIFACTS:-/tmp/art-http}"
mkdir -p "$work"

rounds=2 duration=5 warmup=5 conns=50 depth=16 servers="twine kestrel node aiohttp twisted c-epoll" idle=10000 static=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --smoke) rounds=1 duration=1 warmup=0 conns=4 idle=200; shift ;;
    --idle) idle="$2"; shift 2 ;;
    --static) static="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --conns) conns="$2"; shift 2 ;;
    --depth) depth="$2"; shift 2 ;;
    --servers) servers="$2"; shift 2 ;;
    -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

log() { echo "[http-bench] $*" >&2; }
command -v wrk >/dev/null || { echo "run.sh: wrk is not on PATH (apt-get install wrk)" >&2; exit 1; }

if [[ " $servers " == *" twine "* || $static == 1 ]]; then
  log "building TwineHttp (Release)"
  dotnet build "$here/TwineHttp" -c Release --artifacts-path "$artifacts" -nologo -v quiet >"$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; exit 1; }
fi
if [[ " $servers " == *" kestrel "* ]]; then
  log "building KestrelHttp (Release)"
  dotnet build "$here/KestrelHttp" -c Release --artifacts-path "$artifacts" -nologo -v quiet >"$work/build-kestrel.log" 2>&1 \
    || { cat "$work/build-kestrel.log" >&2; exit 1; }
fi
if [[ " $servers " == *" c-epoll "* ]]; then
  gcc -O2 -o "$work/http_epoll" "$here/http_epoll.c"
fi
if [[ $idle -gt 0 ]]; then
  gcc -O2 -o "$work/idle_conns" "$here/idle_conns.c"
  # Each idle connection is a descriptor in the client and in the server: both inherit this limit.
  ulimit -n $(( $(ulimit -Hn) < 65536 ? $(ulimit -Hn) : 65536 ))
  [[ $(ulimit -n) -gt $((idle + 100)) ]] || { echo "run.sh: ulimit -n $(ulimit -n) is too low for --idle $idle" >&2; exit 1; }
fi
if [[ $(nproc) -ge 2 ]] && command -v taskset >/dev/null; then pin_server=(taskset -c 0) pin_client=(taskset -c 1)
else pin_server=() pin_client=(); fi

clk=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14, $15}' "/proc/$1/stat"; }   # user, kernel

start_server() {   # name port [path] -> sets server_pid
  local name=$1 port=$2 path=${3:-/}
  case "$name" in
    twine) "${pin_server[@]}" dotnet "$artifacts/bin/TwineHttp/release/TwineHttp.dll" "$port" >"$work/$name.log" 2>&1 & ;;
    twine-static) "${pin_server[@]}" dotnet "$artifacts/bin/TwineHttp/release/TwineHttp.dll" "$port" "$work/static" >"$work/$name.log" 2>&1 & ;;
    kestrel) "${pin_server[@]}" dotnet "$artifacts/bin/KestrelHttp/release/KestrelHttp.dll" "$port" >"$work/$name.log" 2>&1 & ;;
    twisted) "${pin_server[@]}" /usr/bin/python3 "$here/http_twisted.py" "$port" >"$work/$name.log" 2>&1 & ;;
    aiohttp) "${pin_server[@]}" /usr/bin/python3 "$here/http_aiohttp.py" "$port" >"$work/$name.log" 2>&1 & ;;
    c-epoll) "${pin_server[@]}" "$work/http_epoll" "$port" >"$work/$name.log" 2>&1 & ;;
    node) "${pin_server[@]}" node "$here/http_node.js" "$port" >"$work/$name.log" 2>&1 & ;;
    nginx)
      write_nginx_conf "$port"
      "${pin_server[@]}" nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" >"$work/$name.log" 2>&1 & ;;
    *) echo "run.sh: unknown server $name" >&2; exit 2 ;;
  esac
  server_pid=$!
  for _ in $(seq 1 300); do
    curl -s -o /dev/null "http://127.0.0.1:$port$path" && return 0
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/$name.log" >&2; echo "run.sh: $name died" >&2; exit 1; }
    sleep 0.1
  done
  echo "run.sh: $name did not start" >&2; exit 1
}

write_nginx_conf() {   # port
  mkdir -p "$work/nginx/tmp"
  cat >"$work/nginx/nginx.conf" <<CONF
daemon off;
master_process off;
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $work/nginx/tmp;
  proxy_temp_path $work/nginx/tmp;
  fastcgi_temp_path $work/nginx/tmp;
  uwsgi_temp_path $work/nginx/tmp;
  scgi_temp_path $work/nginx/tmp;
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:$1;
    location / { root $work/static; }
  }
}
CONF
}

measure() {   # pid port mode [path] -> "requests/s us_per_request MiB/s user_us kernel_us"
  local pid=$1 port=$2 mode=$3 path=${4:-/} script=() before after out requests bytes
  [[ $mode == pipelined ]] && script=(-s "$here/pipeline.lua")
  if [[ $warmup -gt 0 ]]; then
    DEPTH=$depth "${pin_client[@]}" wrk -t1 -c"$conns" -d"${warmup}s" "${script[@]}" "http://127.0.0.1:$port$path" >/dev/null
  fi
  before=$(cpu_ticks "$pid")
  out=$(DEPTH=$depth "${pin_client[@]}" wrk -t1 -c"$conns" -d"${duration}s" "${script[@]}" "http://127.0.0.1:$port$path")
  after=$(cpu_ticks "$pid")
  if grep -q "Non-2xx\|Socket errors" <<<"$out"; then echo "$out" >&2; echo "run.sh: errors from wrk" >&2; exit 1; fi
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  bytes=$(awk '/requests in/ {v=$5; sub(/,$/, "", v); m=1; if (v ~ /KB$/) m=1024; if (v ~ /MB$/) m=1048576; if (v ~ /GB$/) m=1073741824;
    sub(/[KMG]?B$/, "", v); print v * m}' <<<"$out")
  awk -v r="$requests" -v d="$duration" -v before="$before" -v after="$after" -v clk="$clk" -v b="$bytes" \
    'BEGIN { split(before, x, " "); split(after, y, " "); u = y[1] - x[1]; k = y[2] - x[2]; us = (r > 0 ? 1e6 / clk / r : 0)
             printf "%.0f %.2f %.1f %.2f %.2f\n", r / d, (u + k) * us, b / d / 1048576, u * us, k * us }'
}

rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

idle_memory() {   # pid port -> bytes per idle connection
  local pid=$1 port=$2 before after client_pid
  sleep 1; before=$(rss_kib "$pid")
  coproc IDLE { "$work/idle_conns" "$port" "$idle"; }
  client_pid=$IDLE_PID
  read -r line <&"${IDLE[0]}" || { echo "run.sh: idle_conns failed" >&2; exit 1; }
  [[ $line == ready ]] || { echo "run.sh: idle_conns said '$line'" >&2; exit 1; }
  sleep 1; after=$(rss_kib "$pid")
  exec {IDLE[1]}>&-
  wait "$client_pid" 2>/dev/null || true
  echo $(( (after - before) * 1024 / idle ))
}

port=18080
declare -A results
declare -A idle_bytes
list=($servers)
for round in $(seq 1 "$rounds"); do
  # Rotated order per round (A B C, B C A, ...): slow drift in the machine touches every server alike.
  shift_by=$(( (round - 1) % ${#list[@]} ))
  ordered=("${list[@]:$shift_by}" "${list[@]:0:$shift_by}")
  for name in "${ordered[@]}"; do
    port=$((port + 1))
    start_server "$name" "$port"
    for mode in plain pipelined; do
      results["$name,$mode,$round"]=$(measure "$server_pid" "$port" "$mode")
      log "round $round $name $mode: ${results[$name,$mode,$round]} (req/s, server CPU us/req)"
    done
    kill -TERM "$server_pid"; wait "$server_pid" 2>/dev/null || true
  done
done

idle_servers=${servers/c-epoll/}   # the C floor keeps a fixed 16 KiB per connection: nothing to learn
if [[ $idle -gt 0 ]]; then
  for name in $idle_servers; do
    port=$((port + 1))
    start_server "$name" "$port"
    idle_bytes[$name]=$(idle_memory "$server_pid" "$port")
    log "$name: ${idle_bytes[$name]} bytes per idle keep-alive connection ($idle connections)"
    kill -TERM "$server_pid"; wait "$server_pid" 2>/dev/null || true
  done
fi

declare -A static_results
if [[ $static == 1 ]]; then
  command -v nginx >/dev/null || { echo "run.sh: nginx is not installed (apt-get install nginx)" >&2; exit 1; }
  mkdir -p "$work/static"
  head -c $((1024 * 1024)) /dev/urandom >"$work/static/1m.bin"
  for round in $(seq 1 "$rounds"); do
    for name in twine-static nginx; do
      port=$((port + 1))
      if [[ $name == nginx ]]; then start_server nginx "$port" /1m.bin; path=/1m.bin
      else start_server twine-static "$port" /static/1m.bin; path=/static/1m.bin; fi
      static_results["$name,$round"]=$(measure "$server_pid" "$port" plain "$path")
      log "round $round $name static 1 MiB: ${static_results[$name,$round]} (req/s, server CPU us/req, MiB/s)"
      kill -TERM "$server_pid"; wait "$server_pid" 2>/dev/null || true
    done
  done
fi

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
column() { for r in $(seq 1 "$rounds"); do echo "${results[$1,$2,$r]}" | cut -d' ' -f"$3"; done | median; }
echo "| server | mode | requests/s | server CPU µs/request | of which user | of which kernel |"
echo "|---|---|---:|---:|---:|---:|"
for name in $servers; do
  for mode in plain pipelined; do
    echo "| $name | $mode | $(column "$name" "$mode" 1) | $(column "$name" "$mode" 2) | $(column "$name" "$mode" 4) | $(column "$name" "$mode" 5) |"
  done
done
if [[ $idle -gt 0 ]]; then
  echo
  echo "| server | bytes per idle keep-alive connection ($idle connections) |"
  echo "|---|---:|"
  for name in $idle_servers; do echo "| $name | ${idle_bytes[$name]} |"; done
fi
if [[ $static == 1 ]]; then
  echo
  echo "| server | 1 MiB file: requests/s | MiB/s | server CPU µs/request |"
  echo "|---|---:|---:|---:|"
  for name in twine-static nginx; do
    rps=$(for r in $(seq 1 "$rounds"); do echo "${static_results[$name,$r]}" | cut -d' ' -f1; done | median)
    us=$(for r in $(seq 1 "$rounds"); do echo "${static_results[$name,$r]}" | cut -d' ' -f2; done | median)
    mibs=$(for r in $(seq 1 "$rounds"); do echo "${static_results[$name,$r]}" | cut -d' ' -f3; done | median)
    echo "| ${name%-static} | $rps | $mibs | $us |"
  done
fi
