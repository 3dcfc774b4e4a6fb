#!/usr/bin/env bash
# Reactor macro benchmarks, side by side: Twine (epoll and poll) against Node, asyncio, uvloop and Twisted.
# Runs each program one after another (never concurrently) and prints markdown tables.
#
#   bench/reactor/run.sh                 # full run: 1,000,000 timers, 10,000,000 thread calls, 10 s idle
#   TIMERS=100000 CALLS=1000000 IDLE_S=1 bench/reactor/run.sh     # quick smoke
#
# Needs: dotnet, node, and Debian's python3-twisted / python3-uvloop (installed when missing, if run as root).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
TIMERS="${TIMERS:-1000000}"
CALLS="${CALLS:-10000000}"
IDLE_S="${IDLE_S:-10}"
PY=/usr/bin/python3
export PYTHONDONTWRITEBYTECODE=1
ART="${ART:-/tmp/art-reactorbench}"

if ! $PY -c 'import twisted, uvloop' 2>/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get install -y -q python3-twisted python3-uvloop >/dev/null; fi
fi

echo "building Twine.ReactorBench (Release)..." >&2
dotnet build -c Release "$root/bench/Twine.ReactorBench" --artifacts-path "$ART" -v q -nologo >&2
bench_dll="$(find "$ART/bin/Twine.ReactorBench" -name Twine.ReactorBench.dll -path '*release*' | head -1)"
twine() { TWINE_REACTOR="$1" dotnet "$bench_dll" "${@:2}"; }

# Turns "name=x a=1 b=2" lines into a markdown table over the given columns.
table() {
  local cols="$1"
  awk -v cols="$cols" '
    BEGIN { n = split(cols, c, " "); line = "|"; sep = "|";
            for (i = 1; i <= n; i++) { line = line " " c[i] " |"; sep = sep " --- |" } print line; print sep }
    { delete kv; for (i = 1; i <= NF; i++) { split($i, p, "="); kv[p[1]] = p[2] }
      line = "|"; for (i = 1; i <= n; i++) line = line " " (c[i] in kv ? kv[c[i]] : "") " |"; print line }'
}

echo "## Timers: $TIMERS timers at random delays in [0, 1] s, every other one cancelled, run until the rest fire"
echo
{
  twine epoll timers "$TIMERS"
  twine poll timers "$TIMERS"
  node "$here/timers.js" "$TIMERS"
  (cd "$here" && $PY timers_asyncio.py "$TIMERS")
  (cd "$here" && $PY timers_uvloop.py "$TIMERS")
  (cd "$here" && $PY timers_twisted.py "$TIMERS")
} | table "name wall_ms cpu_ms peak_rss_mb fired"
echo
echo "## CallFromThread: $CALLS calls handed to the reactor by producer threads"
echo
{
  twine epoll callfromthread "$CALLS" 1
  twine epoll callfromthread "$CALLS" 4
  twine poll callfromthread "$CALLS" 1
} | table "name producers calls wall_ms calls_per_s"
echo
echo "## Idle: CPU time of a reactor with nothing to do for $IDLE_S s"
echo
{
  twine epoll idle "$IDLE_S"
  twine poll idle "$IDLE_S"
} | table "name idle_s wall_ms cpu_ms"
