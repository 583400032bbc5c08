#!/usr/bin/env bash
# Starts, stops and reports the services the engine needs on this machine:
# the Temporal dev server, FerretDB (MongoDB wire protocol) and a Redis of our own.
# A service whose URL is given in the environment (TEMPORAL_ADDRESS, MONGODB_URI, REDIS_URL)
# is external: nothing is started for it. Starting is idempotent; stopping stops only what we started.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA_DIR="${NSATU_DATA_DIR:-$ROOT/.data}"
BIN_DIR="${NSATU_BIN_DIR:-$HOME/.cache/nsatu-engine/bin}"
RUN_DIR="$DATA_DIR/run"
LOG_DIR="$DATA_DIR/logs"

TEMPORAL_PORT="${NSATU_TEMPORAL_PORT:-7233}"
TEMPORAL_UI_PORT="${NSATU_TEMPORAL_UI_PORT:-8233}"
FERRETDB_PORT="${NSATU_FERRETDB_PORT:-27017}"
REDIS_PORT="${NSATU_REDIS_PORT:-6390}"
# sqlite (default) or postgresql; the latter uses FERRETDB_POSTGRESQL_URL.
FERRETDB_BACKEND="${FERRETDB_BACKEND:-sqlite}"
FERRETDB_POSTGRESQL_URL="${FERRETDB_POSTGRESQL_URL:-postgres://postgres@127.0.0.1:5432/nsatu}"

# Search attributes the engine's workflows set (keep in sync with workflows/search-attributes.ts).
SEARCH_ATTRIBUTES=(PledgeStatus=Keyword PledgeDonor=Keyword PledgeId=Keyword)

mkdir -p "$RUN_DIR" "$LOG_DIR"

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pid_alive() {
  local pidfile="$RUN_DIR/$1.pid"
  [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

wait_for_port() {
  local name="$1" port="$2" log="$3" seconds="${4:-60}"
  for ((i = 0; i < seconds * 4; i++)); do
    port_open "$port" && return 0
    if [[ -f "$RUN_DIR/$name.pid" ]] && ! pid_alive "$name"; then break; fi
    sleep 0.25
  done
  echo "error: $name did not become ready on port $port; see $log" >&2
  tail -n 20 "$log" >&2 || true
  return 1
}

start_daemon() {
  local name="$1" port="$2"
  shift 2
  local log="$LOG_DIR/$name.log"
  if port_open "$port"; then
    echo "$name: already running on port $port (reused)"
    return 0
  fi
  # A session of its own: Ctrl-C in the terminal that started the quick start reaches its whole process group,
  # and the services (which handle SIGINT) must outlive the engine, for a backup or the next start.
  setsid nohup "$@" >>"$log" 2>&1 </dev/null &
  echo $! >"$RUN_DIR/$name.pid"
  wait_for_port "$name" "$port" "$log"
  echo "$name: started on port $port (log $log)"
}

start_temporal() {
  if [[ -n "${TEMPORAL_ADDRESS:-}" ]]; then echo "temporal: external at $TEMPORAL_ADDRESS"; return; fi
  local args=(server start-dev --ip 127.0.0.1 --port "$TEMPORAL_PORT" --ui-port "$TEMPORAL_UI_PORT"
    --db-filename "$DATA_DIR/temporal.db" --log-level warn
    --dynamic-config-value frontend.enableUpdateWorkflowExecution=true
    --dynamic-config-value frontend.enableUpdateWorkflowExecutionAsyncAccepted=true
    --dynamic-config-value frontend.enableExecuteMultiOperation=true)
  for sa in "${SEARCH_ATTRIBUTES[@]}"; do args+=(--search-attribute "$sa"); done
  start_daemon temporal "$TEMPORAL_PORT" "$BIN_DIR/temporal" "${args[@]}"
  wait_for_port temporal-ui "$TEMPORAL_UI_PORT" "$LOG_DIR/temporal.log" 30
}

# FerretDB keeps each MongoDB database as a schema of one PostgreSQL database, which must exist.
ensure_postgresql_database() {
  local url="$1" name="${1##*/}"
  name="${name%%\?*}"
  local admin="${url%/*}/postgres"
  if ! command -v psql >/dev/null; then return 0; fi
  if [[ "$(psql "$admin" -tAc "select 1 from pg_database where datname = '$name'" 2>/dev/null)" != "1" ]]; then
    psql "$admin" -qc "create database \"$name\"" && echo "postgresql: database $name created"
  fi
}

start_ferretdb() {
  if [[ -n "${MONGODB_URI:-}" ]]; then echo "database: external at ${MONGODB_URI%%@*}…"; return; fi
  local args=(-listen "127.0.0.1:$FERRETDB_PORT" -handler "$FERRETDB_BACKEND")
  if [[ "$FERRETDB_BACKEND" == "postgresql" ]]; then
    ensure_postgresql_database "$FERRETDB_POSTGRESQL_URL"
    args+=(-postgresql-url "$FERRETDB_POSTGRESQL_URL")
  else
    mkdir -p "$DATA_DIR/ferretdb"
    args+=(-sqlite-url "file:$DATA_DIR/ferretdb/")
  fi
  start_daemon ferretdb "$FERRETDB_PORT" "$BIN_DIR/nsatu-ferretdb" "${args[@]}"
}

start_redis() {
  if [[ -n "${REDIS_URL:-}" ]]; then echo "redis: external at $REDIS_URL"; return; fi
  mkdir -p "$DATA_DIR/redis"
  # Append-only persistence and noeviction: queued jobs survive a Redis restart and are never evicted.
  start_daemon redis "$REDIS_PORT" redis-server --bind 127.0.0.1 --port "$REDIS_PORT" \
    --dir "$DATA_DIR/redis" --appendonly yes --appendfsync everysec --save "" \
    --maxmemory-policy noeviction --daemonize no
}

stop_one() {
  local name="$1" pidfile="$RUN_DIR/$1.pid"
  if pid_alive "$name"; then
    kill "$(cat "$pidfile")" 2>/dev/null || true
    for ((i = 0; i < 80; i++)); do pid_alive "$name" || break; sleep 0.25; done
    pid_alive "$name" && kill -9 "$(cat "$pidfile")" 2>/dev/null || true
    echo "$name: stopped"
  fi
  rm -f "$pidfile"
}

status_one() {
  local name="$1" port="$2"
  if port_open "$port"; then echo "$name: up on port $port$(pid_alive "$name" && echo " (started by us, pid $(cat "$RUN_DIR/$name.pid"))")"
  else echo "$name: down (port $port)"; fi
}

case "${1:-}" in
  start)
    start_redis
    start_ferretdb
    start_temporal
    ;;
  stop)
    stop_one temporal
    stop_one ferretdb
    stop_one redis
    ;;
  restart-one)
    # Used by the reliability tests: restart one service we started, keeping its data.
    stop_one "$2"
    "start_${2}"
    ;;
  status)
    status_one redis "$REDIS_PORT"
    status_one ferretdb "$FERRETDB_PORT"
    status_one temporal "$TEMPORAL_PORT"
    status_one temporal-ui "$TEMPORAL_UI_PORT"
    ;;
  *)
    echo "usage: $0 start|stop|status|restart-one <redis|ferretdb|temporal>" >&2
    exit 2
    ;;
esac
