package styles

import (
	"encoding/json"
	"strings"
)

// TextSymbol is a label layer of a tileset's style as a renderer other than
// MapLibre (the WMS) draws it: the text of one field of each feature, or a
// code standing for its value, in the style's font, size and colours, with
// sizes in pixels. A style has label layers only when it was built with
// Options.Glyphs (the server serves fonts).
type TextSymbol struct {
	// Field is the property whose text is drawn. When Codes is not nil,
	// the text drawn is Codes of the field's value instead (commodity
	// codes), and a value it lacks draws nothing.
	Field string
	Codes map[string]string
	// Fallback, when not empty, is the property drawn for a feature that
	// lacks Field (a place's own name where it has none in the style's
	// language).
	Fallback string
	// Geometry restricts the label to features of one geometry type,
	// "Polygon" or "Point" (with their multi forms); empty for any.
	Geometry string
	// Fonts are the fonts to draw with, the first holding a character
	// drawing it.
	Fonts []string
	// Size is the font size in pixels; HaloWidth the halo's in pixels.
	Size, HaloWidth float64
	// Colour and Halo are "#RRGGBB".
	Colour, Halo string
	// Anchor is the part of the text put at a point (MapLibre's
	// text-anchor: "center", "top", "bottom", …); Offset moves it, in ems,
	// x to the right and y down.
	Anchor string
	Offset [2]float64
	// MinZoom is the zoom (MapLibre's, 512-pixel tiles) from which the
	// label is drawn.
	MinZoom float64
}

// TextSymbols returns the style's label layers in drawing order; none for
// a style without any (no glyphs served, or a kind that has no labels).
func (st Style) TextSymbols() []TextSymbol {
	if st.Document == nil {
		return nil
	}
	var out []TextSymbol
	for _, l := range st.Document.Layers {
		if l.Type != "symbol" {
			continue
		}
		t, ok := textSymbol(l)
		if ok {
			out = append(out, t)
		}
	}
	return out
}

// textSymbol reads the label layers this package writes (see
// builder.text): a text-field of ["get", field], of a "coalesce" of two
// such (placeName), or of a "match" on a field with one string per list
// of values.
func textSymbol(l Layer) (TextSymbol, bool) {
	t := TextSymbol{MinZoom: l.MinZoom, Anchor: "center"}
	switch f := l.Layout["text-field"].(type) {
	case []any:
		if len(f) == 2 && f[0] == "get" {
			t.Field, _ = f[1].(string)
		} else if len(f) == 3 && f[0] == "coalesce" {
			first, _ := f[1].([]any)
			then, _ := f[2].([]any)
			if len(first) != 2 || first[0] != "get" || len(then) != 2 || then[0] != "get" {
				return t, false
			}
			t.Field, _ = first[1].(string)
			t.Fallback, _ = then[1].(string)
		} else if len(f) >= 3 && f[0] == "match" {
			get, _ := f[1].([]any)
			if len(get) != 2 || get[0] != "get" {
				return t, false
			}
			t.Field, _ = get[1].(string)
			t.Codes = map[string]string{}
			for i := 2; i+1 < len(f); i += 2 {
				text, _ := f[i+1].(string)
				values, _ := f[i].([]any)
				for _, v := range values {
					if s, ok := v.(string); ok {
						t.Codes[s] = text
					}
				}
			}
		}
	}
	if t.Field == "" {
		return t, false
	}
	t.Size, _ = l.Layout["text-size"].(float64)
	switch fonts := l.Layout["text-font"].(type) {
	case []string:
		t.Fonts = fonts
	case []any:
		for _, f := range fonts {
			if s, ok := f.(string); ok {
				t.Fonts = append(t.Fonts, s)
			}
		}
	}
	if a, ok := l.Layout["text-anchor"].(string); ok && a != "" {
		t.Anchor = a
	}
	switch o := l.Layout["text-offset"].(type) {
	case []float64:
		if len(o) == 2 {
			t.Offset = [2]float64{o[0], o[1]}
		}
	}
	t.Colour, _ = l.Paint["text-color"].(string)
	t.Halo, _ = l.Paint["text-halo-color"].(string)
	t.HaloWidth, _ = l.Paint["text-halo-width"].(float64)
	if l.Filter != nil {
		b, _ := json.Marshal(l.Filter)
		for _, g := range []string{"Polygon", "Point"} {
			if strings.Contains(string(b), `["geometry-type"],"`+g+`"`) {
				t.Geometry = g
			}
		}
	}
	return t, t.Size > 0 && len(t.Fonts) > 0
}
