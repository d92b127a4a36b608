#!/usr/bin/env bash
# Regenerates docs/images/report-key-page.png, the README's picture of a key page: the demo's data
# through keywatch run and keywatch report, then one key page shot in Debian's Chromium.
#   bash scripts/report-screenshot.sh [key-id]
set -euo pipefail
cd "$(dirname "$0")/.."
key=${1:-AKIATTMZPECKNHJTLQXI}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
kw() { bash scripts/node24.sh node services/cli/bin/keywatch.mjs "$@"; }
kw demo --out-dir "$work/d" --quiet --no-alerts-out >/dev/null
kw run --input "$work/d/cloudtrail.ndjson" --keys "$work/d/keys.json" --state "$work/s.db" --quiet --no-alerts-out
kw report --state "$work/s.db" --out "$work/r"
bash scripts/node24.sh node test/e2e/screenshot.ts "$work/r" "$key" docs/images/report-key-page.png
