#!/usr/bin/env bash
# Builds SeaweedFS's weed, the S3-compatible server objstore's tests run on
# loopback, once into a cache outside the repository, and prints its path.
# weed's go.mod has replace directives, so `go install module@version`
# refuses it: it is built inside the downloaded module instead.
set -euo pipefail
version=v0.0.0-20261109003541-7506e5f91cd6
out="${XDG_CACHE_HOME:-$HOME/.cache}/outcrop/weed-$version/weed"
if [ ! -x "$out" ]; then
  go=$(command -v "${GO:-go}" || echo /usr/local/go/bin/go)
  echo "building SeaweedFS $version into $out (once; several minutes)" >&2
  cd /
  dir=$(GOFLAGS=-mod=mod "$go" mod download -json "github.com/seaweedfs/seaweedfs@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  mkdir -p "$(dirname "$out")"
  (cd "$dir" && "$go" build -o "$out.tmp" ./weed)
  mv "$out.tmp" "$out"
fi
echo "$out"
