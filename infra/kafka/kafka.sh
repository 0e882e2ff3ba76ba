#!/usr/bin/env bash
# A real single-node Apache Kafka broker (KRaft) without Docker: the broker and its tools
# come from Maven Central as jars (pom.xml beside this script).
#   kafka.sh start    fetch jars if needed, format storage once, start, wait until it answers
#   kafka.sh stop     stop the broker this script started (data kept)
#   kafka.sh status   exit 0 when the broker answers
#   kafka.sh fetch    only fetch the jars
#   kafka.sh reset    stop and delete the broker's data
set -euo pipefail
LOG_TAG=kafka
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib/common.sh"

KAFKA_HOST="${KAFKA_HOST:-127.0.0.1}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_HEAP="${KAFKA_HEAP:-768m}"
KAFKA_DIR="${KAFKA_DIR:-$INCIDENTS_CACHE/kafka}"
POM="$REPO_ROOT/infra/kafka/pom.xml"
LIB="$KAFKA_DIR/lib"
CONF="$KAFKA_DIR/config"
DATA="$KAFKA_DIR/data"
PIDFILE="$KAFKA_DIR/broker.pid"
LOGFILE="$KAFKA_DIR/broker.log"

need_java() {
  command -v java >/dev/null || die "Java is missing: install a JDK 17+ (Debian: apt-get install -y openjdk-17-jre-headless) or use 'docker compose up'"
  local v
  v=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
  [ "${v:-0}" -ge 17 ] || die "Java $v is too old: Kafka 4 needs Java 17+ (set JAVA_HOME or PATH to a newer JDK)"
}

fetch() {
  local stamp="$LIB/.pom-sha"
  local want
  want=$(sha256sum "$POM" | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  command -v mvn >/dev/null || die "Maven is missing: install it (Debian: apt-get install -y maven) to fetch the Kafka jars"
  log "fetching Kafka jars from Maven Central into $LIB"
  rm -rf "$LIB"
  if ! mvn -q -B -f "$POM" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$LIB" >"$KAFKA_DIR/mvn.log" 2>&1; then
    tail -20 "$KAFKA_DIR/mvn.log" >&2
    die "Maven could not fetch the Kafka jars (offline or Maven Central unreachable? see $KAFKA_DIR/mvn.log; jars cached in ~/.m2 are reused with 'mvn -o')"
  fi
  echo "$want" > "$stamp"
}

configure() {
  mkdir -p "$CONF" "$DATA"
  cat > "$CONF/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$KAFKA_HOST:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT,CONTROLLER://$KAFKA_HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA
num.partitions=6
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=6
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
min.insync.replicas=1
group.initial.rebalance.delay.ms=0
PROPS
  cat > "$CONF/log4j2.yaml" <<'YAML'
Configuration:
  Appenders:
    Console:
      name: STDOUT
      PatternLayout:
        pattern: "[%d] %p %m (%c)%n"
  Loggers:
    Root:
      level: INFO
      AppenderRef:
        - ref: STDOUT
    Logger:
      - name: kafka
        level: WARN
      - name: org.apache.kafka
        level: WARN
      - name: kafka.server.KafkaServer
        level: INFO
      - name: kafka.server.KafkaRaftServer
        level: INFO
      - name: kafka.server.BrokerServer
        level: INFO
YAML
}

java_run() {
  java -Xms256m "-Xmx$KAFKA_HEAP" -XX:+UseG1GC -Djava.awt.headless=true \
    "-Dlog4j2.configurationFile=$CONF/log4j2.yaml" -cp "$LIB/*" "$@"
}

format_storage() {
  if [ -f "$DATA/meta.properties" ]; then return 0; fi
  local id
  id=$(java_run kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)
  log "formatting storage (cluster id $id)"
  java_run kafka.tools.StorageTool format -t "$id" -c "$CONF/server.properties" --ignore-formatted >"$KAFKA_DIR/format.log" 2>&1 \
    || { cat "$KAFKA_DIR/format.log" >&2; die "formatting Kafka storage failed"; }
}

our_pid() {
  [ -f "$PIDFILE" ] || return 1
  local pid
  pid=$(cat "$PIDFILE")
  kill -0 "$pid" 2>/dev/null && grep -q kafka.Kafka "/proc/$pid/cmdline" 2>/dev/null && echo "$pid"
}

ready() { port_open "$KAFKA_HOST" "$KAFKA_PORT" && grep -q 'started (kafka.server.KafkaRaftServer)\|Kafka Server started' "$LOGFILE" 2>/dev/null; }

start() {
  if pid=$(our_pid); then
    if ready; then log "broker already running (pid $pid) on $KAFKA_HOST:$KAFKA_PORT"; return 0; fi
  elif port_open "$KAFKA_HOST" "$KAFKA_PORT"; then
    log "something already listens on $KAFKA_HOST:$KAFKA_PORT and it was not started by this script;"
    log "using it as the broker (set KAFKA_BROKERS/KAFKA_PORT to choose another)"
    return 0
  elif port_open "$KAFKA_HOST" "$KAFKA_CONTROLLER_PORT"; then
    die "port $KAFKA_CONTROLLER_PORT (Kafka controller) is in use by another process: free it or set KAFKA_CONTROLLER_PORT"
  fi
  need_java
  mkdir -p "$KAFKA_DIR"
  fetch
  configure
  format_storage
  if [ -z "${pid:-}" ]; then
    log "starting broker on $KAFKA_HOST:$KAFKA_PORT (heap $KAFKA_HEAP, log $LOGFILE)"
    : > "$LOGFILE"
    nohup bash -c 'exec "$@"' _ java -Xms256m "-Xmx$KAFKA_HEAP" -XX:+UseG1GC -Djava.awt.headless=true \
      "-Dlog4j2.configurationFile=$CONF/log4j2.yaml" -cp "$LIB/*" kafka.Kafka "$CONF/server.properties" \
      >>"$LOGFILE" 2>&1 < /dev/null &
    echo $! > "$PIDFILE"
  fi
  if ! wait_for "broker $KAFKA_HOST:$KAFKA_PORT" "${KAFKA_START_TIMEOUT:-90}" started_or_dead; then
    tail -30 "$LOGFILE" >&2
    die "the broker did not become ready within ${KAFKA_START_TIMEOUT:-90}s (log: $LOGFILE)"
  fi
  our_pid >/dev/null || { tail -30 "$LOGFILE" >&2; die "the broker exited during start-up (log: $LOGFILE)"; }
}

started_or_dead() { ready || ! our_pid >/dev/null; }

stop() {
  local pid
  if ! pid=$(our_pid); then log "no broker started by this script is running"; rm -f "$PIDFILE"; return 0; fi
  log "stopping broker (pid $pid)"
  kill -TERM "$pid"
  if ! wait_for "broker stopped" "${KAFKA_STOP_TIMEOUT:-60}" not_running "$pid"; then
    log "broker did not stop in time; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PIDFILE"
}

not_running() { ! kill -0 "$1" 2>/dev/null; }

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if ready || port_open "$KAFKA_HOST" "$KAFKA_PORT"; then echo "kafka: up on $KAFKA_HOST:$KAFKA_PORT"; else echo "kafka: down"; exit 1; fi ;;
  fetch) need_java; mkdir -p "$KAFKA_DIR"; fetch ;;
  reset) stop; rm -rf "$DATA"; log "data deleted" ;;
  classpath) echo "$LIB/*" ;;
  *) echo "usage: $0 start|stop|status|fetch|reset|classpath" >&2; exit 2 ;;
esac
