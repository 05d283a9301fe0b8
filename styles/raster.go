package styles

import (
	"fmt"
	"strconv"

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
