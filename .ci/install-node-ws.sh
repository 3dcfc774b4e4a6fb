#!/usr/bin/env bash
# Installs Node's `ws` (the WebSocket interop and benchmark peer) into a git-ignored folder next to the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=tests/Twine.Interop.Tests/node
if [ -f "$dir/node_modules/ws/package.json" ] && grep -q '"version": "8.23.0"' "$dir/node_modules/ws/package.json"; then exit 0; fi
mkdir -p "$dir"
npm install --no-audit --no-fund --silent --prefix "$dir" ws@8.23.0 >/dev/null
