package server

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/paulmach/orb/maptile"

	"github.com/outcrop/outcrop/server/viewer"
	"github.com/outcrop/outcrop/styles"
)

// TestFeatureInfoHTMLLanguage: WMS and WMTS GetFeatureInfo text/html is in
// the interface language a WMS client's Accept-Language asks for (QGIS
// sends its locale), its fixed words translated and no English one left,
// saying so in Content-Language and Vary; data (field names, values)
// unchanged; English still without a language asked for.
func TestFeatureInfoHTMLLanguage(t *testing.T) {
	fx := newWMSFixture(t, Config{})
	const z = 9
	at := func(lon, lat float64) (string, string) {
		col, row, x, y := tilePixel(lon, lat, z)
		b := mercatorBound(maptile.New(uint32(col), uint32(row), z))
		wms := fmt.Sprintf("/wms?SERVICE=WMS&REQUEST=GetFeatureInfo&VERSION=1.3.0&LAYERS=units&QUERY_LAYERS=units&STYLES=%s&CRS=EPSG:3857&BBOX=%f,%f,%f,%f&WIDTH=256&HEIGHT=256&FORMAT=image/png&I=%d&J=%d&INFO_FORMAT=text/html",
			styles.KindGeologyAge, b.Min[0], b.Min[1], b.Max[0], b.Max[1], x, y)
		return wms, restInfo("units", styles.KindGeologyAge, lon, lat, z, "html")
	}
	en, id := viewer.Strings("en"), viewer.Strings("id")
	english := []string{en["info.title"], en["info.none"], "feature 1", "Feature information", "No features found"}
	unitWMS, unitWMTS := at(116.2, -22.2)
	holeWMS, holeWMTS := at(116.5, -22.5) // the hole of unit 1: no feature
	for _, target := range []string{unitWMS, unitWMTS, holeWMS, holeWMTS} {
		w := serve(fx.h, httptestRequest(http.MethodGet, target, "Accept-Language", "id-ID,id;q=0.9,en;q=0.5"))
		body := w.Body.String()
		if w.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", target, w.Code, body)
		}
		if cl := w.Header().Get("Content-Language"); cl != "id" {
			t.Errorf("%s: Content-Language %q, want id", target, cl)
		}
		if vary := strings.Join(w.Header().Values("Vary"), ", "); !strings.Contains(vary, "Accept-Language") {
			t.Errorf("%s: Vary %q does not name Accept-Language", target, vary)
		}
		if !strings.Contains(body, `<html lang="id">`) || !strings.Contains(body, "<title>"+id["info.title"]+"</title>") {
			t.Errorf("%s: not an Indonesian page titled %q:\n%s", target, id["info.title"], body)
		}
		for _, e := range english {
			if strings.Contains(body, e) {
				t.Errorf("%s: English %q left in the Indonesian answer:\n%s", target, e, body)
			}
		}
		if target == unitWMS || target == unitWMTS {
			if !strings.Contains(body, "units: fitur 1") || !strings.Contains(body, "Granite &lt;one&gt;") || !strings.Contains(body, "<th>name</th>") {
				t.Errorf("%s: not the unit's table, captioned in Indonesian, with its fields as they are:\n%s", target, body)
			}
		} else if !strings.Contains(body, id["info.none"]) {
			t.Errorf("%s: does not say %q:\n%s", target, id["info.none"], body)
		}
	}
	// No language asked for: English, as before.
	w := serve(fx.h, httptestRequest(http.MethodGet, unitWMS))
	if cl := w.Header().Get("Content-Language"); cl != "en" || !strings.Contains(w.Body.String(), "units: feature 1") || !strings.Contains(w.Body.String(), "<title>Feature information</title>") {
		t.Errorf("no language asked: Content-Language %q\n%s", cl, w.Body)
	}

	// A raster's values page too.
	h := wmtsServer(t)
	w = serve(h, httptestRequest(http.MethodGet, "/wmts/1.0.0/depth/viridis/WebMercatorQuad/1/1/1/0/2.html", "Accept-Language", "id"))
	body := w.Body.String()
	if w.Code != http.StatusOK || w.Header().Get("Content-Language") != "id" || !strings.Contains(body, "<title>"+id["info.values"]+"</title>") ||
		!strings.Contains(body, " di ") || !strings.Contains(body, id["info.nodata"]) || strings.Contains(body, ">Values<") || strings.Contains(body, " at ") || strings.Contains(body, ">nodata<") {
		t.Errorf("raster values in Indonesian: %d %q\n%s", w.Code, w.Header().Get("Content-Language"), body)
	}
}
