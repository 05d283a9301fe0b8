package styles

import (
	"cmp"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/outcrop/outcrop/tileset"
)

func basemapDoc(t *testing.T, opts Options) (Style, map[string]any) {
	t.Helper()
	s, err := ForKind(basemapMeta(), KindBasemap, nil, opts)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(s.Document)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	return s, doc
}

func TestBasemapIsOfferedFirstForABasemapOnly(t *testing.T) {
	if k := Kinds(basemapMeta()); len(k) != 2 || k[0] != KindBasemap || k[1] != KindDefault {
		t.Errorf("basemap kinds = %v, want [basemap default]", k)
	}
	for _, m := range []*tileset.Metadata{geologyMeta(), bordersMeta(), mixedMeta(), occurrencesMeta()} {
		if slices.Contains(Kinds(m), KindBasemap) {
			t.Errorf("%s offers the basemap style", m.ID)
		}
	}
	noRank := basemapMeta()
	noRank.Fields = fields(FieldBasemapTheme, "name")
	if slices.Contains(Kinds(noRank), KindBasemap) {
		t.Error("a field kind without scalerank offers the basemap style")
	}
}

// evalFilter evaluates a decoded filter of the forms the basemap style
// uses (all, ==, match, get, geometry-type) for a feature's properties, its
// geometry type under "$type".
func evalFilter(t *testing.T, f any, props map[string]any) bool {
	t.Helper()
	var eval func(e any) any
	eval = func(e any) any {
		a, ok := e.([]any)
		if !ok {
			return e
		}
		switch a[0] {
		case "all":
			for _, x := range a[1:] {
				if eval(x) != true {
					return false
				}
			}
			return true
		case "get":
			return props[a[1].(string)]
		case "geometry-type":
			return props["$type"]
		case "==":
			return eval(a[1]) == eval(a[2])
		case "match":
			v := eval(a[1])
			for i := 2; i+1 < len(a); i += 2 {
				if slices.Contains(a[i].([]any), v) {
					return a[i+1]
				}
			}
			return a[len(a)-1]
		}
		t.Fatalf("filter operator %v not known to this test", a[0])
		return nil
	}
	return f == nil || eval(f) == true
}

// drawnByTheme returns the one non-text layer that draws a feature of the
// theme with the geometry type, failing unless exactly one does.
func drawnByTheme(t *testing.T, doc map[string]any, theme, geom string) map[string]any {
	t.Helper()
	var found []map[string]any
	for _, l := range doc["layers"].([]any) {
		m := l.(map[string]any)
		if m["type"] == "background" || m["type"] == "symbol" {
			continue
		}
		if evalFilter(t, m["filter"], map[string]any{FieldBasemapTheme: theme, FieldScaleRank: 1.0, "$type": geom}) {
			found = append(found, m)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d layers draw %s %s, want 1", len(found), theme, geom)
	}
	return found[0]
}

func TestBasemapDrawsEachThemeInItsColour(t *testing.T) {
	_, doc := basemapDoc(t, Options{Base: testBase})
	layers := doc["layers"].([]any)
	bg := layers[0].(map[string]any)
	if bg["type"] != "background" || bg["paint"].(map[string]any)["background-color"] != "#AAD3DF" {
		t.Errorf("background = %v, want the sea's #AAD3DF", bg)
	}
	want := map[string]struct{ typ, colour string }{
		"ocean": {"fill", "#AAD3DF"}, "land": {"fill", "#F2EFE9"}, "lakes": {"fill", "#AAD3DF"},
		"rivers": {"line", "#8CBCD6"}, "coastline": {"line", "#7FA9C2"}, "borders": {"line", "#9E8FA6"},
		"places": {"circle", "#5C5C5C"},
	}
	order := []string{}
	for theme, w := range want {
		geom := map[string]string{"fill": "Polygon", "line": "LineString", "circle": "Point"}[w.typ]
		l := drawnByTheme(t, doc, theme, geom)
		paint := l["paint"].(map[string]any)
		if l["type"] != w.typ || paint[w.typ+"-color"] != w.colour {
			t.Errorf("%s: %v %v, want %s in %s", theme, l["type"], paint[w.typ+"-color"], w.typ, w.colour)
		}
		if theme == "borders" && paint["line-dasharray"] == nil {
			t.Errorf("borders are not dashed: %v", paint)
		}
	}
	for _, l := range layers[1:] {
		order = append(order, l.(map[string]any)["id"].(string))
	}
	if order[0] != "basemap.ocean" || order[1] != "basemap.land" || order[2] != "basemap.lakes" {
		t.Errorf("layers bottom up = %v, want ocean, land, lakes first", order)
	}
	for _, l := range layers {
		if l.(map[string]any)["type"] == "symbol" {
			t.Errorf("a text layer without glyphs: %v", l)
		}
	}
}

// Places of a low rank (the most important) show from a low zoom; each
// place is drawn by one layer only (drawnBy) at its rank.
func TestBasemapPlacesShowByRank(t *testing.T) {
	_, doc := basemapDoc(t, Options{Base: testBase})
	for _, c := range []struct {
		rank    float64
		minzoom float64
	}{{0, 2}, {2, 2}, {3, 4}, {5, 5}, {9, 6}} {
		var found []string
		for _, l := range doc["layers"].([]any) {
			m := l.(map[string]any)
			if m["type"] != "circle" {
				continue
			}
			if evalFilter(t, m["filter"], map[string]any{FieldBasemapTheme: "places", FieldScaleRank: c.rank, "$type": "Point"}) {
				found = append(found, m["id"].(string))
				if z, _ := m["minzoom"].(float64); z != c.minzoom {
					t.Errorf("rank %v shows from zoom %v, want %v", c.rank, z, c.minzoom)
				}
			}
		}
		if len(found) != 1 {
			t.Errorf("rank %v is drawn by %v, want one layer", c.rank, found)
		}
	}
}

func TestBasemapLabelsPlacesOnlyWithGlyphs(t *testing.T) {
	_, doc := basemapDoc(t, Options{Base: testBase, Glyphs: "/fonts/{fontstack}/{range}.pbf"})
	n := 0
	var minZooms []float64
	for _, l := range doc["layers"].([]any) {
		m := l.(map[string]any)
		if m["type"] != "symbol" {
			continue
		}
		n++
		z, _ := m["minzoom"].(float64)
		minZooms = append(minZooms, z)
		tf, _ := json.Marshal(m["layout"].(map[string]any)["text-field"])
		if string(tf) != `["get","name"]` {
			t.Errorf("%s: text-field %s, want the place's name", m["id"], tf)
		}
		// The region's names need more than Latin: Thai, Lao, Khmer,
		// Myanmar and Chinese come from later fonts of the stack.
		font, _ := json.Marshal(m["layout"].(map[string]any)["text-font"])
		for _, want := range []string{`"Noto Sans Regular"`, `"Noto Sans Thai Regular"`, `"Noto Sans CJK SC Regular"`} {
			if !strings.Contains(string(font), want) {
				t.Errorf("%s: text-font %s, want %s in the stack", m["id"], font, want)
			}
		}
	}
	if n == 0 {
		t.Error("no place labels with glyphs")
	}
	// A renderer places the top layer's labels first: the most important
	// places (the band shown from the lowest zoom) must be on top, so that
	// Singapore is not hidden by Johor Bahru.
	descending := slices.IsSortedFunc(minZooms, func(a, b float64) int { return cmp.Compare(b, a) })
	if len(minZooms) < 2 || minZooms[0] == minZooms[len(minZooms)-1] || !descending {
		t.Errorf("place label layers from the bottom up show from zooms %v; want the most important band last (on top)", minZooms)
	}
}

func TestCombinedDrawsTheBasemapUnderEverything(t *testing.T) {
	c, err := Combined([]Input{{geologyMeta(), geologyCounts()}, {basemapMeta(), nil}, {occurrencesMeta(), occurrencesCounts()}}, Options{Base: testBase})
	if err != nil {
		t.Fatal(err)
	}
	l := c.Document.Layers
	if l[0].Type != "background" || l[0].Paint["background-color"] != "#AAD3DF" || l[1].ID != "basemap.ocean" {
		t.Fatalf("combined starts %s %v, %s; want the sea background, then basemap.ocean", l[0].ID, l[0].Paint, l[1].ID)
	}
	last := 0
	for i, x := range l {
		if x.Source == "basemap" {
			last = i
		}
	}
	for _, x := range l[1 : last+1] {
		if x.Source != "basemap" {
			t.Errorf("%s is drawn among the basemap's layers", x.ID)
		}
	}
	// The world-wide basemap does not make the map open on the world.
	if c.Document.Zoom == nil || *c.Document.Zoom < 2 {
		t.Errorf("combined zoom = %v, want the data's, not the world's", c.Document.Zoom)
	}
}

// TestBasemapPlaceNamesInTheStyleLanguage: a style in a language the
// basemap has names in labels places with them, falling back to the
// place's own name; English, a language without names, or none keeps the
// name. textSymbol (the WMS's reading of labels) reads both fields.
func TestBasemapPlaceNamesInTheStyleLanguage(t *testing.T) {
	meta := basemapMeta()
	meta.Fields = append(meta.Fields, fields("name_id", "name_vi", "name_zh")...)
	for _, c := range []struct{ lang, want string }{
		{"id", `["coalesce",["get","name_id"],["get","name"]]`},
		{"vi-VN", `["coalesce",["get","name_vi"],["get","name"]]`},
		{"zh-Hans", `["coalesce",["get","name_zh"],["get","name"]]`},
		{"en", `["get","name"]`},
		{"th", `["get","name"]`},
		{"", `["get","name"]`},
	} {
		s, err := ForKind(meta, KindBasemap, nil, Options{Base: testBase, Glyphs: "/fonts/{fontstack}/{range}.pbf", Lang: c.lang})
		if err != nil {
			t.Fatal(err)
		}
		field, fallback := "name", ""
		if strings.HasPrefix(c.want, `["coalesce"`) {
			field, fallback = "name_"+c.lang[:2], "name"
		}
		n := 0
		for _, l := range s.Document.Layers {
			if l.Type != "symbol" {
				continue
			}
			n++
			if tf, _ := json.Marshal(l.Layout["text-field"]); string(tf) != c.want {
				t.Errorf("lang %q: %s text-field %s, want %s", c.lang, l.ID, tf, c.want)
			}
			l.Layout["text-size"] = 12.0 // a zoom expression, which textSymbol does not read
			if ts, ok := textSymbol(l); !ok || ts.Field != field || ts.Fallback != fallback {
				t.Errorf("lang %q: %s read as %q else %q (%v), want %q else %q", c.lang, l.ID, ts.Field, ts.Fallback, ok, field, fallback)
			}
		}
		if n == 0 {
			t.Fatalf("lang %q: no label layers", c.lang)
		}
	}
	// Without the field, no coalesce: this basemap has no Indonesian names.
	_, doc := basemapDoc(t, Options{Base: testBase, Glyphs: "/fonts/{fontstack}/{range}.pbf", Lang: "id"})
	for _, l := range doc["layers"].([]any) {
		m := l.(map[string]any)
		if m["type"] != "symbol" {
			continue
		}
		if tf, _ := json.Marshal(m["layout"].(map[string]any)["text-field"]); string(tf) != `["get","name"]` {
			t.Errorf("without name_id: %s text-field %s", m["id"], tf)
		}
	}
}
