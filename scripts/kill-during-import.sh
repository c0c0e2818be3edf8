#!/usr/bin/env bash
# Kills the server (SIGKILL) while it loads the bundled catalogue on first start, at several
# moments, then starts it again and checks the plan is whole: 119 rows, never half a plan.
# Usage: scripts/kill-during-import.sh [path to the theodoi binary]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-$(swift build --show-bin-path)/theodoi}
work=$(mktemp -d /tmp/theodoi-kill.XXXXXX)
pid=
trap 'if [[ -n "$pid" ]]; then kill "$pid" 2> /dev/null || true; fi; rm -rf "$work"' EXIT
port=8097
if curl -s -o /dev/null "http://127.0.0.1:$port/healthz"; then
  echo "port $port is already taken by another server; stop it first" >&2
  exit 1
fi
for delay in 0.05 0.15 0.3 0.6 1.0; do
  rm -f "$work"/db.sqlite*
  DATABASE_URL="sqlite:$work/db.sqlite" "$bin" serve --port $port > "$work/first.log" 2>&1 &
  pid=$!
  sleep "$delay"
  kill -9 "$pid" 2> /dev/null || true
  wait "$pid" 2> /dev/null || true
  DATABASE_URL="sqlite:$work/db.sqlite" "$bin" serve --port $port > "$work/second.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" > /dev/null && break; sleep 0.1; done
  # The plan list is for signed-in callers: read it with an API token of the first administrator.
  token=$(DATABASE_URL="sqlite:$work/db.sqlite" "$bin" user token --email admin@theodoi.local --label kill-test)
  listing=$(curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/plans" || true)
  count=$(grep -o '"assignmentCount":[0-9]*' <<< "$listing" | head -1 | cut -d: -f2 || true)
  plans=$(grep -o '"total":[0-9]*' <<< "$listing" | cut -d: -f2 || true)
  kill "$pid" 2> /dev/null || true
  wait "$pid" 2> /dev/null || true
  if [[ "$count" != 119 || "$plans" != 1 ]]; then
    echo "killed after ${delay}s: the next start shows $plans plan(s) with $count rows, not 1 with 119" >&2
    exit 1
  fi
  echo "killed after ${delay}s: the next start completed the plan (1 plan, 119 rows)"
done
