package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestQGISOverzoom adds a tileset cut to zoom 4 to headless QGIS as a user
// does, by its XYZ URL with QGIS's default zoom range (0 to 14), and renders
// central Thailand at about zoom 10. QGIS does not overzoom: it asks the
// server for zoom-10 tiles, which must come back cut from the zoom-4 ones,
// and the land must be drawn in the fill colour, not left blank.
func TestQGISOverzoom(t *testing.T) {
	if os.Getenv(qgisEnv) == "" {
		t.Skip("set " + qgisEnv + "=1 to run the QGIS tests (make test-clients does)")
	}
	if err := exec.Command(owslibPython, "-c", "import qgis.core").Run(); err != nil {
		t.Fatalf("%s is set but QGIS's Python bindings are missing for %s (Debian: qgis python3-qgis)", qgisEnv, owslibPython)
	}
	const maxZoom = 4
	srv := startOGCServer(t, maxZoom)
	png := filepath.Join(t.TempDir(), "overzoom.png")
	// 0.4° of central Thailand, all land, north of Bangkok.
	cmd := exec.Command(owslibPython, filepath.Join("testdata", "overzoom_qgis.py"),
		srv.URL+"/tiles/"+ogcBordersID+"/{z}/{x}/{y}.mvt", png, "100.3", "14.6", "100.7", "14.9")
	cmd.Env = append(os.Environ(), "QT_QPA_PLATFORM=offscreen", "HOME="+t.TempDir())
	out, err := cmd.Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("overzoom_qgis.py: %v\n%s", err, ee.Stderr)
		}
		t.Fatal(err)
	}
	var rep struct {
		Valid     bool  `json:"valid"`
		Zooms     []int `json:"zooms"`
		RedPixels int   `json:"red_pixels"`
		Pixels    int   `json:"pixels"`
	}
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatalf("overzoom_qgis.py printed %q: %v", out, err)
	}
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
