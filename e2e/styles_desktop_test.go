//go:build cgo

package e2e

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/outcrop/outcrop/styles"
	"github.com/outcrop/outcrop/vocab"
)

// TestDesktopStylesInQGIS: QGIS loads the units as an OGC API - Features
// layer, which by itself it would draw in one random colour, applies the
// served SLD (QgsVectorLayer.loadSldStyle) and then the served QML, and
// with each draws every unit in the exact colour the ICS chart gives its
// age in the vocabulary. The collection links both encodings.
func TestDesktopStylesInQGIS(t *testing.T) {
	qgisNeeds(t)
	srv := stylesServer(t)
	var coll struct {
		Links []struct{ Href, Rel, Type string }
	}
	getJSONDoc(t, srv.URL+"/collections/"+stylesID, &coll)
	hrefs := map[string]string{}
	for _, l := range coll.Links {
		if l.Rel == "describedby" {
			hrefs[l.Type] = l.Href
		}
	}
	sld, qml := hrefs[styles.SLDType], hrefs[styles.QMLType]
	if sld != srv.URL+"/styles/units.geology-age.sld" || qml != srv.URL+"/styles/units.geology-age.qml" {
		t.Fatalf("the collection links SLD %q and QML %q; want the preferred style's, units.geology-age", sld, qml)
	}
	places, _ := json.Marshal(map[string][2]float64{"alpha": viewerPlaces["alpha"], "beta": viewerPlaces["beta"], "gap": viewerPlaces["gap"]})
	dir := t.TempDir()
	var rep struct {
		QGIS        string            `json:"qgis"`
		Valid       bool              `json:"valid"`
		Features    int               `json:"features"`
		SLDType     string            `json:"sld_type"`
		QMLType     string            `json:"qml_type"`
		SLDLoaded   bool              `json:"sld_loaded"`
		QMLLoaded   bool              `json:"qml_loaded"`
		SLDMessage  string            `json:"sld_message"`
		QMLMessage  string            `json:"qml_message"`
		SLDRenderer string            `json:"sld_renderer"`
		QMLRenderer string            `json:"qml_renderer"`
		SLDPixels   map[string]string `json:"sld_pixels"`
		QMLPixels   map[string]string `json:"qml_pixels"`
	}
	runQGIS(t, &rep, "qgis_desktop_styles.py", srv.URL, stylesID, sld, qml, "98,-7,127,7", string(places), dir)
	t.Logf("QGIS %s: %+v", rep.QGIS, rep)
	if !rep.Valid || rep.Features != 2 {
		t.Fatalf("QGIS: OAPIF layer valid %v with %d features, want 2", rep.Valid, rep.Features)
	}
	if rep.SLDType != styles.SLDType || rep.QMLType != styles.QMLType {
		t.Errorf("served as %q and %q", rep.SLDType, rep.QMLType)
	}
	ics := func(uri string) string {
		c, ok := vocab.Lookup(uri)
		if !ok || c.Time == nil {
			t.Fatalf("%s is not an ICS unit of the vocabulary", uri)
		}
		return strings.ToLower(c.Time.Colour)
	}
	want := map[string]string{"alpha": ics(permian), "beta": ics(jurassic), "gap": "#ffffff"}
	for enc, r := range map[string]struct {
		loaded   bool
		msg, typ string
		pixels   map[string]string
	}{
		"SLD": {rep.SLDLoaded, rep.SLDMessage, rep.SLDRenderer, rep.SLDPixels},
		"QML": {rep.QMLLoaded, rep.QMLMessage, rep.QMLRenderer, rep.QMLPixels},
	} {
		if !r.loaded || r.typ != "RuleRenderer" {
			t.Errorf("%s: loaded %v (%q), renderer %q; want a rule-based renderer", enc, r.loaded, r.msg, r.typ)
		}
		for place, colour := range want {
			if r.pixels[place] != colour {
				t.Errorf("%s: QGIS drew %s in %s, want %s", enc, place, r.pixels[place], colour)
			}
		}
	}
	for _, f := range []string{"units-sld.png", "units-qml.png"} {
		viewerKeep(t, filepath.Join(dir, f))
	}
}
