//go:build cgo

package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
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

// TestWMSQGISUTM adds the units to headless QGIS as a WMS layer in a UTM
// zone, on a map in that CRS, in the age style, centred on a unit's edge
// with 50 km either side. QGIS must draw the unit's colour 25 km inside
// the edge and the background 25 km outside it, and its identify (text,
// HTML and features) must answer the unit inside and nothing outside. The
// server must see every GetMap and GetFeatureInfo asked in that CRS, so
// QGIS neither fell back to another CRS nor warped.
//
//   - WGS 84 / UTM 50N (EPSG:32650): Beta's west edge, 115 E 2.5 N
//     (277,615 m E 276,496 m N by PROJ), in the zone's area of use.
//   - WGS 84 / UTM 48N (EPSG:32648): Alpha's east edge, 110 E 0 N
//     (1,057,087 m E by PROJ), 2 degrees beyond the zone's area of use.
//     QGIS draws a layer no further than its BoundingBox in the CRS, so
//     this fails when the capabilities clip that box to the area.
func TestWMSQGISUTM(t *testing.T) {
	if os.Getenv(qgisEnv) == "" && os.Getenv("CI") == "" {
		t.Skip("set " + qgisEnv + "=1 to run the QGIS tests (make test-clients does)")
	}
	needPython(t, "qgis.core", "qgis python3-qgis")
	srv := stylesServer(t)
	target, _ := url.Parse(srv.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	var mu sync.Mutex
	var asked []url.Values
	rec := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := url.Values{}
		for k, v := range r.URL.Query() {
			q[strings.ToUpper(k)] = v
		}
		mu.Lock()
		asked = append(asked, q)
		mu.Unlock()
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(rec.Close)
	for _, c := range []struct {
		crs          string
		edgeX, edgeY int
		inward       int // +1 when the unit lies east of the edge
		unit, other  string
		age          string
	}{
		{"EPSG:32650", 277615, 276496, +1, "Beta", "Alpha", jurassic},
		{"EPSG:32648", 1057087, 0, -1, "Alpha", "Beta", permian},
	} {
		t.Run(c.crs, func(t *testing.T) {
			mu.Lock()
			asked = nil
			mu.Unlock()
			shot := filepath.Join(t.TempDir(), "wms_utm_qgis.png")
			cmd := exec.Command(owslibPython, filepath.Join("testdata", "wms_utm_qgis.py"), rec.URL+"/wms", stylesID, "geology-age", c.crs,
				strconv.Itoa(c.edgeX), strconv.Itoa(c.edgeY), "50000", shot,
				fmt.Sprintf("%d,%d", c.edgeX+c.inward*25000, c.edgeY), fmt.Sprintf("%d,%d", c.edgeX-c.inward*25000, c.edgeY))
			cmd.Env = append(os.Environ(), "QT_QPA_PLATFORM=offscreen", "HOME="+t.TempDir())
			out, err := cmd.Output()
			if err != nil {
				if ee, ok := err.(*exec.ExitError); ok {
					t.Fatalf("wms_utm_qgis.py: %v\n%s", err, ee.Stderr)
				}
				t.Fatal(err)
			}
			type answer struct {
				Valid bool     `json:"valid"`
				Error string   `json:"error"`
				Body  string   `json:"body"`
				Names []string `json:"names"`
			}
			var rep struct {
				Valid     bool     `json:"valid"`
				Error     string   `json:"error"`
				LayerCRS  string   `json:"layer_crs"`
				Errors    []string `json:"errors"`
				TextOK    bool     `json:"identify_text_capable"`
				HTMLOK    bool     `json:"identify_html_capable"`
				FeatureOK bool     `json:"identify_feature_capable"`
				Probes    []struct {
					Pixel   [2]int `json:"pixel"`
					Colour  [3]int `json:"colour"`
					Text    answer `json:"text"`
					HTML    answer `json:"html"`
					Feature answer `json:"feature"`
				} `json:"probes"`
			}
			if err := json.Unmarshal(out, &rep); err != nil {
				t.Fatalf("wms_utm_qgis.py printed %q: %v", out, err)
			}
			t.Logf("QGIS: %s", out)
			if !rep.Valid || rep.LayerCRS != c.crs || len(rep.Probes) != 2 {
				t.Fatalf("QGIS's WMS layer: valid %v (%s), CRS %q, want %s; %d probes", rep.Valid, rep.Error, rep.LayerCRS, c.crs, len(rep.Probes))
			}
			if len(rep.Errors) > 0 {
				t.Errorf("QGIS rendering errors: %v", rep.Errors)
			}
			if !rep.TextOK || !rep.HTMLOK || !rep.FeatureOK {
				t.Errorf("QGIS offers identify as text %v, HTML %v, features %v; want all three from the capabilities", rep.TextOK, rep.HTMLOK, rep.FeatureOK)
			}
			unitColour := legendColour(t, srv.URL, stylesID, "geology-age", c.age)
			for k, p := range rep.Probes {
				in := k == 0
				where, want, name := "25 km inside "+c.unit, unitColour, c.unit
				if !in {
					where, want, name = "25 km outside "+c.unit, "#FFFFFF", ""
				}
				if got := hexOf(uint32(p.Colour[0]), uint32(p.Colour[1]), uint32(p.Colour[2])); got != want {
					t.Errorf("QGIS drew %s %s (pixel %v) in %s, want %s", got, where, p.Pixel, c.crs, want)
				}
				for format, a := range map[string]answer{"text": p.Text, "html": p.HTML} {
					if !a.Valid || strings.Contains(a.Body, c.unit) != in || strings.Contains(a.Body, c.other) {
						t.Errorf("identify as %s %s in %s: valid %v %s, %q", format, where, c.crs, a.Valid, a.Error, a.Body)
					}
				}
				if got := strings.Join(p.Feature.Names, ","); !p.Feature.Valid || got != name {
					t.Errorf("identify as features %s in %s: valid %v %s, names %q, want %q", where, c.crs, p.Feature.Valid, p.Feature.Error, got, name)
				}
			}
			mu.Lock()
			defer mu.Unlock()
			counts := map[string]int{}
			for _, q := range asked {
				req := q.Get("REQUEST")
				if req != "GetMap" && req != "GetFeatureInfo" {
					continue
				}
				counts[req]++
				if got := q.Get("CRS") + q.Get("SRS"); got != c.crs {
					t.Errorf("QGIS asked %s in %q, want %s: %v", req, got, c.crs, q)
				}
			}
			if counts["GetMap"] == 0 || counts["GetFeatureInfo"] < 6 {
				t.Errorf("QGIS asked %v of the server; want GetMap, and GetFeatureInfo for each identify", counts)
			}
			viewerKeep(t, shot)
		})
	}
}
