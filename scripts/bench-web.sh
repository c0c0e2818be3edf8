#!/usr/bin/env bash
# Web benchmark: a release build of theodoi on SQLite with a demo plan of 10,000 assignments,
# measured with wrk (Debian's package) from one thread. For the plan page (first page of results),
# one assignment, the API list and the dashboard counts, prints p50/p99 latency and requests/s with
# one connection (latency as one user sees it) and with N connections (throughput under load), and
# the server's memory. Usage: scripts/bench-web.sh [seconds per URL, default 10] [N, default 8]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
connections=${2:-8}
port=8099
command -v wrk > /dev/null || { apt-get update -qq && apt-get install -y -qq wrk > /dev/null; }

swift build -c release --product theodoi > /dev/null
bin=$(swift build -c release --show-bin-path)/theodoi
work=$(mktemp -d /tmp/theodoi-bench.XXXXXX)
export DATABASE_URL="sqlite:$work/bench.sqlite"
"$bin" migrate > /dev/null
"$bin" demo --assignments 10000 > /dev/null
server=
start_server() {
  [[ -n "$server" ]] && { kill "$server"; wait "$server" 2> /dev/null || true; }
  "$bin" serve --port "$port" > "$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" > /dev/null && break; sleep 0.2; done
}
trap 'kill $server 2> /dev/null || true; rm -rf "$work"' EXIT

# Sign in as the first administrator (printed once at first start) and choose a password, so every
# measured request carries a real session: the session lookup is part of what is measured.
sign_in() {
  local base="http://127.0.0.1:$port" jar="$work/jar" first csrf
  first=$(awk '/Mật khẩu:/ {print $3}' "$work/server.log")
  curl -s -c "$jar" -b "$jar" "$base/sign-in" -o "$work/form.html"
  csrf=$(grep -o 'name="_csrf" value="[^"]*"' "$work/form.html" | head -1 | sed 's/.*value="//;s/"//')
  curl -s -c "$jar" -b "$jar" -o /dev/null --data-urlencode "_csrf=$csrf" --data-urlencode "email=admin@theodoi.local" \
    --data-urlencode "password=$first" "$base/sign-in"
  curl -s -c "$jar" -b "$jar" "$base/account/password" -o "$work/form.html"
  csrf=$(grep -o 'name="_csrf" value="[^"]*"' "$work/form.html" | head -1 | sed 's/.*value="//;s/"//')
  curl -s -c "$jar" -b "$jar" -o /dev/null --data-urlencode "_csrf=$csrf" --data-urlencode "current=$first" \
    --data-urlencode "new=Benchmark-2026-pass" --data-urlencode "confirmation=Benchmark-2026-pass" "$base/account/password"
  cookie="theodoi_session=$(awk '$6 == "theodoi_session" {print $7}' "$jar")"
}

asOf=2026-06-30
urls=(
  "plan page (first page of 10,000)|/plans/demo-10000?asOf=$asOf"
  "plan page, overdue filter|/plans/demo-10000?asOf=$asOf&timeliness=open-overdue"
  "one assignment|/plans/demo-10000/assignments/B.140?asOf=$asOf"
  "API list (first 100)|/api/v1/plans/demo-10000/assignments?asOf=$asOf"
  "API dashboard counts|/api/v1/plans/demo-10000/dashboard?asOf=$asOf"
  "seed plan page (119 rows)|/plans/343-qd-tu?asOf=2025-09-30"
)
measure() {
printf '%-34s %9s %9s %9s | %9s %9s %9s %9s\n' "endpoint" "p50 c1" "p99 c1" "req/s c1" "p50 c$connections" "p99 c$connections" "req/s c$connections" "bytes"
for entry in "${urls[@]}"; do
  name=${entry%%|*}
  path=${entry#*|}
  status=$(curl -s -H "Cookie: $cookie" -o "$work/body" -w '%{http_code}' "http://127.0.0.1:$port$path")
  [[ "$status" == 200 ]] || { echo "$path answered $status" >&2; exit 1; }
  size=$(wc -c < "$work/body")
  wrk -t1 -c2 -d2s -H "Cookie: $cookie" "http://127.0.0.1:$port$path" > /dev/null   # warm-up
  one=$(wrk -t1 -c1 -d"${duration}s" --latency -H "Cookie: $cookie" "http://127.0.0.1:$port$path")
  many=$(wrk -t1 -c"$connections" -d"${duration}s" --latency -H "Cookie: $cookie" "http://127.0.0.1:$port$path")
  printf '%-34s %9s %9s %9s | %9s %9s %9s %9s\n' "$name" \
    "$(awk '/ 50%/ {print $2}' <<< "$one")" "$(awk '/ 99%/ {print $2}' <<< "$one")" "$(awk '/Requests\/sec/ {print $2}' <<< "$one")" \
    "$(awk '/ 50%/ {print $2}' <<< "$many")" "$(awk '/ 99%/ {print $2}' <<< "$many")" "$(awk '/Requests\/sec/ {print $2}' <<< "$many")" "$size"
done
}

echo "-- rendered-page cache on (the default: a repeated page is rendered once per plan revision)"
start_server
sign_in
printf 'sign-in (bcrypt cost 12), 3 tries:'
for _ in 1 2 3; do
  curl -s -c "$work/jar2" -b "$work/jar2" "http://127.0.0.1:$port/sign-in" -o "$work/form.html"
  csrf=$(grep -o 'name="_csrf" value="[^"]*"' "$work/form.html" | head -1 | sed 's/.*value="//;s/"//')
  printf ' %ss' "$(curl -s -c "$work/jar2" -b "$work/jar2" -o /dev/null -w '%{time_total}' --data-urlencode "_csrf=$csrf" \
    --data-urlencode "email=admin@theodoi.local" --data-urlencode "password=Benchmark-2026-pass" "http://127.0.0.1:$port/sign-in")"
done
echo
measure
echo "-- rendered-page cache off (PAGE_CACHE_ENTRIES=0: every request renders)"
PAGE_CACHE_ENTRIES=0 start_server
measure
rss=$(awk '/VmRSS/ {print $2 " " $3}' "/proc/$server/status")
peak=$(awk '/VmHWM/ {print $2 " " $3}' "/proc/$server/status")
echo "server memory: resident $rss, peak $peak (wrk: 1 thread, ${duration}s per URL and concurrency)"
