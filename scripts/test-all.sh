#!/usr/bin/env bash
# The one test command (`npm test`, and .ci/run): type checks, lint, unit and end-to-end tests, then the
# integration tests against a real Kafka broker and a real Elasticsearch node, which test/infra starts
# (or testcontainers, on a machine with a Docker engine; or the servers named by KAFKA_BROKERS / ELASTICSEARCH_URL).
# Ends with one line `N passed, M failed` summing every Vitest run.
set -euo pipefail
export TURBO_TELEMETRY_DISABLED=1
cd "$(dirname "$0")/.."
log=$(mktemp)

summary() {
  # Vitest prints "Tests  12 passed | 1 failed (13)" per run; strip colours, add them up.
  sed 's/\x1b\[[0-9;]*m//g' "$log" | awk '
    /^.*Tests +[0-9]+/ && !/Test Files/ {
      for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i }
    }
    END { printf "%d passed, %d failed\n", p, f }'
}
trap 'summary; rm -f "$log"' EXIT

echo "== node $(node --version)"
echo "== check-types"
turbo run check-types --output-logs=errors-only
echo "== lint"
biome check .
echo "== unit and end-to-end tests"
turbo run test --output-logs=new-only --concurrency=1 2>&1 | tee -a "$log"
echo "== integration tests (real Kafka, real Elasticsearch)"
bash test/infra/with-services.sh turbo run test:integration --output-logs=full 2>&1 | tee -a "$log"
