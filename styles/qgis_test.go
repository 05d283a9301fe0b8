package styles

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// qgisPython returns a Python interpreter that has QGIS's bindings, trying
// the system one too since a PATH python (pyenv, venv) usually lacks them.
func qgisPython() (string, bool) {
	for _, py := range []string{"python3", "/usr/bin/python3"} {
		if p, err := exec.LookPath(py); err == nil && exec.Command(p, "-c", "import qgis.core").Run() == nil {
			return p, true
		}
	}
	return "", false
}

// qgisReport is what testdata/qgis_convert.py prints.
type qgisReport struct {
	QGIS   string `json:"qgis"`
	Styles map[string]struct {
		Result   int      `json:"result"`
		Error    string   `json:"error"`
		Warnings []string `json:"warnings"`
		Renderer []struct {
			Name     string            `json:"name"`
			Layer    string            `json:"layer"`
			Geometry int               `json:"geometry"`
			Filter   string            `json:"filter"`
			MinZoom  int               `json:"minzoom"`
			Colour   string            `json:"colour"`
			Stroke   string            `json:"stroke"`
			LayerDD  map[string]string `json:"layer_dd"`
		} `json:"renderer"`
		Labeling []struct {
			Name    string `json:"name"`
			Field   string `json:"field"`
			MinZoom int    `json:"minzoom"`
		} `json:"labeling"`
	} `json:"styles"`
}

// TestStylesConvertInQGIS hands every generated style to QGIS's own
// QgsMapBoxGlStyleConverter, as QGIS does when a vector tile layer is given
// a style URL, and checks that no layer is skipped or degraded: one QGIS
// style per style layer, the legend's colours on each, no warning but a
// missing font (which is the machine's, not the style's).
func TestStylesConvertInQGIS(t *testing.T) {
	if testing.Short() {
		t.Skip("starts QGIS")
	}
	py, ok := qgisPython()
	if !ok {
		t.Skip("QGIS Python bindings not installed (Debian: apt-get install python3-qgis)")
	}
	files := writeStyles(t)
	args := []string{filepath.Join("testdata", "qgis_convert.py")}
	for _, w := range files {
		args = append(args, w.path)
	}
	cmd := exec.Command(py, args...)
	cmd.Env = append(cmd.Environ(), "QT_QPA_PLATFORM=offscreen", "XDG_RUNTIME_DIR="+t.TempDir())
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("qgis_convert.py: %v", err)
	}
	var rep qgisReport
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatalf("qgis_convert.py output: %v\n%s", err, out)
	}
	t.Logf("QGIS %s converted %d styles", rep.QGIS, len(rep.Styles))

	for _, w := range files {
		name := filepath.Base(w.path)
		got, ok := rep.Styles[name]
		if !ok {
			t.Errorf("%s: not converted", name)
			continue
		}
		if got.Result != 0 || got.Error != "" {
			t.Errorf("%s: result %d, error %q", name, got.Result, got.Error)
		}
		for _, warn := range got.Warnings {
			// QGIS's vector tile style converter skips raster and
			// hillshade layers: QGIS draws a raster tileset from its XYZ
			// tiles, not a style.
			if !strings.Contains(warn, "font") && !strings.Contains(warn, "unknown layer type raster") && !strings.Contains(warn, "unknown layer type hillshade") {
				t.Errorf("%s: QGIS warns %q", name, warn)
			}
		}
		var symbols, others int
		for _, l := range w.style.Document.Layers {
			if l.Type == "symbol" {
				symbols++
			} else if l.Type != "raster" && l.Type != "hillshade" {
				others++
			}
		}
		if len(got.Renderer) != others || len(got.Labeling) != symbols {
			t.Errorf("%s: QGIS made %d renderer and %d labeling styles of %d drawing and %d text layers",
				name, len(got.Renderer), len(got.Labeling), others, symbols)
			continue
		}
		// Each style layer keeps its id, source layer and colours.
		byName := map[string]int{}
		for i, r := range got.Renderer {
			byName[r.Name] = i
		}
		for _, l := range w.style.Document.Layers {
			i, ok := byName[l.ID]
			if l.Type == "symbol" || l.Type == "background" || l.Type == "raster" || l.Type == "hillshade" {
				continue
			}
			if !ok {
				t.Errorf("%s: layer %s lost", name, l.ID)
				continue
			}
			r := got.Renderer[i]
			if r.Layer != l.SourceLayer {
				t.Errorf("%s: %s reads layer %q, want %q", name, l.ID, r.Layer, l.SourceLayer)
			}
			for prop, v := range l.Paint {
				if !strings.HasSuffix(prop, "-color") {
					continue
				}
				c, constant := v.(string)
				switch {
				case !constant && len(r.LayerDD) == 0:
					// QGIS 3.22 files a data-driven circle colour on the
					// symbol, where it is ignored.
					t.Errorf("%s: %s: QGIS dropped the expression of %s", name, l.ID, prop)
				case !constant:
				case prop == "fill-outline-color" || prop == "circle-stroke-color":
					if !strings.EqualFold(r.Stroke, c) {
						t.Errorf("%s: %s has stroke %s in QGIS, %s in the style", name, l.ID, r.Stroke, c)
					}
				case !strings.EqualFold(r.Colour, c):
					t.Errorf("%s: %s is %s in QGIS, %s in the style", name, l.ID, r.Colour, c)
				}
			}
			if l.Filter != nil && r.Filter == "" {
				t.Errorf("%s: %s lost its filter", name, l.ID)
			}
		}
	}

	// The chart's colours survive into QGIS's data-defined fill colour.
	age := rep.Styles["gswa-geology.geology-age.json"]
	var fillDD string
	for _, r := range age.Renderer {
		if r.Name == "gswa-geology.fill" {
			fillDD = strings.Join(values(r.LayerDD), "\n")
		}
	}
	for _, want := range []string{"ischart/Permian') THEN '#f04028'", "ischart/Jurassic') THEN '#34b2c9'"} {
		if !strings.Contains(fillDD, want) {
			t.Errorf("QGIS fill of the age style lacks %q:\n%s", want, fillDD)
		}
	}
	// The commodity code and name labels reach QGIS's labeling.
	occ := rep.Styles["porphyry-copper.occurrences-commodity.glyphs.json"]
	if len(occ.Labeling) != 2 || !strings.Contains(occ.Labeling[0].Field, "THEN 'Cu'") || occ.Labeling[0].MinZoom != 9 ||
		occ.Labeling[1].Field != `"name"` || occ.Labeling[1].MinZoom != 10 {
		t.Errorf("QGIS labeling of occurrences = %+v, want the commodity code from zoom 9 and the name from 10", occ.Labeling)
	}
}

func values(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}
