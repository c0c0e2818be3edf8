#!/usr/bin/env bash
# Builds the release tarball: one program linked with the Swift runtime and Foundation inside it
# (--static-swift-stdlib), its resource bundles (pages, styles, the bundled catalogue and agency
# list, the OpenAPI description) beside it, the README and the deployment files. It runs on a Debian
# or Ubuntu machine with no Swift installed.
# Usage: scripts/release.sh [output folder, default dist]   → prints the tarball's path last.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-dist}
swift build -c release --static-swift-stdlib --product theodoi 2>&1 | tail -n 2
bin_dir=$(swift build -c release --static-swift-stdlib --show-bin-path)
version=$(git describe --tags --always --dirty 2> /dev/null || echo unknown)
arch=$(uname -m)
name="theodoi-$version-linux-$arch"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/$name"
cp "$bin_dir/theodoi" "$stage/$name/"
strip --strip-unneeded "$stage/$name/theodoi" 2> /dev/null || true
bundles=0
for bundle in "$bin_dir"/theodoi_*.resources; do
  cp -R "$bundle" "$stage/$name/"
  bundles=$((bundles + 1))
done
if (( bundles == 0 )); then
  echo "release: no resource bundles next to the program in $bin_dir" >&2
  exit 1
fi
cp README.md "$stage/$name/"
cp -R deploy "$stage/$name/"
echo "$version" > "$stage/$name/VERSION"
mkdir -p "$out"
tar -C "$stage" -czf "$out/$name.tar.gz" "$name"
echo "$(cd "$out" && pwd)/$name.tar.gz"
