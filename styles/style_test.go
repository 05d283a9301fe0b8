package styles

import (
	"reflect"
	"strings"
	"testing"

	"github.com/outcrop/outcrop/tileset"
)

func TestKinds(t *testing.T) {
	cases := []struct {
		meta *tileset.Metadata
		want []string
	}{
		{geologyMeta(), []string{KindGeologyAge, KindGeologyLithology, KindDefault}},
		{faultsMeta(), []string{KindFaultType, KindDefault}},
		{occurrencesMeta(), []string{KindOccurrenceCommodity, KindDefault}},
		{bordersMeta(), []string{KindBorders, KindDefault}},
		{mixedMeta(), []string{KindDefault}},
	}
	for _, c := range cases {
		if got := Kinds(c.meta); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Kinds(%s) = %v, want %v", c.meta.ID, got, c.want)
		}
	}
	// A harmonised field on the wrong geometry offers no thematic style.
	m := faultsMeta()
	m.Fields = fields(FieldAge)
	if got := Kinds(m); !reflect.DeepEqual(got, []string{KindDefault}) {
		t.Errorf("Kinds(lines with %s) = %v, want only the default", FieldAge, got)
	}
}

func TestIDRoundTrip(t *testing.T) {
	id := ID("gswa-geology", KindGeologyAge)
	if id != "gswa-geology.geology-age" {
		t.Fatalf("ID = %q", id)
	}
	ts, k, ok := SplitID(id)
	if !ok || ts != "gswa-geology" || k != KindGeologyAge {
		t.Errorf("SplitID(%q) = %q, %q, %v", id, ts, k, ok)
	}
	for _, bad := range []string{CombinedID, "gswa-geology", "gswa-geology.nonsense", ".geology-age"} {
		if _, _, ok := SplitID(bad); ok {
			t.Errorf("SplitID(%q) accepted", bad)
		}
	}
}

// The acceptance test of the issue: a tileset with Permian and Jurassic
// units is filled with exactly the chart's colours.
func TestGeologyByAgeUsesTheChartColours(t *testing.T) {
	s := styleOf(t, mustStyles(t, geologyMeta(), geologyCounts(), Options{Base: testBase}), KindGeologyAge)
	if s.ID != "gswa-geology.geology-age" {
		t.Errorf("ID = %q", s.ID)
	}
	fill := layerNamed(t, decoded(t, s), ".fill")
	if fill["type"] != "fill" || fill["source"] != "gswa-geology" || fill["source-layer"] != "geology" {
		t.Errorf("fill layer = %v", fill)
	}
	paint := fill["paint"].(map[string]any)
	for unit, want := range map[string]string{"Permian": "#F04028", "Jurassic": "#34B2C9", "Neoarchean": "#F99BC1"} {
		if got := evalMatch(t, paint["fill-color"], FieldAge, ics+unit); got != want {
			t.Errorf("fill of %s = %v, want %s", unit, got, want)
		}
	}
	for _, other := range []string{nilURI, "http://example.org/not-a-unit", "", ics + "Cretaceous"} {
		if got := evalMatch(t, paint["fill-color"], FieldAge, other); got != "#D9D9D9" {
			t.Errorf("fill of %q = %v, want the fallback #D9D9D9", other, got)
		}
	}
	// The outline is the same hue, darker in every channel.
	if got := evalMatch(t, paint["fill-outline-color"], FieldAge, ics+"Permian"); got != "#9C2A1A" {
		t.Errorf("outline of Permian = %v, want #9C2A1A", got)
	}

	// Legend: youngest first, as the chart lists units, the fallback last.
	leg := s.Legends[0]
	var labels []string
	for _, e := range leg.Entries {
		labels = append(labels, e.Label)
	}
	want := []string{"Jurassic", "Permian", "Neoarchean", "age not on the ICS chart or not mapped"}
	if !reflect.DeepEqual(labels, want) {
		t.Errorf("legend labels = %v, want %v", labels, want)
	}
	if e := leg.Entries[1]; e.Colour != "#F04028" || e.URI != ics+"Permian" || e.Count != 12 || e.Outline != "#9C2A1A" {
		t.Errorf("Permian entry = %+v", e)
	}
	if e := leg.Entries[3]; !e.Fallback || e.Count != 3 || !reflect.DeepEqual(e.Values, []string{"http://example.org/not-a-unit", nilURI}) {
		t.Errorf("fallback entry = %+v", e)
	}
	if leg.Field != FieldAge || leg.Vocabulary != "ics" || !strings.Contains(leg.Attribution, "International Commission on Stratigraphy") || leg.Symbol != "fill" {
		t.Errorf("legend header = %+v", leg)
	}
}

// The legend and the style come from one computation: every value in the
// data is drawn in the colour of the one legend entry that lists it, and
// the entries' counts add up to the input counts.
func TestLegendAgreesWithStyleAndCounts(t *testing.T) {
	cases := []struct {
		meta   *tileset.Metadata
		counts Counts
		kind   string
		layer  string
		prop   string
	}{
		{geologyMeta(), geologyCounts(), KindGeologyAge, ".fill", "fill-color"},
		{geologyMeta(), geologyCounts(), KindGeologyLithology, ".fill", "fill-color"},
		{occurrencesMeta(), occurrencesCounts(), KindOccurrenceCommodity, "", "circle-color"},
		{faultsMeta(), faultsCounts(), KindFaultType, "", "line-color"},
	}
	for _, c := range cases {
		s, err := ForKind(c.meta, c.kind, c.counts, Options{Base: testBase})
		if err != nil {
			t.Fatal(err)
		}
		leg := s.Legends[0]
		input := c.counts[leg.Field]
		seen := map[string]bool{}
		var total, want int64
		for _, e := range leg.Entries {
			var sum int64
			for _, v := range e.Values {
				if seen[v] {
					t.Errorf("%s: value %s in two entries", s.ID, v)
				}
				seen[v] = true
				sum += input[v]
			}
			if sum != e.Count {
				t.Errorf("%s: entry %q counts %d, its values %d", s.ID, e.Label, e.Count, sum)
			}
			total += e.Count
		}
		for v, n := range input {
			want += n
			if !seen[v] {
				t.Errorf("%s: value %s in no entry", s.ID, v)
			}
		}
		if total != want {
			t.Errorf("%s: legend counts %d features, input %d", s.ID, total, want)
		}
		doc := decoded(t, s)
		for _, e := range leg.Entries {
			for _, v := range e.Values {
				var got any
				if c.layer != "" { // one layer, colour by match
					got = evalMatch(t, layerNamed(t, doc, c.layer)["paint"].(map[string]any)[c.prop], leg.Field, v)
				} else { // one layer per entry, chosen by filter
					got = drawnBy(t, doc, leg.Field, v)["paint"].(map[string]any)[c.prop]
				}
				if got != e.Colour {
					t.Errorf("%s: %s drawn %v, legend says %s (%s)", s.ID, v, got, e.Colour, e.Label)
				}
			}
		}
	}
}

func TestGeologyByLithologyClasses(t *testing.T) {
	s, err := ForKind(geologyMeta(), KindGeologyLithology, geologyCounts(), Options{Base: testBase, Lang: "th"})
	if err != nil {
		t.Fatal(err)
	}
	class := map[string]Entry{}
	for _, e := range s.Legends[0].Entries {
		for _, v := range e.Values {
			class[strings.TrimPrefix(v, litho)] = e
		}
	}
	for value, want := range map[string]string{
		"granite":            "acidic_igneous_material",
		"basalt":             "basic_igneous_material",
		"limestone":          "carbonate_sedimentary_material",
		"sand_size_sediment": "unconsolidated_material", // cover before sedimentary
		"generic_sandstone":  "clastic_sedimentary_material",
		"schist":             "metamorphic_rock",
		"mylonitic_rock":     "fault_related_material", // before metamorphic
	} {
		if got := class[value].URI; got != litho+want {
			t.Errorf("%s is drawn as %s, want %s", value, got, want)
		}
	}
	if e := class[nilURI]; !e.Fallback || e.Colour != "#D9D9D9" {
		t.Errorf("nil URI entry = %+v, want the fallback", e)
	}
	// Labels in English and, where CGI has one, in Thai.
	if e := class["sand_size_sediment"]; e.Label != "unconsolidated material" || e.LocalLabel != "วัสดุยังไม่แข็งตัว" {
		t.Errorf("unconsolidated entry labels = %q / %q", e.Label, e.LocalLabel)
	}
	if e := class["granite"]; e.LocalLabel != "" {
		t.Errorf("acidic igneous material has no Thai label in CGI, got %q", e.LocalLabel)
	}
	if s.Legends[0].Lang != "th" {
		t.Errorf("legend lang = %q", s.Legends[0].Lang)
	}
}

func TestFaultsByType(t *testing.T) {
	s, err := ForKind(faultsMeta(), KindFaultType, faultsCounts(), Options{Base: testBase})
	if err != nil {
		t.Fatal(err)
	}
	doc := decoded(t, s)
	var ids []string
	for _, l := range doc["layers"].([]any) {
		ids = append(ids, l.(map[string]any)["id"].(string))
	}
	// The fallback at the bottom, then the classes present, the first
	// legend entry (thrusts) on top.
	want := []string{"background", "gswa-faults.other", "gswa-faults.fault", "gswa-faults.strike_slip_fault",
		"gswa-faults.normal_fault", "gswa-faults.reverse_fault", "gswa-faults.thrust_fault"}
	if !reflect.DeepEqual(ids, want) {
		t.Fatalf("layers = %v, want %v", ids, want)
	}
	thrust := layerNamed(t, doc, ".thrust_fault")
	if p := thrust["paint"].(map[string]any); p["line-color"] != "#B2182B" || p["line-dasharray"] != nil {
		t.Errorf("thrust paint = %v", p)
	}
	reverse := layerNamed(t, doc, ".reverse_fault")
	if got := evalMatch(t, reverse["filter"], FieldFaultType, faultT+"high_angle_reverse"); got != true {
		t.Errorf("a high-angle reverse fault is not drawn as reverse")
	}
	normal := layerNamed(t, doc, ".normal_fault")
	if got := evalMatch(t, normal["filter"], FieldFaultType, faultT+"detachment_fault"); got != true {
		t.Errorf("a detachment fault is not drawn as normal")
	}
	other := layerNamed(t, doc, ".other")
	p := other["paint"].(map[string]any)
	if !reflect.DeepEqual(p["line-dasharray"], []any{4.0, 3.0}) {
		t.Errorf("fallback dash = %v, want [4 3]", p["line-dasharray"])
	}
	for v, want := range map[string]bool{"http://example.org/not-a-fault-type": true, "": true, faultT + "thrust_fault": false} {
		if got := evalMatch(t, other["filter"], FieldFaultType, v); got != want {
			t.Errorf("fallback layer draws %q: %v, want %v", v, got, want)
		}
	}
	// Widths grow with zoom from the palette's width.
	if w := thrust["paint"].(map[string]any)["line-width"]; !reflect.DeepEqual(w, []any{"interpolate", []any{"linear"}, []any{"zoom"}, 3.0, 1.08, 12.0, 2.88}) {
		t.Errorf("thrust width = %v", w)
	}
}

func TestOccurrencesByCommodityGroup(t *testing.T) {
	s, err := ForKind(occurrencesMeta(), KindOccurrenceCommodity, occurrencesCounts(), Options{Base: testBase})
	if err != nil {
		t.Fatal(err)
	}
	doc := decoded(t, s)
	for value, want := range map[string]string{
		"copper": "#C0504D", // base metal
		"gold":   "#E0B000", // precious metal
		"tin":    "#8856A7", // filed directly under metal
		"kaolin": "#1F60B4", // clay, an industrial mineral
	} {
		l := drawnBy(t, doc, FieldCommodity, commod+value)
		if got := l["paint"].(map[string]any)["circle-color"]; got != want {
			t.Errorf("%s drawn %v by %s, want %s", value, got, l["id"], want)
		}
	}
	if l := drawnBy(t, doc, FieldCommodity, nilURI); l["id"] != "porphyry-copper.other" || l["paint"].(map[string]any)["circle-color"] != "#999999" {
		t.Errorf("a nil URI is drawn by %v", l)
	}
	var ids []string
	for _, l := range doc["layers"].([]any) {
		ids = append(ids, l.(map[string]any)["id"].(string))
	}
	want := []string{"background", "porphyry-copper.other", "porphyry-copper.industrial-mineral",
		"porphyry-copper.metal", "porphyry-copper.base-metal", "porphyry-copper.precious-metal"}
	if !reflect.DeepEqual(ids, want) || doc["glyphs"] != nil {
		t.Errorf("without glyphs: layers %v, glyphs %v; want %v and no glyphs", ids, doc["glyphs"], want)
	}

	// With glyphs from our own server, the commodity code labels each
	// occurrence at high zoom.
	s, err = ForKind(occurrencesMeta(), KindOccurrenceCommodity, occurrencesCounts(), Options{Base: testBase, Glyphs: "/fonts/{fontstack}/{range}.pbf"})
	if err != nil {
		t.Fatal(err)
	}
	doc = decoded(t, s)
	if doc["glyphs"] != testBase+"/fonts/{fontstack}/{range}.pbf" {
		t.Errorf("glyphs = %v", doc["glyphs"])
	}
	code := layerNamed(t, doc, ".code")
	if code["type"] != "symbol" || code["minzoom"] != 9.0 {
		t.Errorf("code layer = %v", code)
	}
	text := code["layout"].(map[string]any)["text-field"]
	for value, want := range map[string]string{"copper": "Cu", "gold": "Au", "tin": "Sn", "kaolin": "Kaol"} {
		if got := evalMatch(t, text, FieldCommodity, commod+value); got != want {
			t.Errorf("label of %s = %v, want %s", value, got, want)
		}
	}
	if got := evalMatch(t, text, FieldCommodity, nilURI); got != "" {
		t.Errorf("label of a nil URI = %v, want none", got)
	}
}

func TestBordersAndDefault(t *testing.T) {
	styles := mustStyles(t, bordersMeta(), nil, Options{Base: testBase})
	b := decoded(t, styleOf(t, styles, KindBorders))
	line := layerNamed(t, b, ".line")
	if line["type"] != "line" || !reflect.DeepEqual(line["paint"].(map[string]any)["line-dasharray"], []any{4.0, 2.0}) {
		t.Errorf("borders layer = %v", line)
	}
	if n := len(b["layers"].([]any)); n != 2 {
		t.Errorf("borders style has %d layers, want background and line", n)
	}
	if e := styleOf(t, styles, KindBorders).Legends[0].Entries; len(e) != 1 || e[0].Count != 12 || e[0].Label != "ASEAN borders" {
		t.Errorf("borders legend = %+v", e)
	}

	// Unharmonised data of mixed geometry: one layer per geometry, each
	// restricted to it, one legend entry counting every feature.
	d := styleOf(t, mustStyles(t, mixedMeta(), nil, Options{Base: testBase}), KindDefault)
	doc := decoded(t, d)
	for suffix, geom := range map[string]string{".fill": "Polygon", ".line": "LineString", ".circle": "Point"} {
		l := layerNamed(t, doc, suffix)
		if !reflect.DeepEqual(l["filter"], []any{"==", []any{"geometry-type"}, geom}) {
			t.Errorf("%s filter = %v", suffix, l["filter"])
		}
	}
	if e := d.Legends[0].Entries; len(e) != 1 || e[0].Count != 300 {
		t.Errorf("default legend = %+v", e)
	}
	// A single-geometry tileset needs no filter.
	if f := layerNamed(t, decoded(t, styleOf(t, styles, KindDefault)), ".fill")["filter"]; f != nil {
		t.Errorf("polygon default fill has filter %v", f)
	}
}

func TestSourcesAndURLsStayOnTheServer(t *testing.T) {
	for _, opts := range []Options{{Base: testBase + "/"}, {Base: testBase, Glyphs: "/fonts/{fontstack}/{range}.pbf"}} {
		for _, s := range allStyles(t, opts) {
			doc := decoded(t, s)
			if doc["version"] != 8.0 {
				t.Errorf("%s: version %v", s.ID, doc["version"])
			}
			if _, ok := doc["sprite"]; ok {
				t.Errorf("%s has a sprite", s.ID)
			}
			for id, src := range doc["sources"].(map[string]any) {
				want := testBase + "/tiles/" + id + ".json"
				// A terrain style's raster-dem sources are its tileset's
				// Terrarium tiles.
				if src.(map[string]any)["type"] == "raster-dem" {
					ts := strings.TrimSuffix(strings.TrimSuffix(id, "-dem"), "-terrain")
					want = testBase + "/tiles/" + ts + ".json?encoding=terrarium"
				}
				if u := src.(map[string]any)["url"]; u != want {
					t.Errorf("%s: source %s url = %v", s.ID, id, u)
				}
			}
			walkStrings(doc, func(v string) {
				if strings.Contains(v, "://") && !strings.HasPrefix(v, testBase+"/") &&
					!strings.HasPrefix(v, "http://resource.geosciml.org/") && !strings.HasPrefix(v, "http://www.opengis.net/def/nil/") &&
					!strings.HasPrefix(v, "http://example.org/") && !strings.HasPrefix(v, "https://creativecommons.org/") {
					t.Errorf("%s: URL %q is not on %s", s.ID, v, testBase)
				}
			})
			// The only URLs a client fetches are sources and glyphs.
			if g, ok := doc["glyphs"].(string); ok && !strings.HasPrefix(g, testBase+"/") {
				t.Errorf("%s: glyphs %q", s.ID, g)
			}
		}
	}
}

func walkStrings(v any, f func(string)) {
	switch x := v.(type) {
	case string:
		f(x)
	case []any:
		for _, e := range x {
			walkStrings(e, f)
		}
	case map[string]any:
		for _, e := range x {
			walkStrings(e, f)
		}
	}
}

func TestErrorsNameTheProblem(t *testing.T) {
	noLayer := geologyMeta()
	noLayer.Layer = ""
	badGeom := geologyMeta()
	badGeom.GeometryType = "raster"
	cases := []struct {
		name string
		err  func() error
		want string
	}{
		{"nil metadata", func() error { _, err := ForTileset(nil, nil, Options{Base: testBase}); return err }, "no tileset metadata"},
		{"relative base", func() error {
			_, err := ForTileset(geologyMeta(), geologyCounts(), Options{Base: "/outcrop"})
			return err
		}, `base URL "/outcrop"`},
		{"no scheme", func() error {
			_, err := ForTileset(geologyMeta(), geologyCounts(), Options{Base: "localhost:8080"})
			return err
		}, "must be absolute"},
		{"external glyphs", func() error {
			_, err := ForTileset(geologyMeta(), geologyCounts(), Options{Base: testBase, Glyphs: "https://fonts.example.com/{fontstack}/{range}.pbf"})
			return err
		}, "glyphs path"},
		{"glyphs without tokens", func() error {
			_, err := ForTileset(geologyMeta(), geologyCounts(), Options{Base: testBase, Glyphs: "/fonts/x.pbf"})
			return err
		}, "{fontstack}"},
		{"missing counts", func() error { _, err := ForTileset(geologyMeta(), Counts{}, Options{Base: testBase}); return err }, "field representativeAge_uri but no counts"},
		{"no layer", func() error { _, err := ForTileset(noLayer, geologyCounts(), Options{Base: testBase}); return err }, "names no vector layer"},
		{"bad geometry", func() error { _, err := ForTileset(badGeom, geologyCounts(), Options{Base: testBase}); return err }, `geometry type "raster"`},
		{"kind not offered", func() error {
			_, err := ForKind(faultsMeta(), KindGeologyAge, faultsCounts(), Options{Base: testBase})
			return err
		}, "offers faults-type, default"},
		{"combined bad base", func() error { _, err := Combined(nil, Options{}); return err }, "base URL"},
	}
	for _, c := range cases {
		err := c.err()
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, c.want) || strings.Contains(msg, "\n") {
			t.Errorf("%s: error %q, want one line containing %q", c.name, msg, c.want)
		}
	}
}
