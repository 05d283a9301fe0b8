package server

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/store"
	"github.com/outcrop/outcrop/styles"
	"github.com/outcrop/outcrop/tileset"
)

// TestWMSFeatureCache checks that maps decode a feature (its geometry,
// its properties) once per collection version: a second map, panned,
// draws the very geometry the first decoded, classified by the feature's
// own properties; a new version of the collection is decoded anew; and
// maps drawn from cached geometries are the bytes of maps drawn without.
func TestWMSFeatureCache(t *testing.T) {
	dir := t.TempDir()
	units := func(g orb.Polygon) {
		commitFeatures(t, dir, "units", "polygon", []string{styles.FieldAge}, styles.Counts{styles.FieldAge: {icsURI + "Permian": 1, icsURI + "Neoarchean": 1}},
			[]*geojson.Feature{
				feature(1, g, styles.FieldAge, icsURI+"Permian"),
				feature(2, orb.Polygon{{{117, -23}, {118, -23}, {118, -22}, {117, -22}, {117, -23}}}, styles.FieldAge, icsURI+"Neoarchean"),
			})
	}
	units(orb.Polygon{{{116, -23}, {117, -23}, {117, -22}, {116, -22}, {116, -23}}, {{116.4, -22.6}, {116.6, -22.6}, {116.6, -22.4}, {116.4, -22.4}, {116.4, -22.6}}})
	commitFeatures(t, dir, "faults", "line", []string{styles.FieldFaultType}, styles.Counts{styles.FieldFaultType: {faultURI + "thrust_fault": 1}},
		[]*geojson.Feature{
			feature(1, orb.LineString{{116, -21.5}, {118, -21.5}}, styles.FieldFaultType, faultURI+"thrust_fault"),
			feature(2, orb.LineString{{116.505, -21.9}, {116.505, -21.1}}, styles.FieldFaultType, faultURI+"thrust_fault"),
		})
	st, err := store.Open(dir, store.Options{PollInterval: time.Hour, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s := newServer(Config{Catalog: st, Logger: slog.New(slog.DiscardHandler)})
	h := s.routes()
	const q = "SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=units,faults&STYLES=&CRS=CRS:84&WIDTH=200&HEIGHT=200&FORMAT=image/png&BBOX="
	getMap := func(h http.Handler, bbox string) []byte {
		t.Helper()
		resp := serve(h, httptestRequest(http.MethodGet, "/wms?"+q+bbox)).Result()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GetMap %s: %d %s", bbox, resp.StatusCode, body)
		}
		return body
	}
	// granite returns the outer ring of unit 1 as the layer draws it.
	granite := func() orb.Ring {
		t.Helper()
		l, err := s.openWMSLayer("units", "", "http://example.com")
		if err != nil {
			t.Fatal(err)
		}
		defer l.release()
		var ring orb.Ring
		box := orb.Bound{Min: orb.Point{116, -23}, Max: orb.Point{118, -21}}
		err = l.eachDrawn(httptestRequest(http.MethodGet, "/"), box, func(f tileset.RawFeature, props []byte, g orb.Geometry, _ *styles.Symbol) error {
			if age, _ := tileset.PropertyText(props, styles.FieldAge); age != icsURI+map[uint64]string{1: "Permian", 2: "Neoarchean"}[f.ID] {
				t.Errorf("unit %d is given the properties %s", f.ID, props)
			}
			if f.ID == 1 {
				ring = g.(orb.Polygon)[0]
			}
			return nil
		})
		if err != nil || ring == nil {
			t.Fatalf("unit 1: %v, %v", ring, err)
		}
		return ring
	}

	first := getMap(h, "116,-23,118,-21")
	if n := s.mapFeatures.len(); n != 4 {
		t.Errorf("after one map the cache holds %d features, want the 4 features drawn", n)
	}
	panned := getMap(h, "116.2,-22.9,118.2,-20.9")
	if n := s.mapFeatures.len(); n != 4 {
		t.Errorf("after a panned map the cache holds %d features, want the same 4", n)
	}
	if a, b := granite(), granite(); &a[0] != &b[0] {
		t.Error("unit 1's geometry was decoded twice in one version")
	}

	// The same maps without the cache.
	plain := newServer(Config{Catalog: st, Logger: slog.New(slog.DiscardHandler)})
	plain.mapFeatures = nil
	if !bytes.Equal(getMap(plain.routes(), "116,-23,118,-21"), first) || !bytes.Equal(getMap(plain.routes(), "116.2,-22.9,118.2,-20.9"), panned) {
		t.Error("maps drawn from cached geometries differ from maps decoded anew")
	}

	// A new version of units moves unit 1: its new geometry is drawn.
	before := granite()
	units(orb.Polygon{{{116, -23}, {116.5, -23}, {116.5, -22}, {116, -22}, {116, -23}}})
	if err := st.Refresh(); err != nil {
		t.Fatal(err)
	}
	after := granite()
	if &after[0] == &before[0] || after[1] != (orb.Point{116.5, -23}) {
		t.Errorf("after a new version unit 1 is %v, want the new square", after)
	}
}
