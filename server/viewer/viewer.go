// Package viewer holds the built-in map viewer served at /map: a static page
// using MapLibre GL JS, vendored from npm at build time into static/vendor.
package viewer

import "net/http"

// Handler serves the viewer's page and assets, mounted under /map/.
func Handler() http.Handler { panic("TODO") }
