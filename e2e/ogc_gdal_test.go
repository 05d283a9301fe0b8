package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
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

// TestGDALOGCAPITiles opens a collection's OGC API - Tiles with GDAL, as
// `ogrinfo OGCAPI:http://…/collections/{id}` does. The OGCAPI driver follows
// the tileset's tiling-scheme link to /tileMatrixSets/WebMercatorQuad and
// hands the document to GDAL's tile matrix set parser, which up to GDAL 3.6
// (Debian 12's) reads only the TMS 1.0 JSON form: the TMS 2.0 form alone
// ended in "Invalid tiling matrix set name". The same parser backs the COG
// driver's TILING_SCHEME option, so GDAL must tile a raster on the served
// definition exactly on the WebMercatorQuad grid.
func TestGDALOGCAPITiles(t *testing.T) {
	ogrinfo := ogcNeeds(t, "ogrinfo", "Debian: gdal-bin")
	gdalCreate := ogcNeeds(t, "gdal_create", "Debian: gdal-bin")
	gdalTranslate := ogcNeeds(t, "gdal_translate", "Debian: gdal-bin")
	gdalinfo := ogcNeeds(t, "gdalinfo", "Debian: gdal-bin")
	srv := startOGCServer(t, 6)
	dir := t.TempDir()

	resp, err := http.Get(srv.URL + "/tileMatrixSets/WebMercatorQuad")
	if err != nil {
		t.Fatal(err)
	}
	tms, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /tileMatrixSets/WebMercatorQuad: %s %v", resp.Status, err)
	}
	tmsFile := filepath.Join(dir, "WebMercatorQuad.json")
	if err := os.WriteFile(tmsFile, tms, 0o644); err != nil {
		t.Fatal(err)
	}
	src, cog := filepath.Join(dir, "src.tif"), filepath.Join(dir, "cog.tif")
	runGDAL(t, gdalCreate, "-of", "GTiff", "-outsize", "64", "64", "-bands", "1", "-burn", "7", "-a_srs", "EPSG:4326", "-a_ullr", "120", "16", "122", "14", src)
	runGDAL(t, gdalTranslate, "-q", "-of", "COG", "-co", "TILING_SCHEME="+tmsFile, src, cog)
	var info struct {
		GeoTransform []float64                    `json:"geoTransform"`
		Metadata     map[string]map[string]string `json:"metadata"`
	}
	if err := json.Unmarshal([]byte(runGDAL(t, gdalinfo, "-json", cog)), &info); err != nil {
		t.Fatal(err)
	}
	z, err := strconv.Atoi(info.Metadata["TILING_SCHEME"]["ZOOM_LEVEL"])
	if err != nil || len(info.GeoTransform) != 6 {
		t.Fatalf("GDAL tiled the raster without a zoom level: %+v", info)
	}
	// The grid of zoom z: cells of 2πa/256/2^z metres from the corner at
	// (-πa, πa), a being the WGS 84 semi-major axis.
	half := math.Pi * 6378137
	cell := 2 * half / 256 / float64(int(1)<<z)
	gt := info.GeoTransform
	cols, rows := (gt[0]+half)/(256*cell), (half-gt[3])/(256*cell)
	if math.Abs(gt[1]/cell-1) > 1e-9 || math.Abs(-gt[5]/cell-1) > 1e-9 ||
		math.Abs(cols-math.Round(cols)) > 1e-6 || math.Abs(rows-math.Round(rows)) > 1e-6 {
		t.Errorf("GDAL tiled on the served definition at zoom %d with geotransform %v: not WebMercatorQuad's grid (cell %v m)", z, gt, cell)
	}

	// The OGCAPI driver gets past the tile matrix set. GDAL 3.6's driver
	// then builds no vector tile layer for any server (its tiled-layer code
	// is unreachable in 3.6.2), so layers are asked for from 3.7 on only.
	out, err := exec.Command(ogrinfo, "-ro", "-so", "OGCAPI:"+srv.URL+"/collections/"+ogcBordersID).CombinedOutput()
	for _, bad := range []string{"Invalid tiling matrix set name", "Destination buffer too small", "Cannot parse CRS", "Expected type"} {
		if strings.Contains(string(out), bad) {
			t.Errorf("ogrinfo OGCAPI: could not read the tile matrix set (%q):\n%s", bad, out)
		}
	}
	if version := runGDAL(t, ogrinfo, "--version"); gdalAtLeast(version, 3, 7) {
		if err != nil || !strings.Contains(string(out), "Zoom level 6") {
			t.Errorf("%s: ogrinfo OGCAPI: lists no layer for zoom 6 (%v):\n%s", version, err, out)
		}
	}
}

// gdalAtLeast reports whether `ogrinfo --version` ("GDAL 3.6.2, released
// …") names a version of at least major.minor.
func gdalAtLeast(version string, major, minor int) bool {
	var a, b int
	if _, err := fmt.Sscanf(version, "GDAL %d.%d", &a, &b); err != nil {
		return false
	}
	return a > major || a == major && b >= minor
}
