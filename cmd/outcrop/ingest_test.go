//go:build cgo

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/outcrop/outcrop/tileset"
)

// The GSWA faults: 35 lines in GDA94 / MGA 50, small and real.
const faults = "../../data/geology/gswa-hamersley/faults.geojson"

func TestIngestWritesTilesetAndSummary(t *testing.T) {
	store := filepath.Join(t.TempDir(), "new", "store") // created by ingest
	code, stdout, stderr := runCLI("ingest", faults, "--store", store, "--id", "faults", "--title", "Hamersley faults")
	if code != 0 {
		t.Fatalf("exit status %d: %s", code, stderr)
	}
	for _, w := range []string{"faults.geojson", "EPSG:28350", "35 read", "35 written"} {
		if !strings.Contains(stdout, w) {
			t.Errorf("summary does not say %q:\n%s", w, stdout)
		}
	}
	r, err := tileset.Open(filepath.Join(store, "faults"+tileset.Ext))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if m := r.Metadata(); m.ID != "faults" || m.Title != "Hamersley faults" || m.FeatureCount != 35 || m.GeometryType != "line" {
		t.Errorf("metadata id %q, title %q, %d features of type %q; want faults, Hamersley faults, 35 lines", m.ID, m.Title, m.FeatureCount, m.GeometryType)
	}
}

func TestIngestScaleSetsTheMaxZoom(t *testing.T) {
	// The faults lie at 21-23°S: at 1:500 000, 0.1 mm is 50 m, and a grid
	// unit is 36 m at zoom 8 (71 m at zoom 7).
	store := t.TempDir()
	code, stdout, stderr := runCLI("ingest", faults, "--store", store, "--id", "faults", "--scale", "1:500 000")
	if code != 0 {
		t.Fatalf("exit status %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "max zoom") || !strings.Contains(stdout, " 8, from --scale 1:500000") {
		t.Errorf("summary does not give the max zoom and why:\n%s", stdout)
	}
	r, err := tileset.Open(filepath.Join(store, "faults"+tileset.Ext))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if m := r.Metadata(); m.MaxZoom != 8 || m.Source.Scale != 500_000 {
		t.Errorf("metadata max zoom %d, source scale %d; want 8 and 500000", m.MaxZoom, m.Source.Scale)
	}
}

// --country (repeated, a comma list, any case), --theme and --data-owner
// are recorded in the metadata.
func TestIngestRecordsOneGeologyMetadata(t *testing.T) {
	store := t.TempDir()
	code, _, stderr := runCLI("ingest", "--quiet", faults, "--store", store, "--id", "faults", "--country", "aus", "--country", "NZL,AUS", "--theme", "Structure", "--data-owner", "GSWA")
	if code != 0 {
		t.Fatalf("exit status %d: %s", code, stderr)
	}
	r, err := tileset.Open(filepath.Join(store, "faults"+tileset.Ext))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if m := r.Metadata(); strings.Join(m.Countries, ",") != "AUS,NZL" || m.Theme != "structure" || m.DataOwner != "GSWA" {
		t.Errorf("metadata countries %v, theme %q, data owner %q; want AUS,NZL, structure, GSWA", m.Countries, m.Theme, m.DataOwner)
	}
}

func TestIngestQuietPrintsNothing(t *testing.T) {
	code, stdout, stderr := runCLI("ingest", "--quiet", "--store", t.TempDir(), "--id", "faults", faults)
	if code != 0 || stdout != "" || stderr != "" {
		t.Errorf("--quiet: exit status %d, stdout %q, stderr %q; want 0 and silence", code, stdout, stderr)
	}
}

// Mistakes on the command line and in the input: one line naming the flag
// or file, status 2 for the command line and 1 otherwise, and the store as
// it was.
func TestIngestRefusesBadInvocations(t *testing.T) {
	dir := t.TempDir()
	store := filepath.Join(dir, "store")
	if code, _, stderr := runCLI("ingest", "--quiet", "--store", store, "--id", "kept", faults); code != 0 {
		t.Fatalf("setting up: %s", stderr)
	}
	before := listStore(t, store)
	missing := filepath.Join(dir, "no-such-file.geojson")
	for _, c := range []struct {
		args []string
		code int
		want []string
	}{
		{[]string{"ingest", "--id", "x", faults}, 2, []string{"--store"}},
		{[]string{"ingest", "--store", store, faults}, 2, []string{"--id"}},
		{[]string{"ingest", "--store", store, "--id", "x"}, 2, []string{"FILE"}},
		{[]string{"ingest", "--store", store, "--id", "x", faults, faults}, 2, []string{"one FILE at a time"}},
		{[]string{"ingest", "--store", store, "--id", "x", "--minzoom", "low", faults}, 2, []string{"-minzoom"}},
		{[]string{"ingest", "--store", store, "--id", "x", "--scale", "250000x", faults}, 2, []string{"-scale", `"250000x"`, "1:N", "1:250000"}},
		{[]string{"ingest", "--store", store, "--id", "x", "--country", "Australia", faults}, 2, []string{"-country", `"Australia"`, "ISO 3166-1 alpha-3", "give AUS for Australia"}},
		{[]string{"ingest", "--store", store, "--id", "x", "--country", "AUS,ZZZ", faults}, 2, []string{"-country", `"ZZZ"`, "give three letters, e.g. AUS"}},
		{[]string{"ingest", "--store", store, "--id", "x", "--theme", "rocks", faults}, 2, []string{"-theme", `"rocks"`, "geology, structure, occurrences"}},
		{[]string{"ingest", "--store", store, "--id", "Kept", faults}, 1, []string{"--id", `"Kept"`}},
		{[]string{"ingest", "--store", store, "--id", "kept", missing}, 1, []string{missing}},
		{[]string{"ingest", "--store", store, "--id", "kept", "--max-tile-bytes", "1", faults}, 1, []string{"--max-tile-bytes", "at least 1024"}},
		{[]string{"ingest", "--store", store, "--id", "kept", "--also-export", "pmtiles,geojson", faults}, 2, []string{"--also-export", `"geojson"`, "pmtiles or mbtiles"}},
	} {
		code, _, stderr := runCLI(c.args...)
		if code != c.code {
			t.Errorf("outcrop %q: exit status %d, want %d", c.args, code, c.code)
		}
		oneLine(t, stderr, append([]string{"outcrop ingest: "}, c.want...)...)
		if after := listStore(t, store); after != before {
			t.Errorf("outcrop %q changed the store: %s, was %s", c.args, after, before)
		}
	}
}

// A feature whose geometry cannot be repaired is skipped with exit 0 and
// listed in the summary by its source FID; with --strict the ingest fails,
// writing nothing. The whole file failed on it.
func TestIngestSkipsUnrepairableUnlessStrict(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "rings.geojson")
	os.WriteFile(src, []byte(`{"type":"FeatureCollection","features":[
{"type":"Feature","id":10,"properties":{"a":1},"geometry":{"type":"Polygon","coordinates":[[[100,10],[101,10],[101,11],[100,10]]]}},
{"type":"Feature","id":20,"properties":{"a":2},"geometry":{"type":"Polygon","coordinates":[[[100,10],[101,10]]]}}]}`), 0o644)
	store := filepath.Join(dir, "store")
	code, stdout, stderr := runCLI("ingest", "--store", store, "--id", "rings", "--maxzoom", "3", src)
	if code != 0 {
		t.Fatalf("exit status %d: %s", code, stderr)
	}
	for _, w := range []string{"2 read", "1 skipped", "1 written", "1 unrepairable geometry", "FID 20 (feature 2): its geometry is invalid and cannot be repaired"} {
		if !strings.Contains(stdout, w) {
			t.Errorf("summary does not say %q:\n%s", w, stdout)
		}
	}
	before := listStore(t, store)
	code, _, stderr = runCLI("ingest", "--store", store, "--id", "rings", "--maxzoom", "3", "--strict", src)
	if code != 1 {
		t.Errorf("--strict: exit status %d, want 1", code)
	}
	// GDAL's warning about the unclosed ring comes first.
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	oneLine(t, lines[len(lines)-1]+"\n", "outcrop ingest: ", src, "feature 2 (FID 20)", "--strict")
	if after := listStore(t, store); after != before {
		t.Errorf("--strict changed the store: %s, was %s", after, before)
	}
}

// listStore describes a store directory: names, sizes and times.
func listStore(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s %d bytes %v; ", e.Name(), info.Size(), info.ModTime())
	}
	return b.String()
}

// The -h text says how an oversized tile is brought under its limit as
// docs/CLI.md does: by thinning, merging and dropping the smallest, not by
// dropping features at large.
func TestIngestHelpSaysHowOversizedTilesAreFixed(t *testing.T) {
	code, _, stderr := runCLI("ingest", "-h")
	if code != 0 {
		t.Fatalf("ingest -h: exit status %d", code)
	}
	_, help, _ := strings.Cut(stderr, "-max-tile-bytes")
	help, _, _ = strings.Cut(help, "\n  -")
	help = strings.Join(strings.Fields(help), " ")
	for _, w := range []string{"thinning points", "merging small polygons into their neighbours", "dropping the smallest features", "at the max zoom every line and polygon is kept"} {
		if !strings.Contains(help, w) {
			t.Errorf("ingest -h on --max-tile-bytes does not say %q: %q", w, help)
		}
	}
}

// --description and --keywords reach the tileset's metadata, the keywords
// split at commas with blanks and empty items left out.
func TestIngestDescriptionAndKeywords(t *testing.T) {
	store := t.TempDir()
	code, _, stderr := runCLI("ingest", "--quiet", "--store", store, "--id", "faults", faults,
		"--description", "Faults of the Hamersley region, 1:500 000", "--keywords", " faults, Hamersley ,,Western Australia ")
	if code != 0 {
		t.Fatalf("exit status %d: %s", code, stderr)
	}
	r, err := tileset.Open(filepath.Join(store, "faults"+tileset.Ext))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	m := r.Metadata()
	if m.Description != "Faults of the Hamersley region, 1:500 000" || !slices.Equal(m.Keywords, []string{"faults", "Hamersley", "Western Australia"}) {
		t.Errorf("description %q, keywords %q", m.Description, m.Keywords)
	}
}

// An ingest estimated at more tiles than --max-tiles is refused before
// anything is cut, with one line naming the estimate and the flag; the store
// is unchanged. --max-tiles 0 lifts the limit. 20 squares of 0.05° to zoom
// 22 cut for minutes before.
func TestIngestRefusesTooManyTiles(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString(`{"type":"FeatureCollection","features":[`)
	for i := range 20 {
		x, y := 100+float64(i)*0.3, 10+float64(i%4)*0.2
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"type":"Feature","id":%d,"properties":{"n":%d},"geometry":{"type":"Polygon","coordinates":[[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]}}`,
			i, i, x, y, x+0.05, y, x+0.05, y+0.05, x, y+0.05, x, y)
	}
	b.WriteString(`]}`)
	src := filepath.Join(dir, "squares.geojson")
	if err := os.WriteFile(src, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	store := filepath.Join(dir, "store")
	code, _, stderr := runCLI("ingest", "--store", store, "--id", "squares", "--maxzoom", "22", src)
	if code != 1 {
		t.Fatalf("--maxzoom 22: exit status %d, want 1: %s", code, stderr)
	}
	oneLine(t, stderr, "outcrop ingest: ", "--max-tiles", "zooms 0 to 22", "about 9,", "over the limit of 5,000,000", "lower --maxzoom")
	if entries, _ := os.ReadDir(store); len(entries) != 0 {
		t.Errorf("the refused ingest left %d file(s) in the store", len(entries))
	}
	code, _, stderr = runCLI("ingest", "--store", store, "--id", "squares", "--maxzoom", "12", "--max-tiles", "100", src)
	if code != 1 || !strings.Contains(stderr, "over the limit of 100;") {
		t.Errorf("--max-tiles 100 at zoom 12: exit status %d: %s", code, stderr)
	}
	code, _, stderr = runCLI("ingest", "--store", store, "--id", "squares", "--maxzoom", "12", "--max-tiles", "0", "--quiet", src)
	if code != 0 {
		t.Errorf("--max-tiles 0: exit status %d: %s", code, stderr)
	}
}
