#!/usr/bin/env bash
# Refreshes the public API files (PublicAPI.Shipped.txt / PublicAPI.Unshipped.txt) of every library under src/:
# adds what is public and missing to Unshipped (RS0016) and drops entries for APIs that are gone (RS0017).
# Run it after changing public API, or after merging branches that did; review the diff of the .txt files.
# Usage: bash .ci/public-api.sh [src/Project ...]
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

projects=("$@")
[ ${#projects[@]} -gt 0 ] || projects=(src/*/)
for dir in "${projects[@]}"; do
  dir=${dir%/}
  csproj=$(ls "$dir"/*.csproj 2>/dev/null | head -1) || true
  [ -n "$csproj" ] || continue
  grep -q "<PackAsTool>true</PackAsTool>" "$csproj" && continue   # the twine tool has no public API to track
  for f in PublicAPI.Shipped.txt PublicAPI.Unshipped.txt; do
    [ -f "$dir/$f" ] || printf '#nullable enable\n' > "$dir/$f"
  done
  echo "refreshing $csproj"
  dotnet format analyzers "$csproj" --diagnostics RS0016 RS0017 --severity info
done
