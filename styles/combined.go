package styles

import (
	"fmt"
	"math"
	"sort"

	"github.com/outcrop/outcrop/tileset"
)

// CombinedID is the ID of the style that draws every tileset of the store.
// Tileset style IDs always hold a dot, so it cannot clash with one.
const CombinedID = "all"

// Input is one tileset given to Combined.
type Input struct {
	Meta   *tileset.Metadata
	Counts Counts
}

// layerRank orders the combined style's layers: rasters under polygons
// under lines under points, and text over everything.
var layerRank = map[string]int{"background": 0, "raster": 1, "fill": 2, "line": 3, "circle": 4, "symbol": 5}

// Combined generates one style for the whole store: each tileset drawn with
// its preferred style (the first of Kinds), its layers sorted by geometry
// so that no polygon hides a fault or an occurrence, tilesets in id order
// within each rank, a basemap (KindBasemap) under them all. It opens on the
// union of the tilesets' bounds.
func Combined(inputs []Input, opts Options) (Style, error) {
	if _, _, _, err := opts.resolve(); err != nil {
		return Style{}, err
	}
	in := append([]Input(nil), inputs...)
	for _, i := range in {
		if i.Meta == nil {
			return Style{}, fmt.Errorf("styles: combined style: a tileset without metadata")
		}
	}
	sort.Slice(in, func(a, b int) bool { return in[a].Meta.ID < in[b].Meta.ID })
	doc := &Document{Version: 8, Name: "Outcrop: all tilesets", Sources: map[string]Source{}}
	legends := []Legend{}
	var layers, basemap []Layer
	west, south, east, north := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, i := range in {
		if _, dup := doc.Sources[i.Meta.ID]; dup {
			return Style{}, fmt.Errorf("styles: combined style: tileset %q given twice", i.Meta.ID)
		}
		kind := Kinds(i.Meta)[0]
		s, err := ForKind(i.Meta, kind, i.Counts, opts)
		if err != nil {
			return Style{}, err
		}
		for id, src := range s.Document.Sources {
			doc.Sources[id] = src
		}
		doc.Glyphs = s.Document.Glyphs
		if s.Document.FontFaces != nil {
			doc.FontFaces = s.Document.FontFaces
		}
		switch {
		case kind == KindBasemap:
			// A basemap goes under every other layer, its sea as background;
			// its world-wide bounds are not what the map should open on.
			doc.Layers = []Layer{s.Document.Layers[0]}
			basemap = append(basemap, s.Document.Layers[1:]...)
			legends = append(legends, s.Legends...)
			continue
		case doc.Layers == nil:
			doc.Layers = []Layer{s.Document.Layers[0]} // one background for all
		}
		layers = append(layers, s.Document.Layers[1:]...)
		legends = append(legends, s.Legends...)
		if bb := i.Meta.Bounds; bb[0] < bb[2] && bb[1] < bb[3] {
			west, south = math.Min(west, bb[0]), math.Min(south, bb[1])
			east, north = math.Max(east, bb[2]), math.Max(north, bb[3])
		}
	}
	if doc.Layers == nil {
		p, err := loadPalettes()
		if err != nil {
			return Style{}, err
		}
		doc.Layers = []Layer{{ID: "background", Type: "background", Paint: map[string]any{"background-color": p.carto.Background}}}
	}
	sort.SliceStable(layers, func(a, b int) bool { return layerRank[layers[a].Type] < layerRank[layers[b].Type] })
	doc.Layers = append(append(doc.Layers, basemap...), layers...)
	doc.Metadata = map[string]any{"outcrop:legends": legends}
	if west <= east {
		z := fitZoom(east-west, north-south)
		doc.Center, doc.Zoom = []float64{(west + east) / 2, (south + north) / 2}, &z
	}
	return Style{ID: CombinedID, Kind: "combined", Title: doc.Name, Legends: legends, Document: doc}, nil
}

// fitZoom is the whole zoom level at which a box of dx by dy degrees fits a
// view of two 512-pixel tiles square (ignoring Mercator's stretch), near
// enough for the map a style opens on.
func fitZoom(dx, dy float64) float64 {
	z := math.Floor(math.Log2(math.Min(720/math.Max(dx, 1e-9), 360/math.Max(dy, 1e-9))))
	return math.Max(0, math.Min(z, 14))
}
