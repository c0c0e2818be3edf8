#!/usr/bin/env bash
# Web benchmark: a release build of theodoi on SQLite with a demo plan of 10,000 assignments and
# 100,000 progress reports, measured with wrk (Debian's package) from one thread. For the plan page
# (first page of results), one assignment with its history, the API list and the dashboard counts,
# prints p50/p99 latency and requests/s with one connection (latency as one user sees it) and with N
# connections (throughput under load), and the server's memory; then sending progress reports through
# the API as an officer, and the periodic report with its 10,000-row appendix (DOCX, XLSX, print page). Usage: scripts/bench-web.sh [seconds per URL, default 10] [N, default 8]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
connections=${2:-8}
port=${THEODOI_BENCH_PORT:-8099}
command -v wrk > /dev/null || { apt-get update -qq && apt-get install -y -qq wrk > /dev/null; }

swift build -c release --product theodoi > /dev/null
bin=$(swift build -c release --show-bin-path)/theodoi
# THEODOI_BENCH_WORK=DIR keeps the database (and its demo plan) between runs; THEODOI_BENCH_ONLY=report
# measures only the periodic report.
work=${THEODOI_BENCH_WORK:-$(mktemp -d /tmp/theodoi-bench.XXXXXX)}
mkdir -p "$work"
export DATABASE_URL="sqlite:$work/bench.sqlite"
if [[ ! -s "$work/bench.sqlite" ]]; then
  "$bin" migrate > /dev/null
  "$bin" demo --assignments 10000 --reports 100000
fi
# The assignment with the longest history, and the agency that leads the most open assignments.
read -r busiest < <(python3 - "$work/bench.sqlite" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(db.execute('''SELECT a.code FROM reports r JOIN assignments a ON a.id = r.assignment_id
  JOIN plans p ON p.id = a.plan_id WHERE p.slug = 'demo-10000' GROUP BY a.id ORDER BY COUNT(*) DESC LIMIT 1''').fetchone()[0])
PY
)
server=
start_server() {
  [[ -n "$server" ]] && { kill "$server"; wait "$server" 2> /dev/null || true; }
  "$bin" serve --port "$port" > "$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" > /dev/null && break; sleep 0.2; done
}
trap 'kill $server 2> /dev/null || true; [[ -n "${THEODOI_BENCH_WORK:-}" ]] || rm -rf "$work"' EXIT

# Sign in as the first administrator (printed once at first start) and choose a password, so every
# measured request carries a real session: the session lookup is part of what is measured.
sign_in() {
  local base="http://127.0.0.1:$port" jar="$work/jar" first csrf
  rm -f "$jar"
  first=$(awk '/Mật khẩu:/ {print $3}' "$work/server.log")
  if [[ -z "$first" ]]; then   # a kept database: the password was chosen on an earlier run
    curl -s -c "$jar" -b "$jar" "$base/sign-in" -o "$work/form.html"
    csrf=$(grep -o 'name="_csrf" value="[^"]*"' "$work/form.html" | head -1 | sed 's/.*value="//;s/"//')
    curl -s -c "$jar" -b "$jar" -o /dev/null --data-urlencode "_csrf=$csrf" --data-urlencode "email=admin@theodoi.local" \
      --data-urlencode "password=Benchmark-2026-pass" "$base/sign-in"
    cookie="theodoi_session=$(awk '$6 == "theodoi_session" {print $7}' "$jar")"
    return
  fi
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
  "one assignment with history ($busiest)|/plans/demo-10000/assignments/$busiest"
  "history API ($busiest)|/api/v1/plans/demo-10000/assignments/$busiest/history"
  "dashboard|/plans/demo-10000/dashboard?asOf=$asOf"
  "agency scorecard|/plans/demo-10000/scorecard?asOf=$asOf"
  "overdue list (first 200)|/plans/demo-10000/lists/overdue?asOf=$asOf"
  "API scorecard|/api/v1/plans/demo-10000/scorecard?asOf=$asOf"
  "API list (first 100)|/api/v1/plans/demo-10000/assignments?asOf=$asOf"
  "API dashboard counts|/api/v1/plans/demo-10000/dashboard?asOf=$asOf"
  "seed plan page (119 rows)|/plans/343-qd-tu?asOf=2025-09-30"
)
measure() {
printf '%-40s %9s %9s %9s | %9s %9s %9s %9s\n' "endpoint" "p50 c1" "p99 c1" "req/s c1" "p50 c$connections" "p99 c$connections" "req/s c$connections" "bytes"
for entry in "${urls[@]}"; do
  name=${entry%%|*}
  path=${entry#*|}
  status=$(curl -s -H "Cookie: $cookie" -o "$work/body" -w '%{http_code}' "http://127.0.0.1:$port$path")
  [[ "$status" == 200 ]] || { echo "$path answered $status" >&2; exit 1; }
  size=$(wc -c < "$work/body")
  wrk -t1 -c2 -d2s -H "Cookie: $cookie" "http://127.0.0.1:$port$path" > /dev/null   # warm-up
  one=$(wrk -t1 -c1 -d"${duration}s" --latency -H "Cookie: $cookie" "http://127.0.0.1:$port$path")
  many=$(wrk -t1 -c"$connections" -d"${duration}s" --latency -H "Cookie: $cookie" "http://127.0.0.1:$port$path")
  printf '%-40s %9s %9s %9s | %9s %9s %9s %9s\n' "$name" \
    "$(awk '/ 50%/ {print $2}' <<< "$one")" "$(awk '/ 99%/ {print $2}' <<< "$one")" "$(awk '/Requests\/sec/ {print $2}' <<< "$one")" \
    "$(awk '/ 50%/ {print $2}' <<< "$many")" "$(awk '/ 99%/ {print $2}' <<< "$many")" "$(awk '/Requests\/sec/ {print $2}' <<< "$many")" "$size"
done
}

report_bench() {
  # The periodic report of the whole demo plan (10,000 rows in the appendix) since the plan began,
  # as of today: each file five times, the median and the slowest.
  echo "-- periodic report, demo plan of 10,000 assignments (5 runs each: median, max)"
  for path in "report.docx?period=&scope=all" "report.xlsx?period=&scope=all" "report/print?period=&scope=all" \
    "report?period=&scope=all"; do
    times=()
    for _ in 1 2 3 4 5; do
      times+=("$(curl -s -H "Cookie: $cookie" -o "$work/report.out" -w '%{http_code} %{time_total}' \
        "http://127.0.0.1:$port/plans/demo-10000/$path")")
    done
    codes=$(printf '%s\n' "${times[@]}" | awk '{print $1}' | sort -u | tr '\n' ' ')
    printf '%-34s median %ss  max %ss  size %s bytes  status %s\n' "$path" \
      "$(printf '%s\n' "${times[@]}" | awk '{print $2}' | sort -n | sed -n 3p)" \
      "$(printf '%s\n' "${times[@]}" | awk '{print $2}' | sort -n | tail -1)" "$(stat -c %s "$work/report.out")" "$codes"
  done
}

if [[ "${THEODOI_BENCH_ONLY:-}" == report ]]; then
  start_server
  sign_in
  report_bench
  echo "server memory: resident $(awk '/VmRSS/ {print $2 " " $3}' "/proc/$server/status")"
  exit 0
fi

echo "-- rendered-page cache on (the default: a repeated page is rendered once per plan revision)"
start_server
sign_in
printf 'sign-in (bcrypt cost 12), 3 tries:'
for _ in 1 2 3; do
  rm -f "$work/jar2"
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

# Sending progress reports: an officer of the agency leading the most open demo assignments posts
# reports (sent at once) through the API, cycling over those assignments.
officer_agency=$(python3 - "$work/bench.sqlite" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(db.execute('''SELECT g.name FROM assignment_agencies aa JOIN agencies g ON g.id = aa.agency_id
  JOIN assignments a ON a.id = aa.assignment_id JOIN plans p ON p.id = a.plan_id
  WHERE p.slug = 'demo-10000' AND aa.role = 'lead' GROUP BY g.id ORDER BY COUNT(*) DESC LIMIT 1''').fetchone()[0])
PY
)
"$bin" user add --email canbo.bench@gialai.gov.vn --name "Cán bộ đo tốc độ" --role officer --agency "$officer_agency" > /dev/null
token=$("$bin" user token --email canbo.bench@gialai.gov.vn --label benchmark | tail -1)
python3 - "$work/bench.sqlite" "$officer_agency" "$token" > "$work/post.lua" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute('''SELECT a.code FROM assignments a JOIN plans p ON p.id = a.plan_id
  JOIN assignment_agencies aa ON aa.assignment_id = a.id AND aa.role = 'lead'
  JOIN agencies g ON g.id = aa.agency_id
  WHERE p.slug = 'demo-10000' AND g.name = ?
    AND NOT EXISTS (SELECT 1 FROM assignments c WHERE c.plan_id = a.plan_id AND c.parent_code = a.code)
    AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.assignment_id = a.id AND r.state = 'accepted' AND r.claimed_stage = 'done')
  ORDER BY a.position''', (sys.argv[2],)).fetchall()
codes = ",".join('"%s"' % code for (code,) in rows)
print('codes = {%s}' % codes)
print('token = "%s"' % sys.argv[3])
print('''counter = 0
body = '{"stage": "in-progress", "percent": 50, "result": "Đã triển khai theo kế hoạch (đo tốc độ)", "evidence": [{"number": "12/KH", "date": "2026-01-05", "summary": "Kế hoạch"}], "submit": true}'
request = function()
  counter = counter + 1
  local code = codes[(counter % #codes) + 1]
  return wrk.format("POST", "/api/v1/plans/demo-10000/assignments/" .. code .. "/reports",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end''')
PY
echo "-- sending progress reports as an officer of $officer_agency ($(grep -o '"[A-Z]\.[0-9.]*"' "$work/post.lua" | wc -l) open assignments)"
for c in 1 "$connections"; do
  result=$(wrk -t1 -c"$c" -d"${duration}s" --latency -s "$work/post.lua" "http://127.0.0.1:$port/")
  printf 'POST report, c%-3s p50 %9s  p99 %9s  req/s %9s  non-2xx: %s\n' "$c" "$(awk '/ 50%/ {print $2}' <<< "$result")" \
    "$(awk '/ 99%/ {print $2}' <<< "$result")" "$(awk '/Requests\/sec/ {print $2}' <<< "$result")" \
    "$(awk '/Non-2xx/ {print $5}' <<< "$result" | grep . || echo 0)"
done
curl -s -H "Cookie: $cookie" -o /dev/null -w 'plan page right after the writes (re-renders once): %{time_total}s\n' \
  "http://127.0.0.1:$port/plans/demo-10000"
report_bench
rss=$(awk '/VmRSS/ {print $2 " " $3}' "/proc/$server/status")
peak=$(awk '/VmHWM/ {print $2 " " $3}' "/proc/$server/status")
echo "server memory: resident $rss, peak $peak (wrk: 1 thread, ${duration}s per URL and concurrency)"
