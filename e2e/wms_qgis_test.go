//go:build cgo

package e2e

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestWMSQGIS adds the units to headless QGIS as a WMS layer in
// EPSG:3857 in the lithology style, as a user adds /wms by URL, and checks
// the colour QGIS drew at Alpha's centre is the style's colour for its
// granite, and that QGIS's identify there (GetFeatureInfo, as text and as
// HTML) answers Alpha.
func TestWMSQGIS(t *testing.T) {
	needQGIS(t)
	srv := stylesServer(t)
	shot := filepath.Join(t.TempDir(), "wms_qgis.png")
	var rep struct {
		qgisMap
		TextOK    bool   `json:"identify_text_capable"`
		HTMLOK    bool   `json:"identify_html_capable"`
		TextValid bool   `json:"text_valid"`
		Text      string `json:"text"`
		HTMLValid bool   `json:"html_valid"`
		HTML      string `json:"html"`
		TextError string `json:"text_error"`
		HTMLError string `json:"html_error"`
	}
	runQGIS(t, &rep, "wms_qgis.py", srv.URL+"/wms", stylesID, "geology-lithology", "105", "0", shot)
	t.Logf("QGIS: %+v", rep)
	rep.check(t, "WMS")
	want := legendColour(t, srv.URL, stylesID, "geology-lithology", granitePalette)
	if got := hexOf(uint32(rep.Centre[0]), uint32(rep.Centre[1]), uint32(rep.Centre[2])); got != want {
		t.Errorf("QGIS drew %s at Alpha's centre, want acidic igneous material's %s", got, want)
	}
	if !rep.TextOK || !rep.HTMLOK {
		t.Errorf("QGIS offers identify as text %v, as HTML %v; want both from the capabilities' GetFeatureInfo formats", rep.TextOK, rep.HTMLOK)
	}
	// Alpha's name is its code here; Beta lies 5° away.
	if !rep.TextValid || !strings.Contains(rep.Text, "Alpha") || strings.Contains(rep.Text, "Beta") {
		t.Errorf("identify as text at Alpha's centre: valid %v, %q %s", rep.TextValid, rep.Text, rep.TextError)
	}
	if !rep.HTMLValid || !strings.Contains(rep.HTML, "Alpha") || strings.Contains(rep.HTML, "Beta") {
		t.Errorf("identify as HTML at Alpha's centre: valid %v, %q %s", rep.HTMLValid, rep.HTML, rep.HTMLError)
	}
	viewerKeep(t, shot)
}
