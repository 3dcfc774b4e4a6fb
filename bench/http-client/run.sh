#!/usr/bin/env bash
# Side-by-side HTTP client benchmark: Twine's Agent (persistent pool) against .NET's HttpClient (SocketsHttpHandler)
# and Twisted's Agent (persistent HTTPConnectionPool), keep-alive GETs of a 2-byte and a 64 KiB file from one nginx
# (Debian's, generated configuration in a temporary directory, the same server for every client), with 1 and 10
# connections. Prints a markdown table of requests/s and client CPU µs per request.
#
#   bench/http-client/run.sh            full run: 5 s per measurement (plus 1 s warm-up), ~3 minutes in all
#   bench/http-client/run.sh --smoke    the 2-byte file, 0.3 s per measurement: keeps the harness working, figures meaningless
#
# Options: --seconds S  --clients "twine httpclient twisted"
#
# Method: nginx runs on CPU 0 (taskset -c 0), the client on CPU 1. Each client keeps N requests in flight (one per
# connection) and reports its own CPU time (user + system, every thread: getrusage-equivalent) over the measured
# window, divided by the requests completed in it.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="${HTTP_CLIENT_BENCH_WORK:-/tmp/twine-http-client-bench}"
artifacts="${HTTP_CLIENT_BENCH_ARTIFACTS:-/tmp/art-http-client}"
seconds=5 clients="twine httpclient twisted" files="small large"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --smoke) seconds=0.3 files=small; shift ;;
    --seconds) seconds="$2"; shift 2 ;;
    --clients) clients="$2"; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

warmup=$(awk -v s="$seconds" 'BEGIN { print (s < 1 ? s : 1) }')
log() { echo "[http-client-bench] $*" >&2; }
[[ -x /usr/sbin/nginx ]] || { echo "run.sh: nginx is missing (apt-get install nginx)" >&2; exit 1; }
rm -rf "$work"; mkdir -p "$work/www"
printf 'OK' >"$work/www/small"
head -c 65536 /dev/urandom >"$work/www/large"

if [[ $(nproc) -ge 2 ]] && command -v taskset >/dev/null; then pin_server=(taskset -c 0) pin_client=(taskset -c 1)
else pin_server=() pin_client=(); fi

if [[ " $clients " == *" twine "* || " $clients " == *" httpclient "* ]]; then
  log "building HttpClientBench (Release)"
  dotnet build "$here/HttpClientBench" -c Release --artifacts-path "$artifacts" -nologo -v quiet >"$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; exit 1; }
fi

port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$work/nginx.conf" <<CONF
daemon off;
master_process off;
pid $work/nginx.pid;
error_log stderr notice;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $work/body; proxy_temp_path $work/proxy; fastcgi_temp_path $work/fastcgi;
    uwsgi_temp_path $work/uwsgi; scgi_temp_path $work/scgi;
    keepalive_requests 100000000;
    keepalive_timeout 300s;
    server { listen 127.0.0.1:$port; root $work/www; }
}
CONF
"${pin_server[@]}" /usr/sbin/nginx -e stderr -p "$work" -c "$work/nginx.conf" 2>"$work/nginx.log" &
nginx_pid=$!
trap 'kill $nginx_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -s -o /dev/null "http://127.0.0.1:$port/small" && break
  kill -0 "$nginx_pid" 2>/dev/null || { cat "$work/nginx.log" >&2; echo "run.sh: nginx died" >&2; exit 1; }
  sleep 0.1
done

run_client() {   # client url connections -> "requests=N seconds=S cpu_us=C"
  case "$1" in
    twine|httpclient) "${pin_client[@]}" dotnet "$artifacts/bin/HttpClientBench/release/HttpClientBench.dll" "$1" "$2" "$3" "$seconds" "$warmup" ;;
    twisted) PYTHONNOUSERSITE=1 "${pin_client[@]}" /usr/bin/python3 "$here/client_twisted.py" "$2" "$3" "$seconds" "$warmup" ;;
    *) echo "run.sh: unknown client $1" >&2; exit 2 ;;
  esac
}

echo "| client | body | connections | requests/s | client CPU µs/request |"
echo "|---|---|---|---:|---:|"
for file in $files; do
  for conns in 1 10; do
    for client in $clients; do
      log "$client $file x$conns"
      out=$(run_client "$client" "http://127.0.0.1:$port/$file" "$conns" | tail -1)
      requests=$(sed -E 's/.*requests=([0-9]+).*/\1/' <<<"$out")
      secs=$(sed -E 's/.*seconds=([0-9.]+).*/\1/' <<<"$out")
      cpu=$(sed -E 's/.*cpu_us=([0-9.]+).*/\1/' <<<"$out")
      [[ "$requests" -gt 0 ]] || { echo "run.sh: $client completed no requests: $out" >&2; exit 1; }
      label=$([[ $file == small ]] && echo "2 B" || echo "64 KiB")
      awk -v c="$client" -v l="$label" -v n="$conns" -v r="$requests" -v s="$secs" -v u="$cpu" \
        'BEGIN { printf "| %s | %s | %d | %.0f | %.1f |\n", c, l, n, r / s, u / r }'
    done
  done
done
