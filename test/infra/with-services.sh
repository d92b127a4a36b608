#!/usr/bin/env bash
# Runs a command with a Kafka broker and an Elasticsearch node available; exits with the command's status.
#
#   bash test/infra/with-services.sh CMD ARGS...
#
# - KAFKA_BROKERS / ELASTICSEARCH_URL already set: those servers are used as they are.
# - Otherwise, if a Docker engine answers, nothing is started here: the tests' globalSetup starts containers.
# - Otherwise the missing servers are started locally (kafka.sh, elasticsearch.sh), their addresses exported,
#   and whatever this script started is stopped when it exits. A server already started by hand is reused and left up.
# Ports: KEYWATCH_KAFKA_PORT (9092), KEYWATCH_ES_PORT (9200).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if [ $# -eq 0 ]; then
  echo "usage: $0 CMD ARGS..." >&2
  exit 2
fi

started=()
stop_started() {
  local service
  for service in "${started[@]}"; do
    bash "$here/$service.sh" stop || echo "[with-services] could not stop $service" >&2
  done
}
trap stop_started EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

docker_engine_answers() {
  command -v docker >/dev/null 2>&1 && timeout 20 docker info >/dev/null 2>&1
}

# Starts one service unless it is already up, and exports the NAME=value line its script prints.
provide() {
  local service=$1 line
  if line=$(bash "$here/$service.sh" status 2>/dev/null); then
    echo "[with-services] reusing $line" >&2
  else
    started+=("$service")
  fi
  line=$(bash "$here/$service.sh" start)
  export "${line?}"
  echo "[with-services] $line" >&2
}

if [ -n "${KAFKA_BROKERS:-}" ] && [ -n "${ELASTICSEARCH_URL:-}" ]; then
  echo "[with-services] using KAFKA_BROKERS=$KAFKA_BROKERS ELASTICSEARCH_URL=$ELASTICSEARCH_URL" >&2
elif docker_engine_answers; then
  echo "[with-services] Docker engine found: the tests' globalSetup starts the missing servers with testcontainers" >&2
else
  [ -n "${KAFKA_BROKERS:-}" ] || provide kafka
  [ -n "${ELASTICSEARCH_URL:-}" ] || provide elasticsearch
fi

set +e
"$@"
status=$?
set -e
exit "$status"
