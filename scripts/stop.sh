#!/usr/bin/env bash
# npm run stop: stops services and the Kafka broker left running by 'npm start' (data kept).
set -euo pipefail
LOG_TAG=stop
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
RUN_DIR="$INCIDENTS_CACHE/run"
for file in "$RUN_DIR"/*.pid; do
  [ -e "$file" ] || continue
  pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null; then
    log "stopping $(basename "$file" .pid) (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    wait_for "$(basename "$file" .pid) stopped" 20 bash -c "! kill -0 $pid 2>/dev/null" || kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
done
bash "$REPO_ROOT/infra/kafka/kafka.sh" stop
log "stopped (data kept)"
