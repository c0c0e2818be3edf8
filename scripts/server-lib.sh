# Sourced by the scripts that test a real server: a work folder, a server started in it on a free
# port, and a stop (SIGTERM, then SIGKILL) with the folder removed on exit.
#   source scripts/server-lib.sh; server_start BIN PORT [serve options…]; … "$work", "$pid", "$base_url"
work=$(mktemp -d /tmp/theodoi-check.XXXXXX)
pid=
server_stop() {
  [[ -n "$pid" ]] || return 0
  kill "$pid" 2> /dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2> /dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2> /dev/null || true
}
trap 'server_stop; rm -rf "$work"' EXIT

server_start() {
  local bin=$1 port=$2
  shift 2
  if curl -s -o /dev/null "http://127.0.0.1:$port/healthz"; then
    echo "port $port is already taken by another server; stop it first" >&2
    exit 1
  fi
  export DATABASE_URL="sqlite:$work/db.sqlite"
  (cd "$work" && exec "$bin" serve --port "$port" "$@" > "$work/server.log" 2>&1) &
  pid=$!
  base_url="http://127.0.0.1:$port"
  # The first start loads the bundled catalogue; accounts made after it can name its agencies.
  for _ in $(seq 1 600); do curl -sf "$base_url/healthz" > /dev/null && return 0; sleep 0.1; done
  echo "the server did not start:" >&2
  tail -n 20 "$work/server.log" >&2
  exit 1
}
