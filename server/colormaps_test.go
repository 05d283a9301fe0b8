package server

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/outcrop/outcrop/raster"
)

// TestColormaps: /colormaps lists every bundled ramp with the 256 colours
// tiles are drawn in, low end first, and names the default.
func TestColormaps(t *testing.T) {
	h := rasterServer(t)
	w := serve(h, httptestRequest(http.MethodGet, "/colormaps"))
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	var doc colormapList
	decodeJSON(t, w, &doc)
	if doc.Default != raster.DefaultRamp {
		t.Errorf("default %q, want %q", doc.Default, raster.DefaultRamp)
	}
	var names []string
	for _, cm := range doc.Colormaps {
		names = append(names, cm.Name)
		ramp := raster.RampByName(cm.Name)
		if ramp == nil || cm.Description == "" || len(cm.Colours) != 256 {
			t.Errorf("colormap %q: %d colours, description %q", cm.Name, len(cm.Colours), cm.Description)
			continue
		}
		hex := func(t float64) string {
			c := ramp.Colour(t)
			return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B)
		}
		if cm.Colours[0] != hex(0) || cm.Colours[128] != hex(128.0/255) || cm.Colours[255] != hex(1) {
			t.Errorf("colormap %q: colours %s %s %s, want the ramp's %s %s %s", cm.Name,
				cm.Colours[0], cm.Colours[128], cm.Colours[255], hex(0), hex(128.0/255), hex(1))
		}
	}
	for _, want := range []string{"cividis", "rdbu", "terrain", "viridis"} {
		if !slices.Contains(names, want) {
			t.Errorf("colormaps %q lack %q", names, want)
		}
	}
}
