// Package server publishes every tileset of a store over HTTP: XYZ tiles and
// TileJSON, OGC API, WMTS, styles and the built-in viewer. It is pure Go and
// read-only: it never calls GDAL and never parses a survey file.
package server

import (
	"log/slog"
	"net/http"

	"github.com/outcrop/outcrop/store"
)

// Config configures a server.
type Config struct {
	Catalog store.Catalog
	// BaseURL, when set, is the public root URL used in links (for a server
	// behind a proxy); otherwise links are built from each request's Host.
	BaseURL string
	Logger  *slog.Logger
}

// New returns the server's HTTP handler.
func New(cfg Config) http.Handler { panic("TODO") }
