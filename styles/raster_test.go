package styles

import (
	"fmt"
	"testing"

	"github.com/outcrop/outcrop/raster"
	"github.com/outcrop/outcrop/tileset"
)

// TestRasterStyle: a raster tileset's preferred style is a raster layer of
// its TileJSON source with the tiles' size, whose legend lists the default
// ramp's colours from the band's p2 to its p98, with units.
func TestRasterStyle(t *testing.T) {
	meta := rasterMeta()
	if k := Kinds(meta); len(k) != 2 || k[0] != KindRaster || k[1] != KindTerrain {
		t.Fatalf("Kinds = %q, want [raster terrain]", k)
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

// TestTerrainStyle: a single-band raster offers a terrain style: the
// colours of the raster style under a hillshade layer of a raster-dem
// source, the tileset's Terrarium TileJSON declared as MapLibre expects
// (encoding terrarium, the tiles' size); for metres, also 3D terrain from a
// second raster-dem source of the same tiles. A colour scan (three bands)
// offers the raster style only.
func TestTerrainStyle(t *testing.T) {
	for _, c := range []struct {
		name    string
		metres  bool
		tileset func() *tileset.Metadata
	}{{"metres", true, demMeta}, {"kilometres", false, rasterMeta}} {
		meta := c.tileset()
		st, err := ForKind(meta, KindTerrain, nil, Options{Base: testBase})
		if err != nil {
			t.Fatal(err)
		}
		doc := decoded(t, st)
		sources := doc["sources"].(map[string]any)
		dem, _ := sources[meta.ID+"-dem"].(map[string]any)
		wantURL := testBase + "/tiles/" + meta.ID + ".json?encoding=terrarium"
		if dem["type"] != "raster-dem" || dem["url"] != wantURL || dem["encoding"] != "terrarium" || dem["tileSize"] != 256.0 {
			t.Errorf("%s: raster-dem source %v, want %s, encoding terrarium, tileSize 256", c.name, dem, wantURL)
		}
		layers := doc["layers"].([]any)
		var types []string
		for _, l := range layers {
			types = append(types, l.(map[string]any)["type"].(string))
		}
		if len(types) != 3 || types[1] != "raster" || types[2] != "hillshade" || layers[2].(map[string]any)["source"] != meta.ID+"-dem" {
			t.Errorf("%s: layers %q, want background, raster, then a hillshade of the raster-dem source", c.name, types)
		}
		terrain, has := doc["terrain"].(map[string]any)
		if has != c.metres {
			t.Errorf("%s: terrain %v, want one only for metres", c.name, doc["terrain"])
		}
		if c.metres {
			src, _ := sources[terrain["source"].(string)].(map[string]any)
			if terrain["source"] == meta.ID+"-dem" || src["type"] != "raster-dem" || src["url"] != wantURL || terrain["exaggeration"] != 1.0 {
				t.Errorf("terrain %v from source %v, want its own raster-dem source of %s", terrain, src, wantURL)
			}
		}
		if len(st.Legends) != 1 || len(st.Legends[0].Entries) != 5 {
			t.Errorf("%s: legend %+v, want the ramp's five entries", c.name, st.Legends)
		}
	}
	scan := demMeta()
	scan.Raster.Bands = append(scan.Raster.Bands, scan.Raster.Bands[0], scan.Raster.Bands[0])
	if k := Kinds(scan); len(k) != 1 || k[0] != KindRaster {
		t.Errorf("a three-band raster offers %q, want [raster]", k)
	}
	if _, err := mustStyles(t, demMeta(), nil, Options{Base: testBase})[1].SLD("srtm"); err == nil {
		t.Error("a terrain style has an SLD")
	}
}
