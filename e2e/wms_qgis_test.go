//go:build cgo

package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
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
	if os.Getenv(qgisEnv) == "" && os.Getenv("CI") == "" {
		t.Skip("set " + qgisEnv + "=1 to run the QGIS tests (make test-clients does)")
	}
	needPython(t, "qgis.core", "qgis python3-qgis")
	srv := stylesServer(t)
	shot := filepath.Join(t.TempDir(), "wms_qgis.png")
	cmd := exec.Command(owslibPython, filepath.Join("testdata", "wms_qgis.py"), srv.URL+"/wms", stylesID, "geology-lithology", "105", "0", shot)
	cmd.Env = append(os.Environ(), "QT_QPA_PLATFORM=offscreen", "HOME="+t.TempDir())
	out, err := cmd.Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("wms_qgis.py: %v\n%s", err, ee.Stderr)
		}
		t.Fatal(err)
	}
	var rep struct {
		Valid     bool     `json:"valid"`
		Error     string   `json:"error"`
		Centre    [3]int   `json:"centre"`
		Errors    []string `json:"errors"`
		TextOK    bool     `json:"identify_text_capable"`
		HTMLOK    bool     `json:"identify_html_capable"`
		TextValid bool     `json:"text_valid"`
		Text      string   `json:"text"`
		HTMLValid bool     `json:"html_valid"`
		HTML      string   `json:"html"`
		TextError string   `json:"text_error"`
		HTMLError string   `json:"html_error"`
	}
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatalf("wms_qgis.py printed %q: %v", out, err)
	}
	t.Logf("QGIS: %+v", rep)
	if !rep.Valid {
		t.Fatalf("QGIS found the WMS layer invalid: %s", rep.Error)
	}
	if len(rep.Errors) > 0 {
		t.Errorf("QGIS rendering errors: %v", rep.Errors)
	}
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
