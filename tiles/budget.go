package tiles

import (
	"fmt"
	"strings"
)

// TileTooLargeError reports a tile whose compressed size is over
// Options.MaxTileBytes. Cut stops at the first one rather than write a tile
// clients would choke on.
type TileTooLargeError struct {
	Z, X, Y int
	Bytes   int // compressed size of the tile
	Limit   int // Options.MaxTileBytes in effect
	// MinZoom and MaxZoom are the zoom range being cut, to suggest a fix.
	MinZoom, MaxZoom int
}

// Error names the tile and the ways out. Zooms are cut in ascending order, so
// every zoom below Z is known to fit: lowering --maxzoom below Z always
// works; when Z is the lowest zoom, the features are too crowded there and
// raising --minzoom skips it.
func (e *TileTooLargeError) Error() string {
	var fix []string
	if e.Z > e.MinZoom {
		fix = append(fix, fmt.Sprintf("lower --maxzoom to %d", e.Z-1))
	} else if e.Z < e.MaxZoom {
		fix = append(fix, fmt.Sprintf("raise --minzoom above %d", e.Z))
	}
	fix = append(fix, fmt.Sprintf("raise --max-tile-bytes to at least %d", e.Bytes))
	return fmt.Sprintf("tile %d/%d/%d (zoom %d) is %s compressed, over the %s limit; %s",
		e.Z, e.X, e.Y, e.Z, kib(e.Bytes), kib(e.Limit), strings.Join(fix, " or "))
}

func kib(n int) string {
	return fmt.Sprintf("%.1f KiB", float64(n)/1024)
}

// checkBudget is the one place the tile size limit is enforced.
func checkBudget(z, x, y, size int, s settings) error {
	if size <= s.maxTileBytes {
		return nil
	}
	return &TileTooLargeError{Z: z, X: x, Y: y, Bytes: size, Limit: s.maxTileBytes, MinZoom: s.minZoom, MaxZoom: s.maxZoom}
}
