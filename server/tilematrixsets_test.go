package server

import (
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

func TestTileMatrixSets(t *testing.T) {
	f := newFixture(t, Config{})
	var doc tileMatrixSets
	decodeJSON(t, f.get(t, "/tileMatrixSets"), &doc)
	if len(doc.TileMatrixSets) != 1 || doc.TileMatrixSets[0].ID != webMercatorQuadID ||
		linkByRel(t, doc.TileMatrixSets[0].Links, "self").Href != "http://example.com/tileMatrixSets/WebMercatorQuad" {
		t.Errorf("tile matrix sets = %+v", doc)
	}
}
