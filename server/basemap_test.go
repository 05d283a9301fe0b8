package server

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"

	"github.com/outcrop/outcrop/tileset"
)

// writeBasemap commits a one-tile basemap tileset, as data/basemap makes.
func writeBasemap(t testing.TB, dir, id string) {
	t.Helper()
	f := geojson.NewFeature(orb.Polygon{{{-10, -10}, {10, -10}, {10, 10}, {-10, 10}, {-10, -10}}})
	f.ID = 1
	f.Properties = geojson.Properties{"kind": "land", "scalerank": 0}
	fc := geojson.NewFeatureCollection()
	fc.Append(f)
	mt := maptile.New(0, 0, 0)
	commit(t, dir, id, []tileset.Tile{{Z: 0, X: 0, Y: 0, Data: encodeTile(t, mt, id, fc)}},
		&tileset.Metadata{
			Title: "Basemap (Natural Earth)", Layer: id, GeometryType: "mixed",
			Fields: []tileset.Field{{Name: "kind", Type: "string"}, {Name: "scalerank", Type: "integer"}},
			Bounds: [4]float64{-180, -85, 180, 85}, MinZoom: 0, MaxZoom: 0, FeatureCount: 1,
		})
}

func getBasemap(t *testing.T, f *fixture) basemapDoc {
	t.Helper()
	w := f.get(t, "/map/basemap.json")
	if w.Code != 200 {
		t.Fatalf("/map/basemap.json: %d %s", w.Code, w.Body)
	}
	var doc basemapDoc
	decodeJSON(t, w, &doc)
	return doc
}

// waitFor polls until the store lists id (it polls its directory).
func waitFor(t *testing.T, f *fixture, id string) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		for _, have := range f.store.IDs() {
			if have == id {
				return
			}
		}
	}
	t.Fatalf("the store never listed %s", id)
}

func TestBasemapIsTheBasemapTilesetOnceThere(t *testing.T) {
	f := newFixture(t, Config{})
	if doc := getBasemap(t, f); doc != (basemapDoc{}) {
		t.Errorf("without a basemap tileset: %+v, want none", doc)
	}
	writeBasemap(t, f.dir, DefaultBasemap)
	waitFor(t, f, DefaultBasemap)
	doc := getBasemap(t, f)
	if doc.Tileset != "basemap" || doc.Style != "http://example.com/styles/basemap.basemap.json" {
		t.Fatalf("basemap = %+v, want the basemap tileset in its basemap style", doc)
	}
	w := f.get(t, "/styles/basemap.basemap.json")
	if w.Code != 200 {
		t.Errorf("the basemap's style answers %d", w.Code)
	}
}

func TestBasemapFollowsConfig(t *testing.T) {
	f := newFixture(t, Config{Basemap: geologyID})
	if doc := getBasemap(t, f); doc.Tileset != geologyID || doc.Style != "http://example.com/styles/"+geologyID+".default.json" {
		t.Errorf("--basemap %s: %+v, want its preferred style", geologyID, doc)
	}
	f = newFixture(t, Config{Basemap: NoBasemap})
	writeBasemap(t, f.dir, DefaultBasemap)
	waitFor(t, f, DefaultBasemap)
	if doc := getBasemap(t, f); doc != (basemapDoc{}) {
		t.Errorf("--basemap none: %+v, want none", doc)
	}
	ext := "https://tiles.example.org/styles/survey.json"
	f = newFixture(t, Config{BasemapStyle: ext})
	if doc := getBasemap(t, f); doc != (basemapDoc{Style: ext}) {
		t.Errorf("--basemap-style: %+v, want the URL alone", doc)
	}
}

// TestBasemapStylePlaceNamesInLang: ?lang= labels the basemap's places in
// that language where the tileset has names in it, as the viewer does.
func TestBasemapStylePlaceNamesInLang(t *testing.T) {
	f := newFixture(t, Config{Fonts: notoFonts(t)})
	p := geojson.NewFeature(orb.Point{100.5, 13.75})
	p.ID = 1
	p.Properties = geojson.Properties{"kind": "places", "scalerank": 0, "name": "Bangkok", "name_id": "Bangkok", "name_zh": "曼谷"}
	fc := geojson.NewFeatureCollection()
	fc.Append(p)
	commit(t, f.dir, DefaultBasemap, []tileset.Tile{{Z: 0, X: 0, Y: 0, Data: encodeTile(t, maptile.New(0, 0, 0), DefaultBasemap, fc)}},
		&tileset.Metadata{
			Title: "Basemap (Natural Earth)", Layer: DefaultBasemap, GeometryType: "mixed",
			Fields: []tileset.Field{{Name: "kind", Type: "string"}, {Name: "scalerank", Type: "integer"},
				{Name: "name", Type: "string"}, {Name: "name_id", Type: "string"}, {Name: "name_zh", Type: "string"}},
			Bounds: [4]float64{-180, -85, 180, 85}, MinZoom: 0, MaxZoom: 0, FeatureCount: 1,
		})
	waitFor(t, f, DefaultBasemap)
	for lang, want := range map[string]string{
		"zh": `"text-field":["coalesce",["get","name_zh"],["get","name"]]`,
		"id": `"text-field":["coalesce",["get","name_id"],["get","name"]]`,
		"en": `"text-field":["get","name"]`,
		"":   `"text-field":["get","name"]`,
	} {
		w := f.get(t, "/styles/basemap.basemap.json?lang="+lang)
		var compact bytes.Buffer
		if w.Code != 200 || json.Compact(&compact, w.Body.Bytes()) != nil || !strings.Contains(compact.String(), want) {
			t.Errorf("?lang=%s: status %d, want %s in the style", lang, w.Code, want)
		}
	}
}
