#!/usr/bin/env bash
# Unpacks the release tarball into an empty folder and runs it there as a new machine would: no
# Swift runtime libraries linked from the toolchain, its own resource bundles (the build folder's
# copies are moved aside while it runs), a minimal environment (PATH and HOME only), the embedded
# default database. Checks pages, styles, the bundled catalogue, the API, /readyz, /metrics, a
# command beside the server, and a clean stop.
# Usage: scripts/check-release.sh TARBALL FOLDER   (FOLDER is emptied first and kept; the
# program's path is printed last)
set -euo pipefail
cd "$(dirname "$0")/.."
tarball=$1
folder=$2
port=${RELEASE_CHECK_PORT:-8094}
rm -rf "$folder"
mkdir -p "$folder"
tar -C "$folder" -xzf "$tarball"
root=$(find "$folder" -mindepth 1 -maxdepth 1 -type d | head -n 1)
bin="$root/theodoi"
echo "release: $(basename "$tarball"), $(du -h "$tarball" | cut -f1) packed, program $(du -h "$bin" | cut -f1)"

# Linked against system libraries only: no libswift*, no libFoundation*, nothing missing.
deps=$(ldd "$bin" | awk '{print $1}' | xargs)
echo "release: links $deps"
if ldd "$bin" | grep -E 'libswift|libFoundation|libdispatch|libBlocksRuntime|not found'; then
  echo "release: the program needs a library a machine without Swift does not have" >&2
  exit 1
fi

# The program looks for its bundles beside itself, then in the build folder it was built in:
# move the build folder's aside so only the tarball's can be found.
build_dir=$(swift build -c release --static-swift-stdlib --show-bin-path)
aside="$build_dir/.aside-for-release-check"
rm -rf "$aside"
mkdir -p "$aside"
mv "$build_dir"/theodoi_*.resources "$aside/"
pid=
finish() {
  [[ -n "$pid" ]] && kill -9 "$pid" 2> /dev/null || true
  mv "$aside"/theodoi_*.resources "$build_dir/" 2> /dev/null || true
  rmdir "$aside" 2> /dev/null || true
}
trap finish EXIT

run() { (cd "$root" && env -i PATH=/usr/bin:/bin HOME="$root" "$@"); }
home="$root"
(cd "$root" && exec env -i PATH=/usr/bin:/bin HOME="$home" REMINDER_INTERVAL=0 ./theodoi serve --port "$port" > server.log 2>&1) &
pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 600); do curl -sf "$base/healthz" > /dev/null && break; sleep 0.1; done
fail() { echo "release: $1" >&2; tail -n 30 "$root/server.log" >&2; exit 1; }
# Each answer is read whole before it is searched: `curl | grep -q` fails under pipefail when grep
# stops reading a long answer early (curl then dies of SIGPIPE).
page() { curl -sf "$@" || fail "no answer from $*"; }
has() { grep -q -- "$1" <<< "$2"; }
curl -sf "$base/readyz" > /dev/null || fail "/readyz is not 200"
grep -q "loaded the bundled catalogue" "$root/server.log" || fail "the bundled catalogue was not loaded"
[[ -f "$root/data/theodoi.sqlite" ]] || fail "the embedded default database is not at data/theodoi.sqlite"
has "Đăng nhập" "$(page "$base/sign-in")" || fail "the sign-in page does not render"
has "--accent" "$(page "$base/static/app.css")" || fail "the stylesheet is not served"
has "openapi: 3.1" "$(page "$base/api/v1/openapi.yaml")" || fail "the OpenAPI description is not served"
has "theodoi_http_requests_total" "$(page "$base/metrics")" || fail "/metrics does not answer"
run ./theodoi user add --email release@check.local --name "Kiểm tra bản phát hành" --role leader > /dev/null \
  || fail "user add beside the server failed"
token=$(run ./theodoi user token --email release@check.local --label release | tail -n 1)
has '"343-qd-tu"' "$(page -H "Authorization: Bearer $token" "$base/api/v1/plans")" || fail "the API does not list the plan"
has '"total"' "$(page -H "Authorization: Bearer $token" "$base/api/v1/plans/343-qd-tu/assignments?perPage=1")" \
  || fail "the API does not list the plan's assignments"
kill -TERM "$pid"
for _ in $(seq 1 100); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
kill -0 "$pid" 2> /dev/null && fail "the server did not stop within 10 s of SIGTERM"
wait "$pid" && status=0 || status=$?
pid=
(( status == 0 )) || fail "the server exited $status after SIGTERM"
grep -q "theodoi đã dừng" "$root/server.log" || fail "no stop line"
run ./theodoi doctor > "$root/doctor.txt" 2>&1 || true
grep -q "Cơ sở dữ liệu" "$root/doctor.txt" || { cat "$root/doctor.txt" >&2; fail "doctor did not report on the database"; }
echo "release: ran from $root with PATH and HOME only; pages, styles, catalogue, API, /readyz, /metrics, user commands and a clean stop all work"
echo "$bin"
