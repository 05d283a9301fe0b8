#!/bin/sh
# vendor.sh copies MapLibre GL JS, at the exact version pinned in package.json
# and package-lock.json, into static/vendor/ so that `go build` embeds it in
# the binary. The viewer never loads anything from a CDN: whatever the page
# needs is served by Outcrop itself.
#
# It is idempotent: when static/vendor/VERSION already names the pinned
# version and every file is there, it does nothing (and needs no network).
# static/vendor/ and node_modules/ are build products, never committed.
#
# MapLibre 6 ships ES modules only: the page imports maplibre-gl.mjs, which
# starts its worker from maplibre-gl-worker.mjs beside it.
set -eu

cd "$(dirname "$0")"

files="maplibre-gl.mjs maplibre-gl-worker.mjs maplibre-gl.css LICENSE.txt"
dest=static/vendor

# The pin is read from package.json with sed so that the up-to-date check
# needs neither node nor npm.
want=$(sed -n 's/^ *"maplibre-gl": *"\([^"]*\)".*/\1/p' package.json)
case "$want" in
'' | [!0-9]* | *[!0-9A-Za-z.-]*)
	echo "vendor.sh: server/viewer/package.json must pin maplibre-gl to an exact version (found '$want')" >&2
	exit 1
	;;
esac

up_to_date() {
	[ -f "$dest/VERSION" ] && [ "$(cat "$dest/VERSION")" = "$want" ] || return 1
	for f in $files; do
		[ -s "$dest/$f" ] || return 1
	done
}

if up_to_date; then
	exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
	echo "vendor.sh: npm not found: install Node.js and npm (Debian: apt-get install nodejs npm) and re-run make" >&2
	exit 1
fi

echo "vendor.sh: vendoring maplibre-gl $want into server/viewer/$dest"
npm ci --no-audit --no-fund --loglevel=error

src=node_modules/maplibre-gl
got=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$src/package.json" | head -n 1)
if [ "$got" != "$want" ]; then
	echo "vendor.sh: npm installed maplibre-gl $got but package.json pins $want: run 'npm install' in server/viewer to update package-lock.json" >&2
	exit 1
fi

# Copy into a temporary directory and rename, so an interrupted run never
# leaves a half-written vendor directory that looks complete.
tmp=$(mktemp -d static/.vendor.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
for f in $files; do
	case "$f" in
	LICENSE.txt) cp "$src/$f" "$tmp/$f" ;;
	*) cp "$src/dist/$f" "$tmp/$f" ;;
	esac
done
printf '%s\n' "$want" >"$tmp/VERSION"
chmod 755 "$tmp"
rm -rf "$dest"
mv "$tmp" "$dest"
trap - EXIT
