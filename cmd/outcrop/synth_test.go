package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// synth is what tests and benchmarks build on: the same flags must give the
// same bytes, in a directory it creates, without leaving a temporary file.
func TestSynthIsDeterministic(t *testing.T) {
	dir := t.TempDir()
	var files [][]byte
	for i, out := range []string{filepath.Join(dir, "a", "map.geojson"), filepath.Join(dir, "b", "c", "map.geojson")} {
		code, stdout, stderr := runCLI("synth", "geology", "--units", "20", "--vertices-per-edge", "8", "--seed", "3", "--out", out)
		if code != 0 {
			t.Fatalf("run %d: exit status %d: %s", i, code, stderr)
		}
		if !strings.Contains(stdout, out) || !strings.Contains(stdout, "SYNTHETIC") || !strings.Contains(stdout, "seed 3") {
			t.Errorf("run %d: report %q; want the file, SYNTHETIC and the seed", i, stdout)
		}
		raw, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, raw)
		entries, _ := os.ReadDir(filepath.Dir(out))
		if len(entries) != 1 {
			t.Errorf("run %d: %d files beside the output, want only it (no temporary file left)", i, len(entries))
		}
	}
	if !bytes.Equal(files[0], files[1]) {
		t.Error("the same flags gave two different files")
	}
	var fc struct {
		Features []struct {
			Properties map[string]any `json:"properties"`
		} `json:"features"`
		CRS struct {
			Properties struct{ Name string } `json:"properties"`
		} `json:"crs"`
	}
	if err := json.Unmarshal(files[0], &fc); err != nil {
		t.Fatal(err)
	}
	if len(fc.Features) != 20 || !strings.HasSuffix(fc.CRS.Properties.Name, "EPSG::24047") {
		t.Errorf("%d features in %q, want 20 (--units) in EPSG:24047", len(fc.Features), fc.CRS.Properties.Name)
	}
	if src, _ := fc.Features[0].Properties["source"].(string); !strings.Contains(src, "SYNTHETIC") {
		t.Errorf("a feature's source is %q, want it labelled SYNTHETIC", src)
	}
}

func TestSynthOccurrences(t *testing.T) {
	out := filepath.Join(t.TempDir(), "occ.geojson")
	if code, _, stderr := runCLI("synth", "occurrences", "--count", "50", "--out", out); code != 0 {
		t.Fatalf("exit status %d: %s", code, stderr)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Features []struct {
			Geometry struct{ Type string } `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(raw, &fc); err != nil {
		t.Fatal(err)
	}
	if len(fc.Features) != 50 || fc.Features[0].Geometry.Type != "Point" {
		t.Errorf("%d features, the first a %q; want 50 points (--count)", len(fc.Features), fc.Features[0].Geometry.Type)
	}
}

// A refused synth leaves no file, not even a partial one that a later
// ingest would read.
func TestSynthRefusesBadInvocations(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "map.geojson")
	for _, c := range []struct {
		args []string
		code int
		want []string
	}{
		{[]string{"synth", "geology"}, 2, []string{"--out"}},
		{[]string{"synth", "--out", out}, 2, []string{"geology|occurrences"}},
		{[]string{"synth", "faults", "--out", out}, 2, []string{"geology|occurrences"}},
		{[]string{"synth", "geology", "occurrences", "--out", out}, 2, []string{"geology|occurrences"}},
		{[]string{"synth", "geology", "--units", "5", "--out", out}, 1, []string{"units", "5", out}},
		{[]string{"synth", "geology", "--units", "many", "--out", out}, 2, []string{"-units"}},
	} {
		code, _, stderr := runCLI(c.args...)
		if code != c.code {
			t.Errorf("outcrop %q: exit status %d, want %d", c.args, code, c.code)
		}
		oneLine(t, stderr, append([]string{"outcrop synth: "}, c.want...)...)
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("outcrop %q left %s behind", c.args, entries[0].Name())
		}
	}
}

// synth magnetics writes the grid and its .prj, the same for the same seed.
func TestSynthMagnetics(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "mag.asc")
	code, stdout, stderr := runCLI("synth", "magnetics", "--cells", "30x20", "--seed", "2", "--out", out)
	if code != 0 || !strings.Contains(stdout, "SYNTHETIC magnetics") {
		t.Fatalf("exit status %d: %s %s", code, stdout, stderr)
	}
	asc, _ := os.ReadFile(out)
	prj, _ := os.ReadFile(filepath.Join(dir, "mag.prj"))
	if !bytes.HasPrefix(asc, []byte("ncols 30\nnrows 20\n")) || !bytes.Contains(prj, []byte("Indian_1975_UTM_Zone_47N")) {
		t.Errorf("grid %.40q, prj %.40q", asc, prj)
	}
	for _, c := range []struct{ args []string }{
		{[]string{"synth", "magnetics", "--out", filepath.Join(dir, "mag.tif")}},
		{[]string{"synth", "magnetics", "--cells", "30", "--out", out}},
	} {
		if code, _, stderr := runCLI(c.args...); code != 2 || !strings.Contains(stderr, "--") {
			t.Errorf("%v: exit %d, %s; want a usage error naming the flag", c.args, code, stderr)
		}
	}
}
