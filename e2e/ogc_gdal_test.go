package e2e

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// TestGDALListsCollections opens the server with GDAL's OAPIF driver, as
// `ogrinfo OAPIF:http://…` does, and expects every collection as a layer.
func TestGDALListsCollections(t *testing.T) {
	ogrinfo := ogcNeeds(t, "ogrinfo", "Debian: gdal-bin")
	srv := startOGCServer(t, -1)
	out := runGDAL(t, ogrinfo, "-ro", "-q", "OAPIF:"+srv.URL)
	for _, want := range []string{
		"1: " + ogcBordersID + " (title: ASEAN borders (Natural Earth))",
		"2: " + ogcCopperID + " (title: Porphyry copper deposits (USGS 2008)) (Point)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("ogrinfo lists\n%s\nwithout %q", out, want)
		}
	}
	// The layer's schema comes from the server: fields and their types.
	out = runGDAL(t, ogrinfo, "-ro", "-so", "OAPIF:"+srv.URL, ogcCopperID)
	for _, want := range []string{"Feature Count: 690", "name: String", "country: String", "cu_grade: Real"} {
		if !strings.Contains(out, want) {
			t.Errorf("ogrinfo -so says\n%s\nwithout %q", out, want)
		}
	}
}

// TestGDALReadsWholeCollections copies every feature of each collection
// through the OAPIF driver, which pages through next links, and compares
// the features with the source.
func TestGDALReadsWholeCollections(t *testing.T) {
	ogr2ogr := ogcNeeds(t, "ogr2ogr", "Debian: gdal-bin")
	srv := startOGCServer(t, -1)
	borders, copper := ogcDatasets(t)
	for _, tc := range []struct {
		ds       ogcDataset
		pageSize string // "" lets GDAL choose from the API definition
		minPages int
	}{
		{copper, "", 1},
		{copper, "100", 7},
		{borders, "5", 3},
	} {
		name := fmt.Sprintf("%s page %s", tc.ds.id, tc.pageSize)
		out := filepath.Join(t.TempDir(), "out.geojson")
		args := []string{"-preserve_fid", "-f", "GeoJSON", out, "OAPIF:" + srv.URL, tc.ds.id}
		if tc.pageSize != "" {
			args = append([]string{"-oo", "PAGE_SIZE=" + tc.pageSize}, args...)
		}
		runGDAL(t, ogr2ogr, args...)
		got := readGDALOutput(t, out)
		if len(got) != len(tc.ds.features) {
			t.Errorf("%s: GDAL read %d features, the source has %d", name, len(got), len(tc.ds.features))
		}
		for i, f := range got {
			src := tc.ds.features[i]
			if f.ID != i+1 || f.Name != src.Properties["name"] {
				t.Errorf("%s: feature %d is id %d %q, want id %d %q", name, i, f.ID, f.Name, i+1, src.Properties["name"])
				break
			}
		}
		pages := srv.queries(tc.ds.id)
		if len(pages) < tc.minPages {
			t.Errorf("%s: %d items requests (%v), want at least %d: did GDAL follow next links?", name, len(pages), pages, tc.minPages)
		}
	}
}

// TestGDALBBox asks GDAL for the features in boxes and compares them with a
// direct spatial test on the source; it also checks that GDAL had the
// server filter (sent bbox) and that the server alone answers exactly.
func TestGDALBBox(t *testing.T) {
	ogr2ogr := ogcNeeds(t, "ogr2ogr", "Debian: gdal-bin")
	srv := startOGCServer(t, -1)
	borders, copper := ogcDatasets(t)
	for _, tc := range []struct {
		ds  ogcDataset
		box orb.Bound
	}{
		// The Philippines and around: many deposits.
		{copper, orb.Bound{Min: orb.Point{116.5, 4.5}, Max: orb.Point{127.5, 21.5}}},
		// The Andes: hundreds.
		{copper, orb.Bound{Min: orb.Point{-80, -40}, Max: orb.Point{-60, 0}}},
		// A box across the Strait of Malacca: Malaysia and Indonesia, not
		// Thailand, whose envelope it meets.
		{borders, orb.Bound{Min: orb.Point{99.5, 2.5}, Max: orb.Point{101.5, 3.5}}},
		// Timor: Timor-Leste and Indonesia.
		{borders, orb.Bound{Min: orb.Point{124.5, -9.5}, Max: orb.Point{126, -8.5}}},
	} {
		want := expectInBox(tc.ds, tc.box)
		name := fmt.Sprintf("%s in %v", tc.ds.id, tc.box)
		if len(want) == 0 {
			t.Fatalf("%s: the box holds nothing; choose another", name)
		}
		out := filepath.Join(t.TempDir(), "out.geojson")
		runGDAL(t, ogr2ogr, "-preserve_fid", "-f", "GeoJSON", "-spat", ogcCoord(tc.box.Min[0]), ogcCoord(tc.box.Min[1]), ogcCoord(tc.box.Max[0]), ogcCoord(tc.box.Max[1]),
			out, "OAPIF:"+srv.URL, tc.ds.id)
		var got []int
		for _, f := range readGDALOutput(t, out) {
			got = append(got, f.ID)
		}
		sort.Ints(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: GDAL got ids %v, the source %v", name, got, want)
		}
		sent := false
		for _, q := range srv.queries(tc.ds.id) {
			v, _ := url.ParseQuery(q)
			sent = sent || v.Get("bbox") != ""
		}
		if !sent {
			t.Errorf("%s: GDAL sent no bbox, so the server's filter went untested", name)
		}
		// The server's own answer, without GDAL's client-side filter.
		var doc struct {
			NumberMatched int `json:"numberMatched"`
			Features      []struct {
				ID int `json:"id"`
			} `json:"features"`
		}
		srv.getJSON(t, fmt.Sprintf("/collections/%s/items?limit=10000&bbox=%s,%s,%s,%s", tc.ds.id,
			ogcCoord(tc.box.Min[0]), ogcCoord(tc.box.Min[1]), ogcCoord(tc.box.Max[0]), ogcCoord(tc.box.Max[1])), &doc)
		var ids []int
		for _, f := range doc.Features {
			ids = append(ids, f.ID)
		}
		if !slices.Equal(ids, want) || doc.NumberMatched != len(want) {
			t.Errorf("%s: the server answers ids %v (numberMatched %d), the source %v", name, ids, doc.NumberMatched, want)
		}
	}
}

func ogcCoord(f float64) string { return fmt.Sprint(f) }

// runGDAL runs a GDAL program and returns its output, failing on error.
func runGDAL(t *testing.T, program string, args ...string) string {
	t.Helper()
	cmd := exec.Command(program, args...)
	// GDAL caches HTTP answers in memory per process only; keep its
	// configuration from the environment out of the test.
	cmd.Env = append(os.Environ(), "GDAL_HTTP_TIMEOUT=60", "CPL_DEBUG=OFF")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(program), strings.Join(args, " "), err, out)
	}
	return string(out)
}

// gdalFeature is what the tests read back from GDAL's GeoJSON output.
type gdalFeature struct {
	ID   int
	Name any
}

func readGDALOutput(t *testing.T, path string) []gdalFeature {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Features []struct {
			ID         int            `json:"id"`
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(data, &fc); err != nil {
		t.Fatal(err)
	}
	var out []gdalFeature
	for _, f := range fc.Features {
		// With -preserve_fid, GDAL writes the id the server gave each
		// feature as the feature's id.
		out = append(out, gdalFeature{ID: f.ID, Name: f.Properties["name"]})
	}
	return out
}
