package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// hintDir holds @mapbox/geojsonhint from npm at a pinned version;
// `npm ci --prefix e2e/testdata/geojsonhint` installs it (make deps-test).
var hintDir = filepath.Join("testdata", "geojsonhint")

// geojsonHint returns a function that lints GeoJSON files with
// @mapbox/geojsonhint and returns its hints per file. A missing node or
// geojsonhint skips the test, or fails it when CI is set.
func geojsonHint(t *testing.T) func(files ...string) map[string][]string {
	t.Helper()
	node := ogcNeeds(t, "node", "Debian: nodejs")
	if _, err := os.Stat(filepath.Join(hintDir, "node_modules", "@mapbox", "geojsonhint")); err != nil {
		msg := "geojsonhint is not installed: npm ci --prefix e2e/testdata/geojsonhint"
		if os.Getenv("CI") != "" {
			t.Fatalf("%s; CI is set, so this is a failure, not a skip", msg)
		}
		t.Skip(msg)
	}
	return func(files ...string) map[string][]string {
		t.Helper()
		cmd := exec.Command(node, append([]string{filepath.Join(hintDir, "hint.mjs")}, files...)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("geojsonhint: %v\n%s", err, stderr.String())
		}
		var res map[string][]struct {
			Message string
			Line    int
		}
		if err := json.Unmarshal(out, &res); err != nil {
			t.Fatalf("geojsonhint's output %.200q: %v", out, err)
		}
		hints := map[string][]string{}
		for f, hs := range res {
			for _, h := range hs {
				hints[f] = append(hints[f], fmt.Sprintf("line %d: %s", h.Line, h.Message))
			}
		}
		return hints
	}
}

// TestBinaryItemsAreRFC7946 ingests every bundled data set and the
// synthetic map and occurrences, as `make demo` does, and lints every
// feature that OGC API Features serves with @mapbox/geojsonhint: no hint,
// so rings wind as RFC 7946 §3.1.6 says (exteriors counter-clockwise,
// holes clockwise) whatever the source's winding. Every coordinate has at
// most the default 7 decimals.
func TestBinaryItemsAreRFC7946(t *testing.T) {
	hint := geojsonHint(t)
	bin := outcropBinary(t)
	dir := t.TempDir()

	// The hinter must be able to fail: a clockwise exterior is hinted.
	cw := filepath.Join(dir, "clockwise.json")
	if err := os.WriteFile(cw, []byte(`{"type":"Polygon","coordinates":[[[0,0],[0,1],[1,1],[0,0]]]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if hs := hint(cw); len(hs[cw]) == 0 {
		t.Fatal("geojsonhint accepts a clockwise exterior ring")
	}

	synthGeology := filepath.Join(dir, "sea-geology.geojson")
	synthOcc := filepath.Join(dir, "sea-occurrences.geojson")
	mustRun(t, bin, "synth", "geology", "--units", "150", "--vertices-per-edge", "48", "--seed", "7", "--out", synthGeology)
	mustRun(t, bin, "synth", "occurrences", "--count", "500", "--seed", "7", "--out", synthOcc)
	store := filepath.Join(dir, "store")
	for _, in := range []struct {
		id, mapping, file string
		args              []string
	}{
		{"basemap", "", "../data/basemap/basemap.vrt", []string{"--maxzoom", "6", "--precision", "5", "--drop-rate", "1"}},
		{"asean-borders", "", "../data/borders/asean-borders-10m.geojson", nil},
		{"porphyry-copper", "porphyry-copper", usgsCSV, nil},
		{"gswa-geology", "gswa-geology", gswaGeology, nil},
		{"gswa-faults", "gswa-faults", gswaFaults, nil},
		{"sea-geology", "sea-geology", synthGeology, nil},
		{"sea-occurrences", "sea-occurrences", synthOcc, nil},
	} {
		args := []string{"ingest", "--quiet", "--store", store, "--id", in.id}
		if in.mapping != "" {
			args = append(args, "--mapping", "../data/mappings/"+in.mapping+".yaml")
		}
		args = append(args, in.args...)
		mustRun(t, bin, append(args, in.file)...)
	}
	srv := startServe(t, bin, store)

	for _, id := range []string{"basemap", "asean-borders", "porphyry-copper", "gswa-geology", "gswa-faults", "sea-geology", "sea-occurrences"} {
		var files []string
		features := 0
		next := srv.url + "/collections/" + id + "/items?limit=2000"
		for page := 0; next != ""; page++ {
			resp, body := get(t, next, "Accept", "application/geo+json")
			if resp.StatusCode != 200 {
				t.Fatalf("GET %s: %d\n%s", next, resp.StatusCode, body)
			}
			var fc struct {
				Features []json.RawMessage
				Links    []struct{ Href, Rel string }
			}
			if err := json.Unmarshal(body, &fc); err != nil {
				t.Fatalf("%s: %v", next, err)
			}
			features += len(fc.Features)
			if bad := overPrecise(t, body, 7); bad != "" {
				t.Errorf("%s: coordinate %s has more than 7 decimals", next, bad)
			}
			f := filepath.Join(dir, fmt.Sprintf("%s-%d.json", id, page))
			if err := os.WriteFile(f, body, 0o644); err != nil {
				t.Fatal(err)
			}
			files = append(files, f)
			next = ""
			for _, l := range fc.Links {
				if l.Rel == "next" {
					next = l.Href
				}
			}
		}
		if features == 0 {
			t.Errorf("%s: no features served", id)
		}
		var hints []string
		for _, hs := range hint(files...) {
			hints = append(hints, hs...)
		}
		t.Logf("%s: %d features, %d hints", id, features, len(hints))
		if len(hints) > 0 {
			t.Errorf("%s: geojsonhint has %d hints for its items, e.g. %s", id, len(hints), strings.Join(hints[:min(3, len(hints))], "; "))
		}
	}
}

// overPrecise returns the first coordinate of a FeatureCollection's
// geometries with more than decimals decimal places, or "".
func overPrecise(t *testing.T, body []byte, decimals int) string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var fc struct {
		Features []struct {
			Geometry struct {
				Coordinates any
			}
		}
	}
	if err := dec.Decode(&fc); err != nil {
		t.Fatal(err)
	}
	var walk func(v any) string
	walk = func(v any) string {
		switch v := v.(type) {
		case json.Number:
			s := string(v)
			if strings.ContainsAny(s, "eE") {
				return s // 1e-8: shortest form of a tiny, unrounded number
			}
			if i := strings.IndexByte(s, '.'); i >= 0 && len(s)-i-1 > decimals {
				return s
			}
		case []any:
			for _, w := range v {
				if bad := walk(w); bad != "" {
					return bad
				}
			}
		}
		return ""
	}
	for _, f := range fc.Features {
		if bad := walk(f.Geometry.Coordinates); bad != "" {
			return bad
		}
	}
	return ""
}
