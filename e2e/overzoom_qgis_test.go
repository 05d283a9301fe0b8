package e2e

import (
	"path/filepath"
	"testing"
)

// TestQGISOverzoom adds a tileset cut to zoom 4 to headless QGIS as a user
// does, by its XYZ URL with QGIS's default zoom range (0 to 14), and renders
// central Thailand at about zoom 10. QGIS does not overzoom: it asks the
// server for zoom-10 tiles, which must come back cut from the zoom-4 ones,
// and the land must be drawn in the fill colour, not left blank.
func TestQGISOverzoom(t *testing.T) {
	needQGIS(t)
	const maxZoom = 4
	srv := startOGCServer(t, maxZoom)
	png := filepath.Join(t.TempDir(), "overzoom.png")
	// 0.4° of central Thailand, all land, north of Bangkok.
	var rep struct {
		Valid     bool  `json:"valid"`
		Zooms     []int `json:"zooms"`
		RedPixels int   `json:"red_pixels"`
		Pixels    int   `json:"pixels"`
	}
	runQGIS(t, &rep, "overzoom_qgis.py",
		srv.URL+"/tiles/"+ogcBordersID+"/{z}/{x}/{y}.mvt", png, "100.3", "14.6", "100.7", "14.9")
	t.Logf("QGIS: %+v", rep)
	if !rep.Valid {
		t.Fatal("QGIS found the XYZ vector tile layer invalid")
	}
	if len(rep.Zooms) == 0 || rep.Zooms[0] <= maxZoom {
		t.Errorf("QGIS drew tiles of zooms %v; the test needs zooms above the max zoom %d", rep.Zooms, maxZoom)
	}
	// The extent is land: nearly every pixel is the fill's red.
	if rep.RedPixels < rep.Pixels*9/10 {
		t.Errorf("%d of %d pixels are the fill's red: the tiles above the max zoom came back blank", rep.RedPixels, rep.Pixels)
	}
	viewerKeep(t, png)
}
