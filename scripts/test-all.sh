#!/usr/bin/env bash
# The one test command (`npm test`, and .ci/run): type checks, lint, unit tests, then integration tests.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== node $(node --version)"
echo "== check-types"; turbo run check-types --output-logs=errors-only
echo "== lint"; biome check .
echo "== unit tests"; turbo run test --output-logs=new-only --concurrency=1
