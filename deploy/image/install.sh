#!/usr/bin/env bash
# The image's install step, run by the Dockerfile and, in a temporary folder, by test/e2e/image.test.ts,
# so the test proves what the image does: production dependencies of the two commands (keywatch,
# keywatch-worker) exactly as the lockfile pins them, no dev tools, no test servers. Lifecycle scripts
# are skipped: the only one is ours (fetching Node 24 for older machines), and the image is Node 24.
set -euo pipefail
npm ci --omit=dev --ignore-scripts --no-audit --no-fund --workspace services/cli --workspace services/worker
