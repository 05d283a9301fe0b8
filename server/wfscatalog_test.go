package server

import (
	"fmt"
	"log/slog"
	"net/http"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"

	"github.com/outcrop/outcrop/store"
	"github.com/outcrop/outcrop/styles"
)

// TestWFSCatalogCachedPerVersion: GetFeatureInfo (WMS and WMTS, JSON and
// GML) builds the WFS catalogue once for a set of collection versions,
// not on every request; a new version of a collection is seen at once,
// the view's properties following its new fields.
func TestWFSCatalogCachedPerVersion(t *testing.T) {
	dir := t.TempDir()
	square := orb.Polygon{{{116, -23}, {117, -23}, {117, -22}, {116, -22}, {116, -23}}}
	units := func(fields []string, kv ...string) {
		commitFeatures(t, dir, "units", "polygon", fields,
			styles.Counts{styles.FieldAge: {icsURI + "Permian": 1}},
			[]*geojson.Feature{feature(1, square, append([]string{"name", "Granite", styles.FieldAge, icsURI + "Permian"}, kv...)...)})
	}
	units([]string{"name", styles.FieldAge})
	commitFeatures(t, dir, "occurrences", "point", []string{styles.FieldCommodity}, styles.Counts{styles.FieldCommodity: {commodURI + "Au": 1}},
		[]*geojson.Feature{feature(1, orb.Point{117.5, -21.5}, styles.FieldCommodity, commodURI+"Au")})
	st, err := store.Open(dir, store.Options{PollInterval: -1, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	s := newServer(Config{Catalog: st, Logger: slog.New(slog.DiscardHandler)})
	h := s.tileDispatch(s.routes())

	const z = 9
	col, row, x, y := tilePixel(116.2, -22.2, z)
	b := mercatorBound(maptile.New(uint32(col), uint32(row), z))
	wms := func(format string) string {
		return fmt.Sprintf("/wms?SERVICE=WMS&REQUEST=GetFeatureInfo&VERSION=1.3.0&LAYERS=units&QUERY_LAYERS=units&STYLES=&CRS=EPSG:3857&BBOX=%f,%f,%f,%f&WIDTH=256&HEIGHT=256&FORMAT=image/png&I=%d&J=%d&INFO_FORMAT=%s",
			b.Min[0], b.Min[1], b.Max[0], b.Max[1], x, y, format)
	}
	info := func(target string) map[string]string {
		t.Helper()
		w := serve(h, httptestRequest(http.MethodGet, target))
		if w.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", target, w.Code, w.Body)
		}
		return infoProps(t, w.Header().Get("Content-Type"), w.Body.Bytes())
	}
	for _, target := range []string{wms("application/json"), wms("application/json"), wms("text/xml"),
		restInfo("units", styles.KindGeologyAge, 116.2, -22.2, z, "json"), restInfo("units", styles.KindGeologyAge, 116.2, -22.2, z, "gml")} {
		if p := info(target); p["name"] != "Granite" {
			t.Errorf("%s: properties %v, want name Granite", target, p)
		}
		if _, ok := info(target)["description"]; ok {
			t.Errorf("%s: a description, which no version has", target)
		}
	}
	if n := s.wfsCat.builds.Load(); n != 1 {
		t.Errorf("ten GetFeatureInfo of one set of versions built the WFS catalogue %d times, want once", n)
	}

	// A new version of units, with a description: seen at once.
	units([]string{"name", styles.FieldAge, "description"}, "description", "Coarse pink granite")
	if err := st.Refresh(); err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{wms("application/json"), restInfo("units", styles.KindGeologyAge, 116.2, -22.2, z, "gml")} {
		if p := info(target); p["description"] != "Coarse pink granite" {
			t.Errorf("%s after a new version: properties %v, want its description", target, p)
		}
	}
	if n := s.wfsCat.builds.Load(); n != 2 {
		t.Errorf("after a new version the WFS catalogue was built %d times in all, want 2", n)
	}
}
