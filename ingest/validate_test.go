package ingest

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunValidatesBeforeReading(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "deposits.geojson", depositsGeoJSON)
	notDir := writeFile(t, dir, "file", "x")
	for _, tc := range []struct {
		opts Options
		want []string
	}{
		{Options{Store: dir, ID: ""}, []string{"--id", "must match"}},
		{Options{Store: dir, ID: "-x"}, []string{"--id"}},
		{Options{Store: dir, ID: strings.Repeat("a", 65)}, []string{"--id"}},
		{Options{Store: dir, ID: "ok", MinZoom: -1}, []string{"--minzoom", "0 to 22"}},
		{Options{Store: dir, ID: "ok", MinZoom: 23}, []string{"--minzoom"}},
		{Options{Store: dir, ID: "ok", MaxZoom: 23}, []string{"--maxzoom", "0 to 22"}},
		{Options{Store: dir, ID: "ok", MaxZoom: -2}, []string{"--maxzoom"}},
		// "0.0 KiB compressed, over the 0.0 KiB limit" came after reading.
		{Options{Store: dir, ID: "ok", MaxTileBytes: 1}, []string{"--max-tile-bytes", "1 bytes is too small", "at least 1024"}},
		{Options{Store: dir, ID: "ok", DropRate: 0.9}, []string{"--drop-rate", "below 1"}},
		{Options{Store: dir, ID: "ok", Precision: 13}, []string{"--precision", "1 to 12"}},
		{Options{Store: dir, ID: "ok", Precision: -1}, []string{"--precision", "out of range"}},
		{Options{Store: filepath.Join(dir, "nope"), ID: "ok"}, []string{"--store", "does not exist", "mkdir"}},
		{Options{Store: notDir, ID: "ok"}, []string{"--store", "not a directory"}},
		{Options{Store: "/proc", ID: "ok"}, []string{"--store", "not writable"}},
		{Options{Store: "", ID: "ok"}, []string{"--store"}},
	} {
		_, err := Run(context.Background(), good, tc.opts)
		assertUserError(t, err, tc.want...)
	}
}
