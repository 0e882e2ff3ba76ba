#!/usr/bin/env bash
# npm start: installs what is missing, starts Kafka and PostgreSQL (unless KAFKA_BROKERS /
# DATABASE_URL point elsewhere), migrates, creates topics, starts ingest, projector and
# query, posts the seed fixture into an empty log, prints a summary, and stays in the
# foreground. Ctrl-C / SIGTERM stops everything it started; data is kept.
set -euo pipefail
LOG_TAG=start
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$REPO_ROOT/scripts/lib/node.sh"
cd "$REPO_ROOT"

RUN_DIR="$INCIDENTS_CACHE/run"
LOG_DIR="$INCIDENTS_CACHE/logs"
mkdir -p "$RUN_DIR" "$LOG_DIR"
export HOST="${HOST:-127.0.0.1}"
export INGEST_PORT="${INGEST_PORT:-8081}"
export QUERY_PORT="${QUERY_PORT:-8082}"
export INGEST_URL="${INGEST_URL:-http://$HOST:$INGEST_PORT}"
export QUERY_URL="${QUERY_URL:-http://$HOST:$QUERY_PORT}"

ensure_node
ensure_deps
ensure_build

for port in "$INGEST_PORT" "$QUERY_PORT"; do
  if port_open "$HOST" "$port"; then
    die "port $port on $HOST is already in use (a stack left running? try 'npm run stop'; or set INGEST_PORT / QUERY_PORT)"
  fi
done

started_kafka=0
if [ -z "${KAFKA_BROKERS:-}" ]; then
  if ! bash infra/kafka/kafka.sh status >/dev/null 2>&1; then started_kafka=1; fi
  bash infra/kafka/kafka.sh start
  export KAFKA_BROKERS="127.0.0.1:${KAFKA_PORT:-9092}"
fi
bash infra/postgres/postgres.sh ensure
export DATABASE_URL="${DATABASE_URL:-$(bash infra/postgres/postgres.sh url)}"

node services/ops/dist/cli.js migrate
node services/ops/dist/cli.js topics

if [ -z "${INGEST_API_KEYS:-}" ] && [ -z "${INGEST_API_KEYS_FILE:-}" ]; then
  key_file="$INCIDENTS_CACHE/dev-api-key"
  keys_file="$INCIDENTS_CACHE/dev-api-keys.json"
  if [ ! -s "$key_file" ]; then
    node -e 'process.stdout.write(require("node:crypto").randomBytes(24).toString("base64url"))' > "$key_file"
    chmod 600 "$key_file"
  fi
  digest=$(node -e 'process.stdout.write(require("node:crypto").createHash("sha256").update(require("node:fs").readFileSync(process.argv[1],"utf8")).digest("hex"))' "$key_file")
  printf '[{"name":"development","sha256":"%s","sources":["/"]}]\n' "$digest" > "$keys_file"
  export INGEST_API_KEYS_FILE="$keys_file"
  export INGEST_API_KEY="$(cat "$key_file")"
  log "no API keys configured: using the development key in $key_file (grants every source)"
fi

pids=()
stopping=0
stop_all() {
  trap - INT TERM EXIT
  stopping=1
  log "stopping services"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -f "$RUN_DIR"/*.pid
  if [ "$started_kafka" = 1 ]; then bash infra/kafka/kafka.sh stop; fi
  log "stopped (data kept)"
}
trap stop_all INT TERM EXIT

start_service() {
  local name=$1
  node "services/$name/dist/main.js" >>"$LOG_DIR/$name.log" 2>&1 &
  pids+=($!)
  echo $! > "$RUN_DIR/$name.pid"
  log "$name started (pid $!, log $LOG_DIR/$name.log)"
}
http_ready() { node -e 'fetch(process.argv[1]).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))' "$1"; }

start_service ingest
start_service projector
start_service query
wait_for "ingest $INGEST_URL" 60 http_ready "$INGEST_URL/health/ready" || { tail -20 "$LOG_DIR/ingest.log" >&2; die "ingest did not become ready"; }
wait_for "query $QUERY_URL" 60 http_ready "$QUERY_URL/health/ready" || { tail -20 "$LOG_DIR/query.log" >&2; die "query did not become ready"; }

node services/ops/dist/cli.js seed --if-empty
node services/ops/dist/cli.js wait --timeout 120 || log "the projector is still catching up; the summary below may be partial"
node services/ops/dist/cli.js summary || log "could not read the summary from the query API"

cat <<MSG

  ready
  ingest     $INGEST_URL/v1/events   (POST CloudEvents; OpenAPI at $INGEST_URL/openapi.json)
  query      $QUERY_URL/v1/...       (OpenAPI at $QUERY_URL/openapi.json)
  dashboard  $QUERY_URL/
  logs       $LOG_DIR
  Ctrl-C stops everything this command started (data kept); 'npm run stop' stops a stack left running.

MSG
# Stay in the foreground until a service exits or a signal arrives.
wait -n "${pids[@]}" || true
# (after Ctrl-C, stop_all has run already: the services exited because it stopped them)
if [ "$stopping" = 0 ]; then log "a service exited; see $LOG_DIR"; fi
