#!/usr/bin/env bash
# Moving to PostgreSQL (issue 18): a SQLite database with the seed, a demo plan and its history is
# copied with `theodoi copy-data` into an empty PostgreSQL schema; then a server on each answers
# the same API reads byte for byte, and the copy's audit chain verifies.
#   scripts/check-copy-data.sh BIN POSTGRES_URL
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "$1")
pg=$2
source scripts/server-lib.sh
export REMINDER_INTERVAL=0 SOFFICE=
server_start "$bin" "${COPY_CHECK_PORT:-8101}"
sqlite_url=$DATABASE_URL
"$bin" demo --assignments 300 --reports 1500 > /dev/null
"$bin" user add --email monitor@check.local --name "Theo dõi" --role monitor > /dev/null
token=$("$bin" user token --email monitor@check.local --label copy)
server_stop
schema="copy_$$"
target="$pg$([[ $pg == *\?* ]] && echo '&' || echo '?')schema=$schema"
echo "-- copy-data"
"$bin" copy-data --from "$sqlite_url" --to "$target" | sed 's/^/   /'
echo "-- a second copy into the same database is refused"
if "$bin" copy-data --from "$sqlite_url" --to "$target" > "$work/again.log" 2>&1; then
  echo "copy-data into a filled database succeeded" >&2
  exit 1
fi
grep -q "đã có dữ liệu" "$work/again.log"

start() { # DATABASE_URL PORT
  (cd "$work" && DATABASE_URL=$1 exec "$bin" serve --port "$2" > "$work/server-$2.log" 2>&1) &
  echo $!
}
port_a=${COPY_CHECK_PORT:-8101}
port_b=$((port_a + 1))
pid=$(start "$sqlite_url" "$port_a")
pid_b=$(start "$target" "$port_b")
trap 'kill $pid_b 2> /dev/null || true; server_stop; rm -rf "$work"' EXIT
for port in "$port_a" "$port_b"; do
  for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$port/healthz" > /dev/null && break; sleep 0.1; done
done
status=0
checked=0
for path in /api/v1/plans /api/v1/agencies \
  "/api/v1/plans/343-qd-tu/assignments?limit=100" "/api/v1/plans/demo-300/assignments?limit=100&offset=100" \
  /api/v1/plans/demo-300/dashboard /api/v1/plans/demo-300/scorecard /api/v1/plans/demo-300/summary \
  /api/v1/plans/demo-300/lists/overdue /api/v1/plans/demo-300/changes /api/v1/plans/343-qd-tu/dashboard \
  "/api/v1/plans/demo-300/dashboard?asOf=2026-06-30" /api/v1/plans/343-qd-tu/assignments/A.17.1 \
  /api/v1/plans/demo-300/assignments/A.1/history /api/v1/plans/demo-300/lists/awaiting-review; do
  a=$(curl -s -w '\n%{http_code}' -H "Authorization: Bearer $token" "http://127.0.0.1:$port_a$path")
  b=$(curl -s -w '\n%{http_code}' -H "Authorization: Bearer $token" "http://127.0.0.1:$port_b$path")
  if [[ "$a" != "$b" ]]; then
    echo "differs on the copy: $path" >&2
    diff <(echo "$a") <(echo "$b") | head -n 10 >&2
    status=1
  elif [[ "${a##*$'\n'}" != 200 ]]; then
    echo "answer ${a##*$'\n'} on $path" >&2
    status=1
  fi
  checked=$((checked + 1))
done
echo "-- $checked API reads compared: $([[ $status == 0 ]] && echo 'identical on SQLite and on the PostgreSQL copy' || echo 'DIFFERENCES')"
DATABASE_URL=$target "$bin" audit verify | sed 's/^/   /'
exit $status
