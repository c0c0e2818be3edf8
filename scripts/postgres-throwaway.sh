#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for tests (RECIPES.md) and prints its URL.
# Usage: scripts/postgres-throwaway.sh start DIR PORT | stop DIR
set -euo pipefail
action=$1
dir=$2
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [[ -z "$bin" ]]; then
  apt-get update -qq && apt-get install -y -qq postgresql > /dev/null
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi
as_postgres() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "$action" in
  start)
    port=${3:-55432}
    rm -rf "$dir"
    mkdir -p "$dir"
    if [[ $(id -u) -eq 0 ]]; then chown postgres:postgres "$dir"; fi
    as_postgres "$bin/initdb" -D "$dir" -U postgres -A trust -E UTF8 --locale=C.UTF-8 > /dev/null
    as_postgres "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w start \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=500" > /dev/null
    as_postgres "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres theodoi_test
    echo "postgres://postgres@127.0.0.1:$port/theodoi_test?tlsmode=disable"
    ;;
  stop)
    as_postgres "$bin/pg_ctl" -D "$dir" -m fast stop > /dev/null || true
    ;;
esac
