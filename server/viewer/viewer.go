// Package viewer holds the built-in map viewer served at /map: a static page
// using MapLibre GL JS, vendored from npm at build time into static/vendor.
//
// The page (static/index.html, app.js, app.css) is committed; MapLibre is not:
// vendor.sh copies it from npm, at the exact version pinned in package.json,
// into static/vendor before `go build` embeds the whole static directory. A
// binary built without it still serves /map/, with a page saying how to fix
// the build instead of a broken map.
package viewer

import (
	"embed"
	"io/fs"
	"net/http"
	"sync"
)

//go:embed static
var static embed.FS

var embedded = sync.OnceValue(func() *handler {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		// Unreachable: the directory is embedded by name above.
		panic(err)
	}
	return newHandler(sub)
})

// Handler serves the viewer's page and assets. It expects the mount prefix
// already stripped, so mount it as
//
//	mux.Handle("/map/", http.StripPrefix("/map", viewer.Handler()))
//
// (with gorilla/mux: r.PathPrefix("/map").Handler(http.StripPrefix("/map",
// viewer.Handler()))). Then /map/ serves the page, /map/app.js its script, and
// the bare /map is redirected to map/. The page's URLs are all relative, so it
// also works when a proxy publishes the server under a path prefix.
//
// MapLibre's files are served under vendor/{version}/ and may be cached for a
// year; the page, app.js and app.css are revalidated on every load (ETag), so
// an upgraded binary is picked up at once. Text assets are sent gzipped to
// clients that accept it. Without vendored MapLibre the page answers 503 with
// an explanation.
func Handler() http.Handler { return embedded() }

// VendoredVersion is the MapLibre GL JS version embedded in this binary, or ""
// when the binary was built without running vendor.sh.
func VendoredVersion() string { return embedded().version }
