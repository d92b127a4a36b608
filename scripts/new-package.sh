#!/usr/bin/env bash
# Creates an empty workspace package: scripts/new-package.sh libs/foo "what it does" [dep ...]
set -euo pipefail
dir=$1; desc=$2; shift 2
name="@keywatch/$(basename "$dir")"
mkdir -p "$dir/src" "$dir/test"
deps=""
for d in "$@"; do deps="$deps\"$d\": \"*\","; done
deps=${deps%,}
cat > "$dir/package.json" <<JSON
{
  "name": "$name",
  "version": "0.1.0",
  "private": true,
  "description": "$desc",
  "type": "module",
  "exports": { ".": "./src/index.ts" },
  "scripts": {
    "check-types": "tsc -p .",
    "test": "vitest run"
  },
  "dependencies": { $deps }
}
JSON
cat > "$dir/tsconfig.json" <<JSON
{ "extends": "../../tsconfig.base.json", "include": ["src", "test"] }
JSON
