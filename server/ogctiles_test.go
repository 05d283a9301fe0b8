package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/outcrop/outcrop/tileset"
)

func TestTilesetList(t *testing.T) {
	f := newFixture(t, Config{})
	var doc tilesetList
	decodeJSON(t, f.get(t, "/collections/geology/tiles"), &doc)
	if len(doc.Tilesets) != 1 {
		t.Fatalf("tilesets = %+v", doc.Tilesets)
	}
	ts := doc.Tilesets[0]
	if ts.DataType != "vector" || ts.TileMatrixSetURI != webMercatorQuadURI || ts.CRS != epsg3857 {
		t.Errorf("tileset = %+v", ts)
	}
	if l := linkByRel(t, ts.Links, "self"); l.Href != "http://example.com/collections/geology/tiles/WebMercatorQuad" {
		t.Errorf("self = %+v", l)
	}
	if l := linkByRel(t, ts.Links, relTilingScheme); l.Href != "http://example.com/tileMatrixSets/WebMercatorQuad" {
		t.Errorf("tiling-scheme = %+v", l)
	}
	wantError(t, f.get(t, "/collections/nosuch/tiles"), http.StatusNotFound, "NotFound")
}

func TestTilesetMetadata(t *testing.T) {
	f := newFixture(t, Config{})
	var doc struct {
		tilesetMetadata
		Layers []struct {
			ID                string          `json:"id"`
			GeometryDimension *int            `json:"geometryDimension"`
			PropertiesSchema  json.RawMessage `json:"propertiesSchema"`
		} `json:"layers"`
	}
	decodeJSON(t, f.get(t, "/collections/geology/tiles/WebMercatorQuad"), &doc)
	if doc.DataType != "vector" || doc.TileMatrixSetURI != webMercatorQuadURI || len(doc.Layers) != 1 || doc.Layers[0].ID != geologyLayer ||
		doc.Layers[0].GeometryDimension == nil || *doc.Layers[0].GeometryDimension != 2 {
		t.Errorf("tileset = %+v", doc)
	}
	var props struct {
		Properties map[string]struct{ Type, Format string } `json:"properties"`
	}
	if err := json.Unmarshal(doc.Layers[0].PropertiesSchema, &props); err != nil || props.Properties["n_samples"].Type != "integer" ||
		props.Properties["mapped"].Format != "date" || len(props.Properties) != len(geologyFields) {
		t.Errorf("layer properties schema = %s", doc.Layers[0].PropertiesSchema)
	}
	if len(doc.TileMatrixSetLimits) != geologyMax-geologyMin+1 {
		t.Fatalf("limits for %d zooms, want %d", len(doc.TileMatrixSetLimits), geologyMax-geologyMin+1)
	}
	for i, l := range doc.TileMatrixSetLimits {
		z := geologyMin + i
		nw := maptile.At(orb.Point{118.45, -22.45}, maptile.Zoom(z))
		se := maptile.At(orb.Point{118.55, -22.55}, maptile.Zoom(z))
		want := tileMatrixLimits{TileMatrix: strconv.Itoa(z), MinTileRow: int(nw.Y), MaxTileRow: int(se.Y), MinTileCol: int(nw.X), MaxTileCol: int(se.X)}
		if l != want {
			t.Errorf("zoom %d limits = %+v, want %+v", z, l, want)
		}
		if z == geologyMax && (l.MinTileRow != int(graniteTile(z).Y) || l.MinTileCol != int(graniteTile(z).X)) {
			t.Errorf("zoom %d limits %+v miss the granite's tile %v", z, l, graniteTile(z))
		}
	}
	if l := linkByRel(t, doc.Links, "item"); l.Href != "http://example.com/collections/geology@"+f.geology.Version+"/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}" ||
		!l.Templated || l.Type != mvtContentType {
		t.Errorf("item link = %+v", l)
	}
	linkByRel(t, doc.Links, relTilingScheme)
	wantError(t, f.get(t, "/collections/geology/tiles/WorldCRS84Quad"), http.StatusNotFound, "NotFound")
}

// TestTileLimitsClamp checks bounds on the antimeridian and the poles.
func TestTileLimitsClamp(t *testing.T) {
	m := &tilesetMetaWorld
	for z := 0; z <= 4; z++ {
		l := tileLimits(m, z)
		last := 1<<z - 1
		if l.MinTileCol != 0 || l.MaxTileCol != last || l.MinTileRow != 0 || l.MaxTileRow != last {
			t.Errorf("zoom %d: limits of the whole world %+v", z, l)
		}
	}
}

// TestOGCTileIsTheXYZTile fetches the granite's tile by both routes and
// compares the answers byte for byte.
func TestOGCTileIsTheXYZTile(t *testing.T) {
	f := newFixture(t, Config{})
	mt := graniteTile(geologyMax)
	ogc := "/collections/geology/tiles/WebMercatorQuad/" + itoa(int(mt.Z)) + "/" + itoa(int(mt.Y)) + "/" + itoa(int(mt.X))
	for _, enc := range []string{"gzip", ""} {
		a := f.get(t, tilePath(geologyID, mt, "mvt"), "Accept-Encoding", enc)
		b := f.get(t, ogc, "Accept-Encoding", enc)
		if a.Code != http.StatusOK || b.Code != http.StatusOK || !bytes.Equal(a.Body.Bytes(), b.Body.Bytes()) {
			t.Fatalf("encoding %q: XYZ %d (%d bytes), OGC %d (%d bytes)", enc, a.Code, a.Body.Len(), b.Code, b.Body.Len())
		}
		for _, h := range []string{"Content-Type", "Content-Encoding", "ETag", "Cache-Control"} {
			if a.Header().Get(h) != b.Header().Get(h) {
				t.Errorf("encoding %q: %s %q by XYZ, %q by OGC", enc, h, a.Header().Get(h), b.Header().Get(h))
			}
		}
	}
	raw := f.get(t, ogc).Body.Bytes()
	decodeGranite(t, raw, mt)
}

func TestOGCTileErrors(t *testing.T) {
	f := newFixture(t, Config{})
	mt := graniteTile(geologyMax)
	row, col := itoa(int(mt.Y)), itoa(int(mt.X))
	base := "/collections/geology/tiles/WebMercatorQuad/"
	// Zoom 5 is inside the range and the limits, but has no tile.
	mt5 := graniteTile(5)
	if w := f.get(t, base+"5/"+itoa(int(mt5.Y))+"/"+itoa(int(mt5.X))); w.Code != http.StatusNoContent {
		t.Errorf("empty tile inside the limits: %d, want 204", w.Code)
	}
	for _, tc := range []struct {
		path   string
		status int
	}{
		{base + "9/" + row + "/" + itoa(int(mt.X)+1), http.StatusNotFound}, // a column beside the data
		{base + "9/" + itoa(int(mt.Y)-1) + "/" + col, http.StatusNotFound}, // a row above it
		{base + "2/0/0", http.StatusNotFound},                              // below the tileset's zooms
		{base + "10/" + row + "/" + col, http.StatusNotFound},              // above them
		{base + "25/0/0", http.StatusNotFound},                             // beyond WebMercatorQuad
		{"/collections/geology/tiles/WorldCRS84Quad/9/" + row + "/" + col, http.StatusNotFound},
		{"/collections/nosuch/tiles/WebMercatorQuad/9/" + row + "/" + col, http.StatusNotFound},
		{base + "x/0/0", http.StatusBadRequest},
		{base + "9/-1/0", http.StatusBadRequest},
		{base + "9/" + row + "/" + col + "?f=json", http.StatusBadRequest},
	} {
		w := f.get(t, tc.path)
		code := "NotFound"
		if tc.status == http.StatusBadRequest {
			code = "InvalidParameterValue"
		}
		wantError(t, w, tc.status, code)
	}
	if w := f.get(t, base+"9/"+row+"/"+col+"?f=mvt"); w.Code != http.StatusOK {
		t.Errorf("f=mvt: %d", w.Code)
	}
}

var tilesetMetaWorld = tileset.Metadata{Bounds: [4]float64{-180, -90, 180, 90}, MaxZoom: 4}
