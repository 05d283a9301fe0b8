package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// qgisEnv turns the QGIS tests on outside CI. QGIS is a large install
// (Debian's qgis and python3-qgis), so these tests run in `make
// test-clients` and CI rather than in every `go test ./...`.
const qgisEnv = "OUTCROP_TEST_QGIS"

// qgisPython is Debian's interpreter, which has python3-qgis; a python3
// earlier on PATH (pyenv, a virtualenv) may not.
const qgisPython = owslibPython

// needQGIS skips t unless OUTCROP_TEST_QGIS or CI is set; when either is,
// QGIS's Python bindings must be installed, or t fails.
func needQGIS(t *testing.T) {
	t.Helper()
	if os.Getenv(qgisEnv) == "" && os.Getenv("CI") == "" {
		t.Skip("set " + qgisEnv + "=1 to run the QGIS tests (make test-clients does)")
	}
	needPython(t, "qgis.core", "qgis python3-qgis")
}

// runQGIS runs testdata/script (which draws on testdata/qgis_driver.py)
// with args in a headless QGIS of its own (offscreen Qt, a fresh HOME and
// XDG_RUNTIME_DIR, so that no QGIS profile or cache of another run
// answers), and decodes the one JSON document it prints into rep. It
// fails t when the script fails or prints anything else.
func runQGIS(t *testing.T, rep any, script string, args ...string) {
	t.Helper()
	cmd := exec.Command(qgisPython, append([]string{filepath.Join("testdata", script)}, args...)...)
	// The scripts import qgis_driver: no __pycache__ is written beside it.
	cmd.Env = append(os.Environ(), "QT_QPA_PLATFORM=offscreen", "HOME="+t.TempDir(), "XDG_RUNTIME_DIR="+t.TempDir(), "PYTHONDONTWRITEBYTECODE=1")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", script, err, stderr.String())
	}
	if err := json.Unmarshal(out, rep); err != nil {
		t.Fatalf("%s printed %q: %v\n%s", script, out, err, stderr.String())
	}
}

// qgisMap is what wms_qgis.py and wmts_qgis.py report of a WMS or WMTS
// layer (qgis_driver.layer_report and render): whether QGIS found it
// valid, and the map it drew.
type qgisMap struct {
	Valid  bool     `json:"valid"`
	Error  string   `json:"error"`
	Centre [3]int   `json:"centre"` // the colour of the map's centre pixel
	Errors []string `json:"errors"` // of the render job
}

// check fails t when QGIS found the layer, a what layer, invalid or met
// errors drawing it.
func (m qgisMap) check(t *testing.T, what string) {
	t.Helper()
	if !m.Valid {
		t.Fatalf("QGIS found the %s layer invalid: %s", what, m.Error)
	}
	if len(m.Errors) > 0 {
		t.Errorf("QGIS rendering errors: %v", m.Errors)
	}
}
