package main

import (
	"os"
	"path/filepath"
	"testing"
)

// exportStore copies the committed format fixtures into a store: the
// vector "fixture" and the raster "raster".
func exportStore(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for id, src := range map[string]string{"fixture": "format-v2.tileset", "raster": "format-v2-raster.tileset"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "tileset", "testdata", src))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, id+".tileset"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestExportWritesArchives exports the fixture in both formats, the format
// given or taken from the extension.
func TestExportWritesArchives(t *testing.T) {
	store := exportStore(t)
	out := t.TempDir()
	for _, c := range []struct {
		args   []string
		file   string
		prefix string
	}{
		{[]string{"--format", "pmtiles"}, "a.bin", "PMTiles\x03"},
		{nil, "b.mbtiles", "SQLite format 3\x00"},
	} {
		file := filepath.Join(out, c.file)
		args := append([]string{"export", "--store", store, "--id", "fixture", file}, c.args...)
		if code, _, stderr := runCLI(args...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		b, err := os.ReadFile(file)
		if err != nil || len(b) < len(c.prefix) || string(b[:len(c.prefix)]) != c.prefix {
			t.Errorf("%s does not start with %q (%v)", file, c.prefix, err)
		}
	}
}

// TestExportMistakes checks each mistake is one line naming the flag or
// file, with the right exit status, and writes nothing.
func TestExportMistakes(t *testing.T) {
	store := exportStore(t)
	out := t.TempDir()
	existing := filepath.Join(out, "old.pmtiles")
	if err := os.WriteFile(existing, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	fresh := filepath.Join(out, "new.pmtiles")
	for _, c := range []struct {
		args []string
		code int
		want []string
	}{
		{[]string{"--store", store, "--id", "nosuch", fresh}, 1, []string{"--id", "nosuch"}},
		{[]string{"--store", store, "--id", "fixture", existing}, 1, []string{existing, "--force"}},
		{[]string{"--store", store, "--id", "fixture", "--format", "geojson", fresh}, 2, []string{"--format", "geojson", "pmtiles"}},
		{[]string{"--store", store, "--id", "fixture", filepath.Join(out, "x.zip")}, 2, []string{"--format", "x.zip"}},
		{[]string{"--store", store, "--id", "raster", fresh}, 1, []string{"raster"}},
		{[]string{"--store", store, "--id", "fixture"}, 2, []string{"FILE"}},
		{[]string{"--id", "fixture", fresh}, 2, []string{"--store"}},
		{[]string{"--store", store, fresh}, 2, []string{"--id"}},
	} {
		code, _, stderr := runCLI(append([]string{"export"}, c.args...)...)
		if code != c.code {
			t.Errorf("%v: exit %d, want %d: %s", c.args, code, c.code, stderr)
		}
		oneLine(t, stderr, c.want...)
	}
	if b, _ := os.ReadFile(existing); string(b) != "old" {
		t.Errorf("%s was changed", existing)
	}
	entries, _ := os.ReadDir(out)
	if len(entries) != 1 {
		t.Errorf("the output directory holds %d files, want only old.pmtiles", len(entries))
	}
	if code, _, stderr := runCLI("export", "--store", store, "--id", "fixture", "--force", existing); code != 0 {
		t.Errorf("--force: exit %d: %s", code, stderr)
	}
}
