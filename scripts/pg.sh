#!/usr/bin/env bash
# A throwaway PostgreSQL for the test suite (used by `make test` under CI=true and `make test-postgres`).
#
#   eval "$(bash scripts/pg.sh start)"   # starts a fresh cluster, prints `export DATABASE_URL=...`
#   bash scripts/pg.sh stop              # stops it and deletes its data directory
#
# The cluster lives in a fresh directory from `mktemp -d` under /tmp, listens on 127.0.0.1:$PG_PORT
# (default 55432) and a Unix socket in that directory, runs without fsync (test data only) and trusts
# loopback connections. The role and database are both called "daks" (superuser, so that Django can create
# its test database). When run as root, the server runs as the system user "postgres"; when `initdb` is not
# installed, root installs Debian's `postgresql` package.
set -euo pipefail

PG_PORT="${PG_PORT:-55432}"
STATE_FILE="${TMPDIR:-/tmp}/daks-pg-${PG_PORT}.dir"

log() { echo "pg.sh: $*" >&2; }

find_bin_dir() {
  local initdb
  if initdb="$(command -v initdb 2>/dev/null)"; then
    dirname "$(readlink -f "$initdb")"
    return
  fi
  # Debian keeps the server binaries out of PATH.
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [[ -x "$dir/initdb" ]]; then
      echo "$dir"
      return
    fi
  done
  return 1
}

# Run a PostgreSQL server program: as "postgres" when we are root (PostgreSQL refuses to run as root).
as_pg() {
  if [[ "$(id -u)" == "0" ]]; then
    if command -v runuser >/dev/null 2>&1; then
      runuser -u postgres -- "$@"
    else
      su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
    fi
  else
    "$@"
  fi
}

start() {
  if [[ -f "$STATE_FILE" ]] && [[ -d "$(cat "$STATE_FILE")" ]]; then
    log "a cluster from an earlier run is still registered in $STATE_FILE; stopping it first"
    stop
  fi
  local bin
  if ! bin="$(find_bin_dir)"; then
    if [[ "$(id -u)" != "0" ]]; then
      log "initdb not found and not root: install PostgreSQL (Debian: apt-get install postgresql)"
      exit 1
    fi
    log "initdb not found: installing Debian's postgresql package"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    bin="$(find_bin_dir)"
  fi
  if [[ "$(id -u)" == "0" ]] && ! id postgres >/dev/null 2>&1; then
    log "creating the system user postgres"
    useradd --system --home-dir /var/lib/postgresql --shell /bin/sh postgres
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$PG_PORT") 2>/dev/null; then
    log "port $PG_PORT on 127.0.0.1 is already in use (set PG_PORT to another port)"
    exit 1
  fi

  local dir
  dir="$(mktemp -d /tmp/daks-pg.XXXXXX)"
  echo "$dir" >"$STATE_FILE"
  if [[ "$(id -u)" == "0" ]]; then
    chown postgres: "$dir"
  fi
  chmod 700 "$dir"

  as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
    || as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; log "initdb failed"; exit 1; }
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $PG_PORT -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50" \
    start >/dev/null || { cat "$dir/server.log" >&2; log "pg_ctl start failed"; exit 1; }

  local psql_args=(-h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -q -d postgres)
  local psql="$bin/psql"
  [[ -x "$psql" ]] || psql="$(command -v psql)"
  "$psql" "${psql_args[@]}" -c "CREATE ROLE daks LOGIN SUPERUSER PASSWORD 'daks'" -c "CREATE DATABASE daks OWNER daks" >&2
  log "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') running on 127.0.0.1:$PG_PORT (data in $dir)"
  echo "export DATABASE_URL=postgres://daks:daks@127.0.0.1:$PG_PORT/daks"
}

stop() {
  if [[ ! -f "$STATE_FILE" ]]; then
    log "no cluster registered ($STATE_FILE missing); nothing to stop"
    return 0
  fi
  local dir bin
  dir="$(cat "$STATE_FILE")"
  if [[ -d "$dir/data" ]] && bin="$(find_bin_dir)"; then
    as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  fi
  case "$dir" in
    /tmp/daks-pg.*) rm -rf -- "$dir" ;;
    *) log "refusing to delete unexpected directory '$dir'" ;;
  esac
  rm -f -- "$STATE_FILE"
  log "stopped and removed $dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
