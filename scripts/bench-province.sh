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
read -r typical typical_tasks < <(python3 - "$work/bench.sqlite" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute('''SELECT aa.agency_id, COUNT(*) FROM assignment_agencies aa WHERE aa.role = 'lead'
  AND aa.agency_id IS NOT NULL GROUP BY aa.agency_id ORDER BY COUNT(*)''').fetchall()
print(*rows[len(rows) // 2])
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
echo "database: $counts; agency $agency leads $agency_tasks tasks (the most), agency $typical $typical_tasks (the median)"

"$bin" serve --port "$port" > "$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2> /dev/null || true' EXIT
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/healthz" > /dev/null && break; sleep 0.2; done
base="http://127.0.0.1:$port"
# Signs in (choosing a password at the first sign-in) and prints the session cookie.
csrf() { grep -o 'name="_csrf" value="[^"]*"' "$work/form.html" | head -n 1 | cut -d'"' -f4; }
sign_in() {  # email, password (the initial one, or "" for one chosen on an earlier run)
  local jar="$work/jar-$1" chosen="Benchmark-2026-pass"
  rm -f "$jar"
  curl -s -c "$jar" -b "$jar" "$base/sign-in" -o "$work/form.html"
  if [[ -n "$2" ]]; then
    curl -s -c "$jar" -b "$jar" -o /dev/null --data-urlencode "_csrf=$(csrf)" --data-urlencode "email=$1" \
      --data-urlencode "password=$2" "$base/sign-in"
    curl -s -c "$jar" -b "$jar" "$base/account/password" -o "$work/form.html"
    curl -s -c "$jar" -b "$jar" -o /dev/null --data-urlencode "_csrf=$(csrf)" --data-urlencode "current=$2" \
      --data-urlencode "new=$chosen" --data-urlencode "confirmation=$chosen" "$base/account/password"
  else
    curl -s -c "$jar" -b "$jar" -o /dev/null --data-urlencode "_csrf=$(csrf)" --data-urlencode "email=$1" \
      --data-urlencode "password=$chosen" "$base/sign-in"
  fi
  echo "theodoi_session=$(awk '$6 == "theodoi_session" {print $7}' "$jar")"
}
admin=$(sign_in admin@theodoi.local "$(awk '/Mật khẩu:/ {print $3}' "$work/server.log")")
# Signs in an officer of an agency (created on the first run) and prints the session cookie.
officer_of() {  # email, agency id
  local name password=""
  name=$(python3 - "$work/bench.sqlite" "$2" <<'PY'
import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("SELECT name FROM agencies WHERE id = ?", (int(sys.argv[2]),)).fetchone()[0])
PY
)
  if ! grep -q "$1" <<< "$("$bin" user list 2> /dev/null || true)"; then
    password=$("$bin" user add --email "$1" --name "Cán bộ đo tải" --role officer --agency "$name" | tail -n 1)
  fi
  echo "officer of $name (agency $2)" >&2
  sign_in "$1" "$password"
}
# An officer of the agency leading the most tasks, and one of the median agency (the work most officers see).
officer=$(officer_of officer@bench.local "$agency")
typical_officer=$(officer_of typical@bench.local "$typical")

printf '%-44s %8s %10s %10s %10s\n' "page" "status" "p50" "p99" "req/s"
measure() {  # label, cookie, path
  local cookie=$2 path=$3
  status=$(curl -s -H "Cookie: $cookie" -o "$work/body" -w '%{http_code}' "$base$path")
  wrk -t1 -c1 -d2s -H "Cookie: $cookie" "$base$path" > /dev/null   # warm-up
  one=$(wrk -t1 -c1 -d"${duration}s" --latency -H "Cookie: $cookie" "$base$path")
  p50=$(awk '$1 == "50%" {print $2}' <<< "$one")
  p99=$(awk '$1 == "99%" {print $2}' <<< "$one")
  rate=$(awk '/Requests\/sec/ {print $2}' <<< "$one")
  printf '%-44s %8s %10s %10s %10s\n' "$1 $path" "$status" "$p50" "$p99" "$rate"
}
measure officer "$officer" /my-work
measure "median officer" "$typical_officer" /my-work
measure officer "$officer" /my-work.xlsx
measure officer "$officer" /province
measure officer "$officer" /api/v1/province
measure admin "$admin" "/my-work?agency=$agency"
measure admin "$admin" "/my-work?agency=$typical"
measure admin "$admin" /province
rss=$(awk '/VmRSS/ {print $2}' "/proc/$server/status")
echo "server resident memory: $((rss / 1024)) MB"
