package ingest

import (
	"log/slog"

	"github.com/outcrop/outcrop/tileset"
)

// sweepTemps removes the temporary files that interrupted ingests left in
// the store (no live writer holds them), logging each, before a new version
// adds its own.
func sweepTemps(opts Options) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	removed, _ := tileset.SweepTemps(opts.Store)
	for _, p := range removed {
		log.Warn("removed a temporary file left by an interrupted ingest", "path", p)
	}
}
