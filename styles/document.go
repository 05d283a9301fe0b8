package styles

import "math"

// Document is a MapLibre style (style specification version 8), limited to
// what QGIS's QgsMapBoxGlStyleConverter also reads: background, fill, line,
// circle and symbol layers (and raster layers, for a raster tileset); constant colours as #RRGGBB; "match" with
// array labels, "interpolate" on zoom, "get" and "geometry-type" in
// expressions; constant dash arrays. It marshals to the style JSON.
type Document struct {
	Version int    `json:"version"`
	Name    string `json:"name"`
	// Metadata holds "outcrop:legends", the legends the layers were built
	// from, so that a client holding only the style can draw its legend.
	Metadata map[string]any `json:"metadata,omitempty"`
	Center   []float64      `json:"center,omitempty"`
	Zoom     *float64       `json:"zoom,omitempty"`
	Glyphs   string         `json:"glyphs,omitempty"`
	// FontFaces are font files for text-font names ("font-faces", MapLibre
	// GL JS 6): the fonts of the complex scripts, which MapLibre shapes
	// from font files rather than glyph ranges.
	FontFaces map[string][]FontFace `json:"font-faces,omitempty"`
	Sources   map[string]Source     `json:"sources"`
	Layers    []Layer               `json:"layers"`
	// Terrain, when set, draws the map as 3D terrain from a raster-dem
	// source.
	Terrain *Terrain `json:"terrain,omitempty"`
}

// FontFace is one font file of a "font-faces" entry, used for the
// characters of its unicode ranges.
type FontFace struct {
	URL          string   `json:"url"`
	UnicodeRange []string `json:"unicode-range,omitempty"`
}

// Terrain is a style's 3D terrain: the raster-dem source its heights come
// from and how much they are exaggerated.
type Terrain struct {
	Source       string  `json:"source"`
	Exaggeration float64 `json:"exaggeration"`
}

// Source is a vector, raster or raster-dem source described by a TileJSON
// document.
type Source struct {
	Type string `json:"type"`
	URL  string `json:"url"`
	// TileSize is a raster source's tile width in pixels; 0 for vector.
	TileSize int `json:"tileSize,omitempty"`
	// Encoding is a raster-dem source's elevation encoding, as MapLibre
	// names it: "terrarium" or "mapbox" (Terrain-RGB).
	Encoding string `json:"encoding,omitempty"`
}

// Layer is one style layer. Filter, layout and paint values are JSON-ready
// values: strings, numbers, and []any for expressions.
type Layer struct {
	ID          string  `json:"id"`
	Type        string  `json:"type"`
	Source      string  `json:"source,omitempty"`
	SourceLayer string  `json:"source-layer,omitempty"`
	MinZoom     float64 `json:"minzoom,omitempty"`
	// Metadata carries hints for Outcrop's viewer ("outcrop:hatch"), which
	// other clients ignore, as the style specification lets them.
	Metadata map[string]any `json:"metadata,omitempty"`
	Filter   any            `json:"filter,omitempty"`
	Layout   map[string]any `json:"layout,omitempty"`
	Paint    map[string]any `json:"paint,omitempty"`
}

// arm is one branch of a "match": these values give this output.
type arm struct {
	values []string
	out    any
}

// match builds ["match", ["get", field], [values...], out, ..., fallback].
// Labels are always arrays, even of one value: QGIS's converter reads a
// paint property's match labels only as lists. With no arm, a "match" would
// be invalid, so the fallback alone is the value.
func match(field string, arms []arm, fallback any) any {
	if len(arms) == 0 {
		return fallback
	}
	e := []any{"match", []any{"get", field}}
	for _, a := range arms {
		e = append(e, literals(a.values), a.out)
	}
	return append(e, fallback)
}

// in builds a filter that holds when field is one of values (or, with
// negate, when it is not, which includes features without the field). QGIS
// turns the plain form into an IN, the negated one into a CASE.
func in(field string, values []string, negate bool) []any {
	return []any{"match", []any{"get", field}, literals(values), !negate, negate}
}

func literals(vs []string) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = v
	}
	return out
}

// byZoom builds ["interpolate", ["linear"], ["zoom"], z, v*scale, ...].
func byZoom(s stops, scale float64) []any {
	e := []any{"interpolate", []any{"linear"}, []any{"zoom"}}
	for _, st := range s {
		e = append(e, st[0], round3(st[1]*scale))
	}
	return e
}

// round3 keeps generated widths readable (1.08, not 1.0800000000000001).
func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// geometryIs builds a filter on the feature's simple geometry type
// ("Polygon", "LineString", "Point"; multi-geometries count as their part).
func geometryIs(t string) []any {
	return []any{"==", []any{"geometry-type"}, t}
}

// all joins filters, dropping nil ones; nil when none is left.
func all(filters ...[]any) any {
	var fs []any
	for _, f := range filters {
		if f != nil {
			fs = append(fs, f)
		}
	}
	switch len(fs) {
	case 0:
		return nil
	case 1:
		return fs[0]
	}
	return append([]any{"all"}, fs...)
}
