#!/usr/bin/env bash
# The one test command (`npm test`, and .ci/run): type checks, lint, unit and end-to-end tests, then the
# integration tests against a real Kafka broker and a real Elasticsearch node, which test/infra starts
# (or testcontainers, on a machine with a Docker engine; or the servers named by KAFKA_BROKERS / ELASTICSEARCH_URL).
set -euo pipefail
export TURBO_TELEMETRY_DISABLED=1
cd "$(dirname "$0")/.."
echo "== node $(node --version)"
echo "== check-types"
turbo run check-types --output-logs=errors-only
echo "== lint"
biome check .
echo "== unit and end-to-end tests"
turbo run test --output-logs=new-only --concurrency=1
echo "== integration tests (real Kafka, real Elasticsearch)"
bash test/infra/with-services.sh turbo run test:integration --output-logs=full
