#!/usr/bin/env bash
# A local PostgreSQL for the demo, the benchmark and trying database sinks by hand: Debian's
# postgresql programs, initdb into a state dir, a free loopback port, password (SCRAM) login over
# TCP, in the background. start | stop | status.
#
#   scripts/local-postgres.sh start
#   scripts/local-postgres.sh stop
#   scripts/local-postgres.sh status
#
# `start` and `status` print shell assignments, which is also the state file (eval the output):
#   KOLLECT_POSTGRES_DSN='host=127.0.0.1 port=PORT dbname=kollect user=kollect password=… sslmode=disable'
#   KOLLECT_POSTGRES_PORT=PORT
# `psql "$KOLLECT_POSTGRES_DSN"` reads the tables. The role kollect owns the database kollect. A
# database sink on this address is a loopback endpoint: the operator and the CLI accept it only with
# --allow-loopback-sinks (SPEC §6.5). initdb and postgres refuse to run as root, so as root they run
# as the postgres user (runuser).
#
# State (data dir, log, postgres.env) lives in ${KOLLECT_LOCAL_POSTGRES_DIR}, by default
# ${TMPDIR:-/tmp}/kollect-local-postgres; `stop` removes it.
set -euo pipefail

state_dir="${KOLLECT_LOCAL_POSTGRES_DIR:-${TMPDIR:-/tmp}/kollect-local-postgres}"
env_file="$state_dir/postgres.env"
data_dir="$state_dir/data"

usage() {
  echo "usage: $0 start | stop | status" >&2
  exit 2
}

bin_dir() {
  if [[ -n "${KOLLECT_POSTGRES_BIN:-}" ]]; then echo "$KOLLECT_POSTGRES_BIN"; return; fi
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [[ -n "$found" && -x "$found/initdb" ]] || { echo "error: PostgreSQL programs not found under /usr/lib/postgresql/*/bin; run scripts/bootstrap.sh" >&2; exit 1; }
  echo "$found"
}

# As root, the server's programs run as the postgres user.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

running() {
  [[ -f "$data_dir/postmaster.pid" ]] && as_owner "$(bin_dir)/pg_ctl" -D "$data_dir" status >/dev/null 2>&1
}

start() {
  if running && [[ -f "$env_file" ]]; then
    echo "local PostgreSQL already running (state $state_dir)" >&2
    cat "$env_file"
    return 0
  fi
  stop >/dev/null
  local bin port password
  bin=$(bin_dir)
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  password="kollect-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  mkdir -p "$state_dir"
  chmod 755 "$state_dir"
  printf '%s\n' "$password" >"$state_dir/pwfile"
  if [[ $(id -u) -eq 0 ]]; then
    chown -R postgres:postgres "$state_dir"
    runuser -u postgres -- test -r "$state_dir/pwfile" || {
      echo "error: the postgres user cannot reach $state_dir; every parent directory must be searchable by others (chmod o+x)" >&2
      rm -rf "$state_dir"
      exit 1
    }
  fi
  as_owner "$bin/initdb" -D "$data_dir" -U kollect --pwfile "$state_dir/pwfile" --auth-local=trust --auth-host=scram-sha-256 \
    -E UTF8 --no-locale --no-sync >"$state_dir/initdb.log" 2>&1 || { tail -20 "$state_dir/initdb.log" >&2; exit 1; }
  rm -f "$state_dir/pwfile"
  if ! as_owner "$bin/pg_ctl" -D "$data_dir" -l "$state_dir/postgres.log" -w -t 60 \
      -o "-p $port -k $state_dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null; then
    echo "error: PostgreSQL did not start; log $state_dir/postgres.log:" >&2
    tail -20 "$state_dir/postgres.log" >&2
    exit 1
  fi
  as_owner "$bin/psql" -h "$state_dir" -p "$port" -U kollect -d postgres -X -q -c "CREATE DATABASE kollect OWNER kollect" >/dev/null
  {
    echo "KOLLECT_POSTGRES_DSN='host=127.0.0.1 port=$port dbname=kollect user=kollect password=$password sslmode=disable'"
    echo "KOLLECT_POSTGRES_PORT=$port"
  } >"$env_file"
  chmod 600 "$env_file"
  echo "local PostgreSQL started on 127.0.0.1:$port (PostgreSQL $("$bin/postgres" --version | awk '{print $3}')); log $state_dir/postgres.log" >&2
  cat "$env_file"
}

stop() {
  if running; then
    as_owner "$(bin_dir)/pg_ctl" -D "$data_dir" -m fast -w stop >/dev/null 2>&1 || true
    echo "local PostgreSQL stopped"
  else
    echo "local PostgreSQL is not running"
  fi
  rm -rf "$state_dir"
}

status() {
  if running && [[ -f "$env_file" ]]; then
    echo "local PostgreSQL running (state $state_dir)" >&2
    cat "$env_file"
  else
    echo "local PostgreSQL is not running" >&2
    return 3
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) usage ;;
esac
