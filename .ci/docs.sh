#!/usr/bin/env bash
# Builds the API reference and the guide with DocFX into docs/_site (git-ignored). Warnings are errors, so a broken
# cross-reference in an XML doc comment (<see cref>) or a broken link in docs/ fails the build.
# Used by .ci/run; runnable on its own: bash .ci/docs.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

docfx_version=2.81.0
tools=${TWINE_TOOLS:-/tmp/twine-tools}
if ! "$tools/docfx" --version 2>/dev/null | grep -q "^$docfx_version"; then
  rm -rf "$tools/docfx" "$tools/.store/docfx"
  dotnet tool install --tool-path "$tools" docfx --version "$docfx_version" >/dev/null
fi

rm -rf docs/_site docs/obj
find docs/api -name '*.yml' -delete 2>/dev/null || true
log=$(mktemp /tmp/twine-docfx.XXXXXX.log)
if ! "$tools/docfx" docs/docfx.json --warningsAsErrors >"$log" 2>&1; then
  grep -E "warning|error" "$log" | grep -v "^\s*$" | head -60 >&2
  echo "docfx failed (full log: $log)" >&2
  exit 1
fi
rm -f "$log"
pages=$(find docs/_site -name '*.html' | wc -l)
[ "$pages" -gt 50 ] || { echo "docfx produced only $pages pages" >&2; exit 1; }
echo "docs: $pages pages in docs/_site"
