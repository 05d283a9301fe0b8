package styles

import (
	"slices"
	"strconv"
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
	// Where the style's size is a zoom table (MapLibre's "interpolate" on
	// zoom, linear), SizeStops holds its [zoom, size] stops and Size the
	// last stop's size; SizeAt gives the size at a zoom.
	Size, HaloWidth float64
	SizeStops       [][2]float64
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
	// Where are the layer's conditions on properties other than the
	// geometry type: a feature is labelled when it meets all of them
	// (Selects).
	Where []Condition
	// SortKey, when not empty, is the property whose value orders the
	// labels, lowest first (MapLibre's symbol-sort-key of ["get", field]):
	// the more important places win where labels collide.
	SortKey string
}

// Condition is a filter term of a label layer: Field holds one of Values
// (numbers written as strconv.FormatFloat's shortest form).
type Condition struct {
	Field  string
	Values []string
}

// SizeAt is the symbol's font size in pixels at zoom (MapLibre's, 512-pixel
// tiles): Size, or SizeStops interpolated linearly and held past its ends.
func (t *TextSymbol) SizeAt(zoom float64) float64 {
	st := t.SizeStops
	if len(st) == 0 {
		return t.Size
	}
	if zoom <= st[0][0] {
		return st[0][1]
	}
	for i := 1; i < len(st); i++ {
		if zoom <= st[i][0] {
			a, b := st[i-1], st[i]
			return a[1] + (b[1]-a[1])*(zoom-a[0])/(b[0]-a[0])
		}
	}
	return st[len(st)-1][1]
}

// Selects tells whether a feature whose property values get gives meets
// every condition of Where; a number matches a value of the same number
// however it is written.
func (t *TextSymbol) Selects(get func(field string) (string, bool)) bool {
	for _, c := range t.Where {
		v, ok := get(c.Field)
		if !ok || !slices.ContainsFunc(c.Values, func(w string) bool { return sameValue(v, w) }) {
			return false
		}
	}
	return true
}

// sameValue tells whether a and b are the same text or the same number.
func sameValue(a, b string) bool {
	if a == b {
		return true
	}
	x, err1 := strconv.ParseFloat(a, 64)
	y, err2 := strconv.ParseFloat(b, 64)
	return err1 == nil && err2 == nil && x == y
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
	switch size := l.Layout["text-size"].(type) {
	case float64:
		t.Size = size
	case []any:
		var ok bool
		if t.SizeStops, ok = zoomStops(size); !ok {
			return t, false
		}
		t.Size = t.SizeStops[len(t.SizeStops)-1][1]
	}
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
	case []any:
		if len(o) == 2 {
			x, ok1 := number(o[0])
			y, ok2 := number(o[1])
			if !ok1 || !ok2 {
				return t, false
			}
			t.Offset = [2]float64{x, y}
		}
	}
	t.Colour, _ = l.Paint["text-color"].(string)
	t.Halo, _ = l.Paint["text-halo-color"].(string)
	t.HaloWidth, _ = l.Paint["text-halo-width"].(float64)
	if key, ok := l.Layout["symbol-sort-key"].([]any); ok {
		if len(key) != 2 || key[0] != "get" {
			return t, false
		}
		t.SortKey, _ = key[1].(string)
	}
	if l.Filter != nil && !t.readFilter(l.Filter) {
		return t, false
	}
	return t, t.Size > 0 && len(t.Fonts) > 0
}

// readFilter reads the filter forms this package writes into Geometry and
// Where: "all" of terms, each ["==", ["geometry-type"], type], ["==",
// ["get", field], value] or ["match", ["get", field], values, true,
// false]; false for any other form, which the layer is then not read for,
// rather than labelling features the style does not.
func (t *TextSymbol) readFilter(f any) bool {
	e, _ := f.([]any)
	if len(e) == 0 {
		return false
	}
	switch e[0] {
	case "all":
		for _, term := range e[1:] {
			if !t.readFilter(term) {
				return false
			}
		}
		return true
	case "==":
		if len(e) != 3 {
			return false
		}
		if g, _ := e[1].([]any); len(g) == 1 && g[0] == "geometry-type" {
			t.Geometry, _ = e[2].(string)
			return t.Geometry == "Polygon" || t.Geometry == "Point" || t.Geometry == "LineString"
		}
		field, ok := getField(e[1])
		v, isValue := filterValue(e[2])
		if !ok || !isValue {
			return false
		}
		t.Where = append(t.Where, Condition{Field: field, Values: []string{v}})
		return true
	case "match":
		field, ok := getField(e[1])
		if !ok || len(e) != 5 || e[3] != true || e[4] != false {
			return false
		}
		c := Condition{Field: field}
		values, isList := e[2].([]any)
		if !isList {
			values = []any{e[2]}
		}
		for _, v := range values {
			s, ok := filterValue(v)
			if !ok {
				return false
			}
			c.Values = append(c.Values, s)
		}
		t.Where = append(t.Where, c)
		return true
	}
	return false
}

// getField reads ["get", field].
func getField(e any) (string, bool) {
	g, _ := e.([]any)
	if len(g) != 2 || g[0] != "get" {
		return "", false
	}
	f, ok := g[1].(string)
	return f, ok
}

// filterValue is a filter's literal as a property's text: strings as
// they are, numbers in their shortest form.
func filterValue(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case int:
		return strconv.Itoa(v), true
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), true
	case bool:
		return strconv.FormatBool(v), true
	}
	return "", false
}

// zoomStops reads ["interpolate", ["linear"], ["zoom"], z0, v0, z1, v1, …]
// (byZoom's form) into its stops.
func zoomStops(e []any) ([][2]float64, bool) {
	if len(e) < 5 || len(e)%2 != 1 || e[0] != "interpolate" {
		return nil, false
	}
	if lin, _ := e[1].([]any); len(lin) != 1 || lin[0] != "linear" {
		return nil, false
	}
	if z, _ := e[2].([]any); len(z) != 1 || z[0] != "zoom" {
		return nil, false
	}
	var out [][2]float64
	for i := 3; i+1 < len(e); i += 2 {
		z, ok1 := number(e[i])
		v, ok2 := number(e[i+1])
		if !ok1 || !ok2 || (len(out) > 0 && z <= out[len(out)-1][0]) {
			return nil, false
		}
		out = append(out, [2]float64{z, v})
	}
	return out, true
}

// number reads a JSON or Go number.
func number(v any) (float64, bool) {
	switch v := v.(type) {
	case float64:
		return v, true
	case int:
		return float64(v), true
	}
	return 0, false
}
