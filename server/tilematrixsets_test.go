package server

import (
	"encoding/json"
	"math"
	"net/http"
	"testing"
)

func TestTileMatrixSetWebMercatorQuad(t *testing.T) {
	f := newFixture(t, Config{})
	var tms tileMatrixSet
	decodeJSON(t, f.get(t, "/tileMatrixSets/WebMercatorQuad?f=json"), &tms)
	if tms.ID != "WebMercatorQuad" || tms.URI != webMercatorQuadURI || tms.CRS != epsg3857 || len(tms.TileMatrices) != 25 {
		t.Fatalf("tile matrix set = %+v", tms)
	}
	// Values of the registered definition (OGC 17-083r4 annex D), to its
	// printed precision.
	for _, want := range []struct {
		z           int
		scale, cell float64
	}{
		{0, 559082264.028717, 156543.033928041},
		{1, 279541132.014358, 78271.5169640204},
		{12, 136494.693366386, 38.2185141425881},
		{24, 33.3238997476528, 0.0093306919293428},
	} {
		m := tms.TileMatrices[want.z]
		if m.ID != itoa(want.z) || m.MatrixWidth != 1<<want.z || m.MatrixHeight != 1<<want.z || m.TileWidth != 256 ||
			m.CornerOfOrigin != "topLeft" || math.Abs(m.PointOfOrigin[0]+20037508.3427892) > 1e-6 || math.Abs(m.PointOfOrigin[1]-20037508.3427892) > 1e-6 {
			t.Errorf("tile matrix %d = %+v", want.z, m)
		}
		if math.Abs(m.ScaleDenominator/want.scale-1) > 1e-12 || math.Abs(m.CellSize/want.cell-1) > 1e-12 {
			t.Errorf("tile matrix %d: scale %v, cell %v; want %v, %v", want.z, m.ScaleDenominator, m.CellSize, want.scale, want.cell)
		}
	}
	wantError(t, f.get(t, "/tileMatrixSets/WorldCRS84Quad"), http.StatusNotFound, "NotFound")
}

// TestTileMatrixSet10 checks the TMS 1.0 members beside the 2.0 ones: the
// form GDAL 3.6 parses, which recognises it by "type" and reads
// "identifier", "supportedCRS" and "tileMatrix" (each with "identifier" and
// "topLeftCorner"). They must name the same matrices as the 2.0 members.
func TestTileMatrixSet10(t *testing.T) {
	f := newFixture(t, Config{})
	var tms struct {
		tileMatrixSet
		Raw map[string]json.RawMessage `json:"-"`
	}
	w := f.get(t, "/tileMatrixSets/WebMercatorQuad")
	decodeJSON(t, w, &tms)
	if err := json.Unmarshal(w.Body.Bytes(), &tms.Raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"id", "crs", "tileMatrices", "type", "identifier", "supportedCRS", "tileMatrix"} {
		if _, ok := tms.Raw[k]; !ok {
			t.Errorf("the tile matrix set has no member %q", k)
		}
	}
	if tms.Type != "TileMatrixSetType" || tms.Identifier != tms.ID || tms.SupportedCRS != tms.CRS || len(tms.TileMatrix) != len(tms.TileMatrices) {
		t.Fatalf("TMS 1.0 members %+v do not match the 2.0 ones (id %q, crs %q, %d matrices)", tms.tileMatrixSet10, tms.ID, tms.CRS, len(tms.TileMatrices))
	}
	for i, m := range tms.TileMatrix {
		n := tms.TileMatrices[i]
		if m.Type != "TileMatrixType" || m.Identifier != n.ID || m.ScaleDenominator != n.ScaleDenominator || m.TopLeftCorner != n.PointOfOrigin ||
			m.TileWidth != n.TileWidth || m.TileHeight != n.TileHeight || m.MatrixWidth != n.MatrixWidth || m.MatrixHeight != n.MatrixHeight {
			t.Errorf("tile matrix %d: 1.0 %+v, 2.0 %+v", i, m, n)
		}
	}
}

func TestTileMatrixSets(t *testing.T) {
	f := newFixture(t, Config{})
	var doc tileMatrixSets
	decodeJSON(t, f.get(t, "/tileMatrixSets"), &doc)
	if len(doc.TileMatrixSets) != 1 || doc.TileMatrixSets[0].ID != webMercatorQuadID ||
		linkByRel(t, doc.TileMatrixSets[0].Links, "self").Href != "http://example.com/tileMatrixSets/WebMercatorQuad" {
		t.Errorf("tile matrix sets = %+v", doc)
	}
}
