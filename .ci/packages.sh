#!/usr/bin/env bash
# Packs every library and the twine tool into artifacts/packages, installs the tool from there and runs
# `twine --help`, then builds and runs .ci/consumer (a user's project referencing the packages, not the sources)
# and checks its echo exchange. Used by .ci/run; runnable on its own: bash .ci/packages.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# A version of its own for every run: NuGet caches a package by id and version for good, so reusing 0.1.0 would
# let a consumer restore yesterday's build of it.
suffix="ci.$(date +%Y%m%d%H%M%S).$$"
prefix=$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' src/Directory.Build.props)
version="$prefix-$suffix"
out=artifacts/packages
work=$(mktemp -d /tmp/twine-packages.XXXXXX)
cleanup() {
  rm -rf "$work"
  # Only this run's entries: nothing else uses these versions.
  rm -rf ~/.nuget/packages/twine*/"$version"
}
trap cleanup EXIT

rm -rf "$out"
mkdir -p "$out"
# Only src/ holds packages: a solution of just those projects keeps tests and benchmarks out of the Release build.
{
  echo '<Solution>'
  for p in src/*/*.csproj; do echo "  <Project Path=\"../../$p\" />"; done
  echo '</Solution>'
} > artifacts/packages/src.slnx
dotnet pack artifacts/packages/src.slnx -c Release -o "$out" -p:VersionSuffix="$suffix" --artifacts-path "$work/build" -v q -nologo
rm artifacts/packages/src.slnx

for id in Twine Twine.Testing Twine.Web Twine.Extensions.Logging Twine.Cli; do
  [ -f "$out/$id.$version.nupkg" ] || { echo "missing package $id $version in $out" >&2; ls "$out" >&2; exit 1; }
done
# Every library package carries its symbols, licence, README and XML docs.
for nupkg in "$out"/*."$version".nupkg; do
  id=$(basename "$nupkg" ".$version.nupkg")
  listing=$(unzip -l "$nupkg")
  for f in README.md LICENSE; do
    grep -q " $f\$" <<<"$listing" || { echo "$id: $f not in the package" >&2; exit 1; }
  done
  if [ "$id" != Twine.Cli ]; then
    grep -q "lib/net10.0/$id.xml" <<<"$listing" || { echo "$id: no XML documentation in the package" >&2; exit 1; }
    [ -f "$out/$id.$version.snupkg" ] || { echo "$id: no symbol package" >&2; exit 1; }
    # SourceLink: the symbols map the sources to the repository's public home.
    unzip -p "$out/$id.$version.snupkg" "lib/net10.0/$id.pdb" | grep -ac "raw.githubusercontent.com/twine-net/twine/" >/dev/null \
      || { echo "$id: no SourceLink in its symbols" >&2; exit 1; }
  fi
done
echo "packed $(ls "$out"/*.nupkg | wc -l) packages, version $version"

# The tool, installed as a user installs it.
dotnet tool install --tool-path "$work/tools" --add-source "$out" Twine.Cli --version "$version" >/dev/null
help=$("$work/tools/twine" --help)
grep -q "demo" <<<"$help" || { echo "twine --help did not list its commands: $help" >&2; exit 1; }
echo "twine tool: --help ok"

# A consumer project, restored from the local folder (nuget.config) at exactly this version.
cp -r .ci/consumer "$work/consumer"
sed -i "s:../../artifacts/packages:$PWD/$out:" "$work/consumer/nuget.config"
output=$(dotnet run --project "$work/consumer" -p:TwineVersion="$version" 2>&1) || { echo "$output" >&2; exit 1; }
echo "$output"
grep -q "^the server said: hello, Twine$" <<<"$output" || { echo "consumer: no echo in its output" >&2; exit 1; }
echo "consumer: ok"
