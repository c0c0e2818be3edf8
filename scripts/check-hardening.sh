#!/usr/bin/env bash
# Replays every reproduction of issue 14 against a real server (a release build in CI) started from
# an empty folder, and checks that each gets a 4xx and that the same process still answers at the
# end. Usage: scripts/check-hardening.sh [path to the theodoi binary]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-$(swift build -c release --show-bin-path)/theodoi}
source scripts/server-lib.sh
port=${HARDENING_PORT:-8097}
export BCRYPT_COST=10 REMINDER_INTERVAL=0 TRUST_PROXY=true SOFFICE=
server_start "$bin" "$port"
cd "$work"
"$bin" user add --email officer@check.local --name "Cán bộ thử" --role officer --agency "Sở Giáo dục và Đào tạo" | tail -n 1 > officer.password
"$bin" user add --email monitor@check.local --name "Theo dõi thử" --role monitor | tail -n 1 > monitor.password
"$bin" user add --email leader@check.local --name "Lãnh đạo thử" --role leader | tail -n 1 > leader.password
"$bin" user token --email leader@check.local --label check > leader.token
cd - > /dev/null
if ! python3 scripts/check-hardening.py "$port" "$work" "$bin" "$pid"; then
  tail -n 40 "$work/server.log" >&2
  exit 1
fi
kill -0 "$pid" 2> /dev/null || { echo "the server is gone" >&2; tail -n 40 "$work/server.log" >&2; exit 1; }
echo "hardening: every reproduction answered with a 4xx; the server (pid $pid) stayed up throughout"
