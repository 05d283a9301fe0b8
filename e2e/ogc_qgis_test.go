package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/paulmach/orb/encoding/mvt"
)

// TestQGIS loads each collection in headless QGIS as an OGC API - Features
// layer and as an XYZ vector tile layer, as a user adds them by URL, and
// checks that both are valid, hold every feature of the source and render
// to a PNG that is not blank.
func TestQGIS(t *testing.T) {
	needQGIS(t)
	srv := startOGCServer(t, 6)
	borders, copper := ogcDatasets(t)
	shots := t.TempDir()
	start := time.Now()
	var rep map[string]json.RawMessage
	runQGIS(t, &rep, "ogc_qgis.py", srv.URL, shots, ogcBordersID, ogcCopperID)
	t.Logf("QGIS ran in %s", time.Since(start).Round(time.Millisecond))
	if pages := srv.queries(ogcCopperID); len(pages) < 8 {
		t.Errorf("QGIS made %d items requests for %s (%v); in pages of 100 it needs 7 and one more for the whole layer", len(pages), ogcCopperID, pages)
	}
	type layerReport struct {
		OAPIFValid        bool           `json:"oapif_valid"`
		OAPIFFeatures     int            `json:"oapif_features"`
		OAPIFFeatureCount int            `json:"oapif_feature_count"`
		OAPIFFields       []string       `json:"oapif_fields"`
		OAPIFExtent       []float64      `json:"oapif_extent"`
		OAPIFPixels       int            `json:"oapif_pixels"`
		PagedFeatures     int            `json:"paged_features"`
		VTValid           bool           `json:"vt_valid"`
		VTTiles           map[string]int `json:"vt_tiles"`
		VTPixels          int            `json:"vt_pixels"`
	}
	t.Logf("QGIS %s; its log: %s", rep["qgis"], rep["log"])
	for _, ds := range []ogcDataset{borders, copper} {
		var r layerReport
		if err := json.Unmarshal(rep[ds.id], &r); err != nil {
			t.Fatalf("%s: %v", ds.id, err)
		}
		t.Logf("%s: %+v", ds.id, r)
		if !r.OAPIFValid {
			t.Errorf("%s: the OGC API - Features layer is not valid; QGIS's log: %s", ds.id, rep["log"])
		}
		if r.OAPIFFeatures != len(ds.features) || r.OAPIFFeatureCount != len(ds.features) {
			t.Errorf("%s: QGIS read %d features through OGC API - Features (featureCount %d), the source has %d", ds.id, r.OAPIFFeatures, r.OAPIFFeatureCount, len(ds.features))
		}
		if r.PagedFeatures != len(ds.features) {
			t.Errorf("%s: QGIS read %d features in pages of 100, the source has %d", ds.id, r.PagedFeatures, len(ds.features))
		}
		if !r.VTValid {
			t.Errorf("%s: the XYZ vector tile layer is not valid; QGIS's log: %s", ds.id, rep["log"])
		}
		// QGIS decoded every feature of every tile it drew: the same count
		// as orb's MVT decoder finds in the same tile.
		if len(r.VTTiles) == 0 {
			t.Errorf("%s: QGIS drew no tile", ds.id)
		}
		for zxy, n := range r.VTTiles {
			if want := tileFeatureCount(t, srv.URL+"/tiles/"+ds.id+"/"+zxy+".mvt"); n != want {
				t.Errorf("%s: QGIS decoded %d features from tile %s, which holds %d", ds.id, n, zxy, want)
			}
		}
		// A blank render is all background; drawn data covers at least a
		// few hundred of the 512×384 pixels.
		if r.OAPIFPixels < 300 || r.VTPixels < 300 {
			t.Errorf("%s: renders have %d (features) and %d (tiles) non-background pixels: blank", ds.id, r.OAPIFPixels, r.VTPixels)
		}
		for _, kind := range []string{"oapif", "tiles"} {
			viewerKeep(t, filepath.Join(shots, ds.id+"-"+kind+".png"))
		}
	}
}

// tileFeatureCount fetches a tile and counts its features with orb.
func tileFeatureCount(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNoContent {
		return 0
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s %v", url, resp.Status, err)
	}
	layers, err := mvt.Unmarshal(body)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	n := 0
	for _, l := range layers {
		n += len(l.Features)
	}
	return n
}
