package styles

import "slices"

// Symbol is how the features of one legend entry of a tileset's style are
// drawn by a renderer other than MapLibre (the WMS): the legend's colours,
// which are the MapLibre style's, with sizes in pixels at the deepest zoom
// of each zoom table, as the SLD and QML encodings give them.
type Symbol struct {
	// Kind is the entry's symbol: "fill", "line" or "circle".
	Kind string
	// Fill is a fill's or circle's colour, "#RRGGBB"; empty for a line.
	Fill string
	// Stroke is the line, outline or circle stroke colour; empty for none.
	Stroke string
	// Opacity is the fill's, from 0 to 1.
	Opacity float64
	// StrokeWidth is in pixels; Size is a circle's diameter in pixels.
	StrokeWidth, Size float64
	// Dash is the stroke's dash pattern in pixels, dash then gap; nil for
	// solid.
	Dash []float64
	// Label is the entry's label.
	Label string
	// Field and Values select the features the symbol draws: those whose
	// Field holds one of Values.
	Field  string
	Values []string
	// Fallback draws the features no other symbol selects; All draws every
	// feature (single-symbol styles).
	Fallback, All bool
}

// Symbols returns the symbols of a tileset's style, one per legend entry
// that draws features, in legend order; it is an error for the combined
// and raster styles, which have no per-feature symbols.
func (st Style) Symbols() ([]Symbol, error) {
	syms, err := st.symbols()
	if err != nil {
		return nil, err
	}
	out := make([]Symbol, len(syms))
	for i, s := range syms {
		out[i] = Symbol{
			Kind: s.kind, Fill: s.fill, Stroke: s.stroke, Opacity: s.opacity,
			StrokeWidth: s.strokeWidth, Size: s.size, Dash: slices.Clone(s.dash),
			Label: s.label, Field: s.field, Values: slices.Clone(s.values),
			Fallback: s.fallback, All: s.singleFeatures,
		}
	}
	return out, nil
}
