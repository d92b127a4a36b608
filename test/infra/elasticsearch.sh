#!/usr/bin/env bash
# A real single-node Elasticsearch on 127.0.0.1 for integration tests, from Maven Central's integ-test-zip.
# Elasticsearch refuses to run as root, so the server runs as the system user `esit` (created if missing).
#
#   bash test/infra/elasticsearch.sh start    fetch if needed, fresh working copy, start, wait for yellow, print ELASTICSEARCH_URL=...
#   bash test/infra/elasticsearch.sh stop     stop the node started by `start` (pid file) and wait for it to exit
#   bash test/infra/elasticsearch.sh status   print up/down; exit 0 when up, 1 when down
#
# Env: KEYWATCH_ES_PORT (9200), KEYWATCH_ES_TRANSPORT_PORT (9300-9399), KEYWATCH_ES_VERSION (8.19.21: Maven Central
#      has no 9.x integ-test-zip), KEYWATCH_ES_HEAP (512m), KEYWATCH_ES_JAVA_HOME (see pick_java_home),
#      KEYWATCH_ES_READY_TIMEOUT (150 s), KEYWATCH_INFRA_CACHE (~/.cache/keywatch-infra),
#      KEYWATCH_ES_WORK_DIR (<repo>/.infra/es: a second node needs its own, with its own KEYWATCH_ES_PORT),
#      KEYWATCH_ES_KEEP_DATA (0; 1 = `start` reuses the work dir's data, e.g. to restart a node in an outage test).
set -euo pipefail
INFRA_NAME=elasticsearch
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ES_VERSION=${KEYWATCH_ES_VERSION:-8.19.21}
PORT=${KEYWATCH_ES_PORT:-9200}
TRANSPORT_PORT=${KEYWATCH_ES_TRANSPORT_PORT:-9300-9399}
HEAP=${KEYWATCH_ES_HEAP:-512m}
READY_TIMEOUT=${KEYWATCH_ES_READY_TIMEOUT:-150}
ES_USER=esit
DIST="$INFRA_CACHE/elasticsearch-$ES_VERSION"
WORK=${KEYWATCH_ES_WORK_DIR:-$INFRA_DIR/es}

# True when every directory from / down to $1 that exists lets others pass (o+x).
searchable_by_others() {
  local dir=$1
  while [ "$dir" != / ] && [ -n "$dir" ]; do
    if [ -d "$dir" ] && [ $(($(stat -c %a "$dir") % 2)) -eq 0 ]; then return 1; fi
    dir=$(dirname "$dir")
  done
}

# The node runs as its own user, who must reach its work dir. A clone inside a private folder (mktemp -d
# makes 0700 ones) is out of its reach, so the node then works under /tmp, at a path derived from $WORK.
if ! searchable_by_others "$(dirname "$WORK")"; then
  WORK="/tmp/keywatch-es-$(printf %s "$WORK" | cksum | cut -d' ' -f1)"
fi
KEEP_DATA=${KEYWATCH_ES_KEEP_DATA:-0}
PID_FILE="$WORK/es.pid"
URL="http://127.0.0.1:$PORT"

# ES 8.x runs on Java 17+, ES 9.x needs 21+. The zip ships no JDK, and bin/elasticsearch reads only ES_JAVA_HOME.
pick_java_home() {
  if [ -n "${KEYWATCH_ES_JAVA_HOME:-}" ]; then
    echo "$KEYWATCH_ES_JAVA_HOME"
  elif [ "${ES_VERSION%%.*}" -ge 9 ]; then
    echo /usr/lib/jvm/temurin-25-jdk-amd64
  else
    dirname "$(dirname "$(readlink -f "$(command -v java)")")"
  fi
}

fetch_distribution() {
  if [ -f "$DIST/.complete" ]; then
    return
  fi
  log "fetching org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip from Maven Central"
  local started=$SECONDS download="$INFRA_CACHE/download-es-$$"
  rm -rf "$DIST" "$download"
  mkdir -p "$download"
  mvn_quiet org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
    -Dartifact="org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip" -DoutputDirectory="$download"
  unzip -q "$download/elasticsearch-$ES_VERSION.zip" -d "$download"
  mv "$download/elasticsearch-$ES_VERSION" "$DIST"
  rm -rf "$download"
  touch "$DIST/.complete"
  log "distribution ready: $(du -sh "$DIST" | cut -f1), $((SECONDS - started))s; modules: $(ls "$DIST/modules" | tr '\n' ' ')"
}

ensure_user() {
  if ! id "$ES_USER" >/dev/null 2>&1; then
    log "creating system user $ES_USER (Elasticsearch refuses to run as root)"
    useradd --system --create-home --shell /bin/sh "$ES_USER"
  fi
}

# A fresh, esit-owned copy each start: the node writes its keystore into config/ and the cache stays pristine.
prepare_work_dir() {
  if [ "$KEEP_DATA" = 1 ] && [ -d "$WORK/home" ] && [ -d "$WORK/data" ]; then
    log "keeping the data in $WORK (KEYWATCH_ES_KEEP_DATA=1)"
    return
  fi
  rm -rf "$WORK"
  mkdir -p "$WORK"
  cp -a "$DIST" "$WORK/home"
  mkdir -p "$WORK/data" "$WORK/logs" "$WORK/tmp"
  chown -R "$ES_USER:" "$WORK"
  runuser -u "$ES_USER" -- test -w "$WORK/data" ||
    die "user $ES_USER cannot reach $WORK: make every parent directory searchable by others (chmod o+x) or set KEYWATCH_INFRA_DIR elsewhere"
}

health_status() {
  curl -s --max-time 5 "$URL/_cluster/health?wait_for_status=yellow&timeout=1s" | grep -o '"status":"[a-z]*"' | cut -d'"' -f4
}

is_up() {
  local pid
  pid=$(read_pid "$PID_FILE")
  owns_port "$pid" "$PORT"
}

fail_start() {
  dump_log "$WORK/logs/startup.out"
  dump_log "$WORK/logs/keywatch-it.log"
  stop_pid "$(read_pid "$PID_FILE")" 20
  rm -f "$PID_FILE"
  die "$1"
}

wait_ready() {
  local deadline=$((SECONDS + READY_TIMEOUT)) status=''
  # Our node must own the port: a yellow answer from another worker's node on a shared machine does not count.
  until { [ "$status" = yellow ] || [ "$status" = green ]; } && is_up; do
    pid_alive "$(read_pid "$PID_FILE")" || fail_start "node exited during startup"
    [ "$SECONDS" -lt "$deadline" ] || fail_start "cluster not yellow on $URL after ${READY_TIMEOUT}s"
    sleep 1
    status=$(health_status || true)
  done
}

start() {
  if is_up; then
    log "already running (pid $(read_pid "$PID_FILE"))"
    echo "ELASTICSEARCH_URL=$URL"
    return
  fi
  port_open "$PORT" && die "127.0.0.1:$PORT is taken by another process; set KEYWATCH_ES_PORT"
  local java_home
  java_home=$(pick_java_home)
  [ -x "$java_home/bin/java" ] || die "no java at $java_home/bin/java (set KEYWATCH_ES_JAVA_HOME)"
  command -v ss >/dev/null || die "ss not found (Debian package iproute2): needed to tell our node from another's"
  fetch_distribution
  ensure_user
  prepare_work_dir
  local started=$SECONDS
  # -d returns once the node has started (or failed to); the pid file then names the server JVM.
  if ! timeout "$READY_TIMEOUT" runuser -u "$ES_USER" -- env ES_JAVA_HOME="$java_home" ES_JAVA_OPTS="-Xms$HEAP -Xmx$HEAP" \
    ES_TMPDIR="$WORK/tmp" "$WORK/home/bin/elasticsearch" -d -p "$PID_FILE" \
    -Ecluster.name=keywatch-it -Enode.name=keywatch-it-1 -Ediscovery.type=single-node \
    -Enetwork.host=127.0.0.1 -Ehttp.port="$PORT" -Etransport.port="$TRANSPORT_PORT" \
    -Epath.data="$WORK/data" -Epath.logs="$WORK/logs" \
    -Expack.security.enabled=false -Ecluster.routing.allocation.disk.threshold_enabled=false \
    >"$WORK/logs/startup.out" 2>&1 </dev/null; then
    fail_start "bin/elasticsearch -d failed"
  fi
  wait_ready
  log "up in $((SECONDS - started))s (pid $(read_pid "$PID_FILE"), Java $java_home, logs $WORK/logs)"
  echo "ELASTICSEARCH_URL=$URL"
}

stop() {
  local pid
  pid=$(read_pid "$PID_FILE")
  if pid_alive "$pid"; then
    log "stopping pid $pid"
    stop_pid "$pid" 60
  else
    log "not running"
  fi
  rm -f "$PID_FILE"
}

status() {
  if is_up; then
    echo "elasticsearch: up (pid $(read_pid "$PID_FILE"), $URL, cluster $(health_status || echo unknown))"
  else
    echo "elasticsearch: down"
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
