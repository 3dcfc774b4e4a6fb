#!/usr/bin/env bash
# Refreshes the public API files (PublicAPI.Shipped.txt / PublicAPI.Unshipped.txt) of every library under src/:
# drops entries for APIs that are gone (RS0017), then adds what is public and missing to Unshipped (RS0016, the
# analyzer's code fix through dotnet format).
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
  # RS0017 (listed but gone) has no code fix: build with warnings as warnings, and drop each reported line from
  # Unshipped, or for an API that had shipped, record its removal in Unshipped as the analyzer expects (*REMOVED*).
  build=$(mktemp -d /tmp/twine-public-api.XXXXXX)
  dotnet build "$csproj" --artifacts-path "$build" -p:TreatWarningsAsErrors=false -nologo 2>&1 \
    | grep -E "warning RS0017" | sort -u > "$build/rs0017.txt" || true
  /usr/bin/python3 - "$dir" "$build/rs0017.txt" <<'PY'
import re, sys, pathlib
folder, report = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
gone = {}   # file name -> line numbers (1-based) reported as gone
# Only this project's files: the build also reports on the projects it references.
pattern = re.escape(str(folder.resolve())) + r"/(PublicAPI\.(?:Shipped|Unshipped)\.txt)\((\d+),\d+\): warning RS0017"
for m in re.finditer(pattern, report.read_text()):
    gone.setdefault(m.group(1), set()).add(int(m.group(2)))
unshipped = folder / "PublicAPI.Unshipped.txt"
lines = unshipped.read_text().splitlines()
if "PublicAPI.Unshipped.txt" in gone:
    lines = [l for i, l in enumerate(lines, 1) if i not in gone["PublicAPI.Unshipped.txt"]]
shipped = (folder / "PublicAPI.Shipped.txt").read_text().splitlines()
for n in sorted(gone.get("PublicAPI.Shipped.txt", ())):
    lines.append("*REMOVED*" + shipped[n - 1])
unshipped.write_text("\n".join(lines) + "\n")
removed = sum(len(v) for v in gone.values())
if removed: print(f"  {removed} API line(s) no longer public: removed")
PY
  rm -rf "$build"
  dotnet format analyzers "$csproj" --diagnostics RS0016 --severity info
done
