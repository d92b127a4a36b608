#!/usr/bin/env bash
# A real single-node Kafka (KRaft, broker+controller in one JVM) on 127.0.0.1 for integration tests.
# The broker comes from Maven Central (no Docker, no tarball): a tiny pom resolves its classpath once.
#
#   bash test/infra/kafka.sh start    fetch if needed, format fresh storage, start, wait, print KAFKA_BROKERS=...
#   bash test/infra/kafka.sh stop     stop the broker started by `start` (pid file) and wait for it to exit
#   bash test/infra/kafka.sh status   print up/down; exit 0 when up, 1 when down
#
# Env: KEYWATCH_KAFKA_PORT (9092), KEYWATCH_KAFKA_CONTROLLER_PORT (port+1), KEYWATCH_KAFKA_VERSION (3.9.2),
#      KEYWATCH_KAFKA_READY_TIMEOUT (90 s), KEYWATCH_INFRA_DIR (<repo>/.infra), KEYWATCH_INFRA_CACHE (~/.cache/keywatch-infra).
set -euo pipefail
INFRA_NAME=kafka
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KAFKA_VERSION=${KEYWATCH_KAFKA_VERSION:-3.9.2}
PORT=${KEYWATCH_KAFKA_PORT:-9092}
CONTROLLER_PORT=${KEYWATCH_KAFKA_CONTROLLER_PORT:-$((PORT + 1))}
READY_TIMEOUT=${KEYWATCH_KAFKA_READY_TIMEOUT:-90}
LIBS="$INFRA_CACHE/kafka-$KAFKA_VERSION/libs"
WORK="$INFRA_DIR/kafka"
PID_FILE="$WORK/kafka.pid"
LOG_FILE="$WORK/logs/server.out"
HEAP_OPTS="-Xms256m -Xmx512m"
# The G1 settings of Kafka's own kafka-run-class.sh.
JVM_OPTS="-server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 -Djava.awt.headless=true"

fetch_classpath() {
  if [ -f "$LIBS/.complete" ]; then
    return
  fi
  log "resolving kafka_2.13:$KAFKA_VERSION from Maven Central into $LIBS"
  local started=$SECONDS
  rm -rf "$LIBS"
  mvn_quiet -f "$REPO_ROOT/test/infra/kafka/pom.xml" -Dkafka.version="$KAFKA_VERSION" \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$LIBS"
  touch "$LIBS/.complete"
  log "classpath ready: $(find "$LIBS" -name '*.jar' | wc -l) jars, $(du -sh "$LIBS" | cut -f1), $((SECONDS - started))s"
}

write_config() {
  mkdir -p "$WORK/logs"
  cat >"$WORK/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$WORK/data
num.partitions=1
num.network.threads=2
num.io.threads=2
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
PROPS
  cat >"$WORK/log4j.properties" <<'PROPS'
log4j.rootLogger=WARN, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.server.KafkaRaftServer=INFO
PROPS
}

format_storage() {
  rm -rf "$WORK/data"
  # A fresh cluster id each start: 16 random bytes, base64url without padding, as StorageTool random-uuid prints.
  local cluster_id
  cluster_id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
  if ! java -cp "$LIBS/*" -Dlog4j.configuration="file:$WORK/log4j.properties" \
    kafka.tools.StorageTool format -t "$cluster_id" -c "$WORK/server.properties" >>"$LOG_FILE" 2>&1; then
    dump_log "$LOG_FILE"
    die "formatting storage failed"
  fi
}

is_up() {
  local pid
  pid=$(read_pid "$PID_FILE")
  owns_port "$pid" "$PORT"
}

fail_start() {
  dump_log "$LOG_FILE"
  stop_pid "$(read_pid "$PID_FILE")" 10
  rm -f "$PID_FILE"
  die "$1"
}

wait_ready() {
  local pid=$1 deadline=$((SECONDS + READY_TIMEOUT))
  until owns_port "$pid" "$PORT" && grep -q 'Kafka Server started' "$LOG_FILE"; do
    pid_alive "$pid" || fail_start "broker exited during startup"
    [ "$SECONDS" -lt "$deadline" ] || fail_start "broker not listening on 127.0.0.1:$PORT after ${READY_TIMEOUT}s"
    sleep 1
  done
  local left=$((deadline - SECONDS))
  [ "$left" -gt 5 ] || left=5
  # kafkajs 2.2.4 passes negative timeouts to setTimeout; Node 24 warns about it, harmlessly.
  bash "$REPO_ROOT/scripts/node24.sh" node --disable-warning=TimeoutNegativeWarning "$REPO_ROOT/test/infra/kafka-ready.ts" "127.0.0.1:$PORT" "$left" ||
    fail_start "broker did not answer describeCluster"
}

start() {
  if is_up; then
    log "already running (pid $(read_pid "$PID_FILE"))"
    echo "KAFKA_BROKERS=127.0.0.1:$PORT"
    return
  fi
  for port in "$PORT" "$CONTROLLER_PORT"; do
    port_open "$port" && die "127.0.0.1:$port is taken by another process; set KEYWATCH_KAFKA_PORT / KEYWATCH_KAFKA_CONTROLLER_PORT"
  done
  command -v java >/dev/null || die "java not found (Kafka $KAFKA_VERSION needs Java 17+)"
  command -v ss >/dev/null || die "ss not found (Debian package iproute2): needed to tell our broker from another's"
  fetch_classpath
  rm -rf "$WORK"
  write_config
  format_storage
  local started=$SECONDS
  # setsid: the broker must not get the terminal's Ctrl-C before with-services.sh stops it in order.
  # shellcheck disable=SC2086 # the option strings are meant to split into words
  setsid java $HEAP_OPTS $JVM_OPTS -Dlog4j.configuration="file:$WORK/log4j.properties" -Dkafka.logs.dir="$WORK/logs" \
    -cp "$LIBS/*" kafka.Kafka "$WORK/server.properties" >>"$LOG_FILE" 2>&1 </dev/null &
  echo $! >"$PID_FILE"
  wait_ready "$!"
  log "up in $((SECONDS - started))s (pid $(read_pid "$PID_FILE"), logs $LOG_FILE)"
  echo "KAFKA_BROKERS=127.0.0.1:$PORT"
}

stop() {
  local pid
  pid=$(read_pid "$PID_FILE")
  if pid_alive "$pid"; then
    log "stopping pid $pid"
    stop_pid "$pid" 30
  else
    log "not running"
  fi
  rm -f "$PID_FILE"
}

status() {
  if is_up; then
    echo "kafka: up (pid $(read_pid "$PID_FILE"), 127.0.0.1:$PORT)"
  else
    echo "kafka: down"
    return 1
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
