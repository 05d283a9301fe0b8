package store

import "github.com/outcrop/outcrop/tileset"

// sweep removes the temporary files that interrupted ingests left in the
// directory (no live writer holds them), one log line each. A store the
// server cannot write to keeps them; nothing else depends on their removal.
func (s *Store) sweep() {
	removed, _ := tileset.SweepTemps(s.dir)
	for _, p := range removed {
		s.log.Info("removed a temporary file left by an interrupted ingest", "path", p)
	}
}
