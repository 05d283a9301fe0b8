package ingest

import (
	"strings"
	"testing"
	"time"

	"github.com/outcrop/outcrop/tileset"
)

func TestSummaryPrint(t *testing.T) {
	s := &Summary{
		File: "geology.shp", Layer: "geology", Driver: "ESRI Shapefile", SourceCRS: "EPSG:24047",
		Read: 1200, Repaired: 3, Skipped: map[string]int64{skipNull: 2, skipEmpty: 1}, Written: 1197,
		MaxZoom: 9, MaxZoomReason: "9, from --scale 1:250000: a grid unit is 18 m",
		Zooms: []tileset.ZoomStats{
			{Zoom: 0, Tiles: 1, Bytes: 48_000, MaxBytes: 48_000, Features: 310},
			{Zoom: 1, Tiles: 2, Bytes: 1_500_000, MaxBytes: 900_000, Features: 800},
		},
		Bytes:    2_345_678,
		Duration: 1234 * time.Millisecond,
	}
	var b strings.Builder
	s.Print(&b)
	out := b.String()
	for _, want := range []string{
		"geology.shp (layer geology, ESRI Shapefile)",
		"EPSG:24047",
		"1200 read, 3 repaired, 3 skipped, 1197 written",
		"2 null geometry",
		"1 empty geometry",
		"48.0 kB",
		"1.5 MB",
		"900.0 kB",
		"2.3 MB",
		"1.23s",
		"max zoom",
		"9, from --scale 1:250000: a grid unit is 18 m",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	// The zoom table: a header, one row per zoom and a total.
	var rows []string
	for _, l := range strings.Split(out, "\n") {
		if f := strings.Fields(l); len(f) > 0 && (f[0] == "zoom" || f[0] == "0" || f[0] == "1" || f[0] == "all") {
			rows = append(rows, l)
		}
	}
	if len(rows) != 4 || !strings.Contains(rows[3], "3") {
		t.Errorf("zoom table rows %q", rows)
	}
}

func TestByteSize(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 999: "999 B", 1000: "1.0 kB", 1_234_567: "1.2 MB", 5_000_000_000: "5.0 GB"} {
		if got := byteSize(n); got != want {
			t.Errorf("byteSize(%d) = %q, want %q", n, got, want)
		}
	}
}
