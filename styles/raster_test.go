package styles

import (
	"fmt"
	"testing"

	"github.com/outcrop/outcrop/raster"
)

// TestRasterStyle: a raster tileset offers one style, a raster layer of
// its TileJSON source with the tiles' size, whose legend lists the default
// ramp's colours from the band's p2 to its p98, with units.
func TestRasterStyle(t *testing.T) {
	meta := rasterMeta()
	if k := Kinds(meta); len(k) != 1 || k[0] != KindRaster {
		t.Fatalf("Kinds = %q, want [raster]", k)
	}
	all := mustStyles(t, meta, nil, Options{Base: testBase})
	st := all[0]
	if st.ID != "slab-depth.raster" {
		t.Errorf("style id %q", st.ID)
	}
	doc := decoded(t, st)
	src := doc["sources"].(map[string]any)["slab-depth"].(map[string]any)
	if src["type"] != "raster" || src["url"] != testBase+"/tiles/slab-depth.json" || src["tileSize"] != 256.0 {
		t.Errorf("source %v, want the raster TileJSON with tileSize 256", src)
	}
	layers := doc["layers"].([]any)
	if len(layers) != 2 || layers[1].(map[string]any)["type"] != "raster" || layers[1].(map[string]any)["source"] != "slab-depth" {
		t.Fatalf("layers %v, want the background and one raster layer", layers)
	}
	leg := st.Legends[0]
	ramp := raster.RampByName(raster.DefaultRamp)
	hex := func(f float64) string { c := ramp.Colour(f); return fmt.Sprintf("#%02X%02X%02X", c.R, c.G, c.B) }
	if leg.Symbol != "ramp" || len(leg.Entries) != 5 {
		t.Fatalf("legend %+v, want five ramp entries", leg)
	}
	first, last := leg.Entries[0], leg.Entries[4]
	if first.Label != "-600 km" || first.Colour != hex(0) || last.Label != "-8 km" || last.Colour != hex(1) || leg.Entries[2].Label != "-304 km" {
		t.Errorf("legend entries %+v; want -600 km in %s to -8 km in %s", leg.Entries, hex(0), hex(1))
	}
}

// TestCombinedStyleDrawsRastersUnderPolygons: a store with a raster and a
// geological map has a combined style, the raster under the map's fills.
func TestCombinedStyleDrawsRastersUnderPolygons(t *testing.T) {
	c, err := Combined([]Input{{geologyMeta(), geologyCounts()}, {rasterMeta(), nil}}, Options{Base: testBase})
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, l := range c.Document.Layers {
		types = append(types, l.Type)
	}
	if len(types) < 3 || types[0] != "background" || types[1] != "raster" || types[2] != "fill" {
		t.Errorf("combined layer types %q; want background, raster, then the fills", types)
	}
}
