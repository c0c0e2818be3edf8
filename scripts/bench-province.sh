#!/usr/bin/env bash
# Many plans (issue 19): a release build of theodoi on SQLite with P plans of N tasks each and R
# progress reports per plan (default 20 × 2,000 and 10,000: 200,000 reports), every plan counted as a
# real, active one. Measures with wrk from one connection (latency as one user sees it) the agency's
# "my work" across every plan (the agency leading the most tasks; an administrator asks for it with
# ?agency=, the same work an officer of that agency sees), the province's picture page and its API
# answer, and prints p50/p99, requests/s and the server's memory.
# Usage: scripts/bench-province.sh [seconds per URL, default 10] [plans, default 20] [tasks, default 2000]
# THEODOI_BENCH_WORK=DIR keeps the database between runs.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
plans=${2:-20}
tasks=${3:-2000}
reports=$((tasks * 5))
port=${THEODOI_BENCH_PORT:-8098}
command -v wrk > /dev/null || { apt-get update -qq && apt-get install -y -qq wrk > /dev/null; }

swift build -c release --product theodoi > /dev/null
bin=$(swift build -c release --show-bin-path)/theodoi
work=${THEODOI_BENCH_WORK:-$(mktemp -d /tmp/theodoi-province.XXXXXX)}
mkdir -p "$work"
export DATABASE_URL="sqlite:$work/bench.sqlite" REMINDER_INTERVAL=0
if [[ ! -s "$work/bench.sqlite" ]]; then
  "$bin" migrate > /dev/null
  started=$(date +%s)
  for copy in $(seq 1 "$plans"); do
    "$bin" demo --assignments "$tasks" --reports "$reports" --copy "$copy" > /dev/null
  done
  echo "loaded $plans plans of $tasks tasks and $((plans * reports)) reports in $(($(date +%s) - started)) s"
  # Benchmark only: the generated plans count as real ones, so "my work" and the province include them.
  python3 - "$work/bench.sqlite" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE plans SET is_demo = 0 WHERE slug LIKE 'demo-%'")
db.commit()
PY
fi
read -r agency agency_tasks < <(python3 - "$work/bench.sqlite" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(*db.execute('''SELECT aa.agency_id, COUNT(*) FROM assignment_agencies aa WHERE aa.role = 'lead'
  GROUP BY aa.agency_id ORDER BY COUNT(*) DESC LIMIT 1''').fetchone())
PY
)
counts=$(python3 - "$work/bench.sqlite" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
p = db.execute("SELECT COUNT(*) FROM plans WHERE is_demo = 0").fetchone()[0]
a = db.execute("SELECT COUNT(*) FROM assignments").fetchone()[0]
r = db.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
print(f"{p} plans, {a} tasks, {r} reports")
PY
)
echo "database: $counts; agency $agency leads $agency_tasks tasks"

"$bin" serve --port "$port" > "$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2> /dev/null || true' EXIT
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/healthz" > /dev/null && break; sleep 0.2; done
base="http://127.0.0.1:$port"
jar="$work/jar"
rm -f "$jar"
first=$(awk '/Mật khẩu:/ {print $3}' "$work/server.log")
csrf() { grep -o 'name="_csrf" value="[^"]*"' "$work/form.html" | head -n 1 | cut -d'"' -f4; }
curl -s -c "$jar" -b "$jar" "$base/sign-in" -o "$work/form.html"
if [[ -n "$first" ]]; then
  curl -s -c "$jar" -b "$jar" -o /dev/null --data-urlencode "_csrf=$(csrf)" --data-urlencode "email=admin@theodoi.local" \
    --data-urlencode "password=$first" "$base/sign-in"
  curl -s -c "$jar" -b "$jar" "$base/account/password" -o "$work/form.html"
  curl -s -c "$jar" -b "$jar" -o /dev/null --data-urlencode "_csrf=$(csrf)" --data-urlencode "current=$first" \
    --data-urlencode "new=Benchmark-2026-pass" --data-urlencode "confirmation=Benchmark-2026-pass" "$base/account/password"
else
  curl -s -c "$jar" -b "$jar" -o /dev/null --data-urlencode "_csrf=$(csrf)" --data-urlencode "email=admin@theodoi.local" \
    --data-urlencode "password=Benchmark-2026-pass" "$base/sign-in"
fi
cookie="theodoi_session=$(awk '$6 == "theodoi_session" {print $7}' "$jar")"

printf '%-44s %8s %10s %10s %10s\n' "page" "status" "p50" "p99" "req/s"
for path in "/my-work?agency=$agency" "/province" "/api/v1/province" "/my-work.xlsx?agency=$agency"; do
  status=$(curl -s -H "Cookie: $cookie" -o "$work/body" -w '%{http_code}' "$base$path")
  wrk -t1 -c1 -d2s -H "Cookie: $cookie" "$base$path" > /dev/null   # warm-up
  one=$(wrk -t1 -c1 -d"${duration}s" --latency -H "Cookie: $cookie" "$base$path")
  p50=$(awk '$1 == "50%" {print $2}' <<< "$one")
  p99=$(awk '$1 == "99%" {print $2}' <<< "$one")
  rate=$(awk '/Requests\/sec/ {print $2}' <<< "$one")
  printf '%-44s %8s %10s %10s %10s\n' "$path" "$status" "$p50" "$p99" "$rate"
done
rss=$(awk '/VmRSS/ {print $2}' "/proc/$server/status")
echo "server resident memory: $((rss / 1024)) MB"
