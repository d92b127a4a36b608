#!/usr/bin/env bash
# `npm run -s bench:alerts [-- --against FILE] [SEEDS]`: the demo's alerts for each seed (default 1-5, as
# `keywatch demo --eval`), as one digest per seed. A performance change must leave every line identical
# (docs/benchmarks.md): save the output before the change, then run with `--against` that file after it, which
# exits 1 when any seed's alerts or evaluation differ. Secret fingerprints use a key random to each process,
# so they, and the ids of the secret_in_logs alerts derived from them, are blanked before the digest.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
against=
if [ "${1:-}" = --against ]; then
  against=${2:?--against needs the file a previous run printed}
  [ -r "$against" ] || { echo "bench:alerts: cannot read $against" >&2; exit 2; }
  shift 2
fi
seeds=${1:-1 2 3 4 5}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for seed in $seeds; do
  node "$root/services/cli/bin/keywatch.mjs" demo --seed "$seed" --quiet --alerts-out "$out/$seed.ndjson" >"$out/$seed.eval" 2>/dev/null
  node -e '
    const lines = require("node:fs").readFileSync(process.argv[1], "utf8").split("\n");
    const stable = lines.map((l) => (l.includes("\"secret_in_logs\"") ? l.replace(/\b[0-9a-f]{12,64}\b/g, "#") : l));
    process.stdout.write(stable.join("\n"));
  ' "$out/$seed.ndjson" >"$out/$seed.stable"
  echo "seed $seed: $(grep -c . "$out/$seed.ndjson") alert lines, alerts sha256 $(sha256sum <"$out/$seed.stable" | cut -c1-16), evaluation sha256 $(sha256sum <"$out/$seed.eval" | cut -c1-16)" | tee -a "$out/digests"
done
if [ -n "$against" ]; then
  if diff "$against" "$out/digests" >&2; then echo "bench:alerts: identical to $against" >&2; else echo "bench:alerts: differs from $against" >&2; exit 1; fi
fi
