package styles

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/outcrop/outcrop/raster"
	"github.com/outcrop/outcrop/tileset"
)

// rasterLegendStops are the places along the ramp a raster legend lists.
var rasterLegendStops = []float64{0, 0.25, 0.5, 0.75, 1}

// isRaster tells whether meta is a raster tileset's.
func isRaster(meta *tileset.Metadata) bool {
	return meta.Kind == tileset.KindRaster && meta.Raster != nil && len(meta.Raster.Bands) > 0
}

// raster draws a raster tileset as the server renders its tiles by
// default: the first band through raster.DefaultRamp from its stored 2nd
// to 98th percentile. The legend lists the ramp's colour at five values
// from the low end to the high end ("ramp" symbols), with units.
func (b *builder) raster(leg *Legend) []Layer {
	l := Layer{ID: b.prefix + "raster", Type: "raster", Source: b.sourceID,
		// Each stored value is a cell of one colour, as the data is.
		Paint: map[string]any{"raster-resampling": "nearest"}}
	band := b.meta.Raster.Bands[0]
	leg.Symbol = "ramp"
	leg.Entries = []Entry{}
	if band.Stats == nil {
		return []Layer{l}
	}
	lo, hi := band.Stats.Percentiles["p2"], band.Stats.Percentiles["p98"]
	ramp := raster.RampByName(raster.DefaultRamp)
	units := ""
	if band.Units != "" {
		units = " " + band.Units
	}
	for _, t := range rasterLegendStops {
		c := ramp.Colour(t)
		v := lo + t*(hi-lo)
		leg.Entries = append(leg.Entries, Entry{
			Label:  strconv.FormatFloat(v, 'g', 6, 64) + units,
			Colour: fmt.Sprintf("#%02X%02X%02X", c.R, c.G, c.B),
			Values: []string{strconv.FormatFloat(v, 'g', -1, 64)},
		})
	}
	return []Layer{l}
}

// RasterKind tells whether styles of kind draw a raster tileset, which
// SLD and QML cannot.
func RasterKind(kind string) bool { return kind == KindRaster || kind == KindTerrain }

// hasSurface tells whether meta is a raster whose values can be read as a
// surface: a single band (colour scans have three or four).
func hasSurface(meta *tileset.Metadata) bool {
	return isRaster(meta) && len(meta.Raster.Bands) == 1
}

// inMetres tells whether units name metres.
func inMetres(units string) bool {
	switch strings.ToLower(strings.TrimSpace(units)) {
	case "m", "metre", "metres", "meter", "meters":
		return true
	}
	return false
}

// DEMEncoding is the elevation encoding of the raster-dem sources of
// terrain styles: Terrarium, whose steps of 1/256 m over ±32768 m suit
// elevations better than Terrain-RGB's 0.1 m.
const DEMEncoding = raster.Terrarium

// terrain adds to doc, a raster style of b's tileset, a raster-dem source
// of its tiles encoded as Terrarium elevations (the TileJSON variant
// ?encoding=terrarium) and a hillshade layer of it over the colours; for a
// band in metres, also the style's 3D terrain, from a second raster-dem
// source of the same tiles, as MapLibre advises (a source shared by
// hillshade and terrain is drawn at the terrain's lower zooms).
func (b *builder) terrain(doc *Document) {
	dem := Source{Type: "raster-dem", URL: b.source.URL + "?encoding=" + DEMEncoding, TileSize: b.meta.Raster.TileSize, Encoding: DEMEncoding}
	hill := b.sourceID + "-dem"
	doc.Sources[hill] = dem
	doc.Layers = append(doc.Layers, Layer{ID: b.prefix + "hillshade", Type: "hillshade", Source: hill,
		Paint: map[string]any{"hillshade-exaggeration": 0.5, "hillshade-illumination-direction": 315}})
	if inMetres(b.meta.Raster.Bands[0].Units) {
		id := b.sourceID + "-terrain"
		doc.Sources[id] = dem
		doc.Terrain = &Terrain{Source: id, Exaggeration: 1}
	}
}
