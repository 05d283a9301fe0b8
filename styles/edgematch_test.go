package styles

import (
	"reflect"
	"testing"
)

// TestEdgeMatchingStyle: an {id}-qa tileset is drawn first in the
// edge-matching style, each segment class as a line of its exact colour,
// mismatches wider than agreement, gaps and overlaps as translucent areas
// with a dashed outline and hatch hints for the viewer; the legend lists
// the same colours, segments in report order, then the areas.
func TestEdgeMatchingStyle(t *testing.T) {
	meta := qaMeta()
	if got := Kinds(meta); !reflect.DeepEqual(got, []string{KindEdgeMatching, KindDefault}) {
		t.Fatalf("Kinds(qa) = %v, want edge-matching then default", got)
	}
	st, err := ForKind(meta, KindEdgeMatching, qaCounts(), Options{Base: testBase})
	if err != nil {
		t.Fatal(err)
	}
	if st.ID != "th-la-qa.edge-matching" {
		t.Errorf("style id %q", st.ID)
	}
	doc := decoded(t, st)
	lines := map[string]string{
		"match": "#009E73", "compatible": "#56B4E9", "age_mismatch": "#E69F00",
		"lithology_mismatch": "#CC79A7", "both_mismatch": "#D55E00", "gap": "#0072B2",
	}
	width := map[string]float64{}
	for class, colour := range lines {
		l := layerNamed(t, doc, "."+class)
		paint := l["paint"].(map[string]any)
		if l["type"] != "line" || paint["line-color"] != colour {
			t.Errorf("class %s: %v layer in %v, want a line in %s", class, l["type"], paint["line-color"], colour)
		}
		f := l["filter"].([]any)
		if f[0] != "all" || !reflect.DeepEqual(f[1], []any{"==", []any{"geometry-type"}, "LineString"}) ||
			!reflect.DeepEqual(f[2], []any{"match", []any{"get", "class"}, []any{class}, true, false}) {
			t.Errorf("class %s: filter %v", class, f)
		}
		w := paint["line-width"].([]any)
		width[class] = w[len(w)-1].(float64)
		_, dashed := paint["line-dasharray"]
		if dashed != (class == "gap") {
			t.Errorf("class %s: dashed %v; only gap segments are", class, dashed)
		}
	}
	for _, m := range []string{"age_mismatch", "lithology_mismatch", "both_mismatch", "gap"} {
		for _, a := range []string{"match", "compatible"} {
			if !(width[m] > width[a]) {
				t.Errorf("%s is %v px wide, %s %v: mismatches must be wider", m, width[m], a, width[a])
			}
		}
	}
	for kind, colour := range map[string]string{"gap": "#0072B2", "overlap": "#000000"} {
		fill := layerNamed(t, doc, "."+kind+"-area")
		paint := fill["paint"].(map[string]any)
		if fill["type"] != "fill" || paint["fill-color"] != colour || paint["fill-opacity"] != 0.2 {
			t.Errorf("%s area: %v %v", kind, fill["type"], paint)
		}
		hatch, _ := fill["metadata"].(map[string]any)["outcrop:hatch"].(map[string]any)
		if hatch["colour"] != colour || hatch["spacing"] != 8.0 || hatch["width"] != 2.0 {
			t.Errorf("%s area hatch hint %v", kind, hatch)
		}
		outline := layerNamed(t, doc, "."+kind+"-outline")
		op := outline["paint"].(map[string]any)
		if outline["type"] != "line" || op["line-color"] != colour || op["line-dasharray"] == nil {
			t.Errorf("%s outline: %v %v", kind, outline["type"], op)
		}
	}
	// Areas under the segments, mismatches over agreement.
	var order []string
	for _, l := range doc["layers"].([]any) {
		order = append(order, l.(map[string]any)["id"].(string))
	}
	want := []string{"background", "th-la-qa.gap-area", "th-la-qa.gap-outline", "th-la-qa.overlap-area", "th-la-qa.overlap-outline",
		"th-la-qa.match", "th-la-qa.compatible", "th-la-qa.age_mismatch", "th-la-qa.lithology_mismatch", "th-la-qa.both_mismatch", "th-la-qa.gap"}
	if !reflect.DeepEqual(order, want) {
		t.Errorf("layers %v, want %v", order, want)
	}

	leg := st.Legends[0]
	type row struct {
		label, colour, symbol, field string
		count                        int64
		hatch                        bool
	}
	var got []row
	for _, e := range leg.Entries {
		got = append(got, row{e.Label, e.Colour, e.Symbol, e.Field, e.Count, e.Hatch})
	}
	wantLegend := []row{
		{"match: same age and lithology", "#009E73", "", "", 4, false},
		{"compatible: one the broader concept of the other", "#56B4E9", "", "", 2, false},
		{"age mismatch", "#E69F00", "", "", 2, false},
		{"lithology mismatch", "#CC79A7", "", "", 1, false},
		{"age and lithology mismatch", "#D55E00", "", "", 1, false},
		{"gap: no unit on one side", "#0072B2", "", "", 2, false},
		{"gap: own territory left uncovered", "#0072B2", "fill", "kind", 1, true},
		{"overlap: a map spilling over the border", "#000000", "fill", "kind", 1, true},
	}
	if leg.Symbol != "line" || leg.Field != "class" || !reflect.DeepEqual(got, wantLegend) {
		t.Errorf("legend %s by %s:\n%v\nwant\n%v", leg.Symbol, leg.Field, got, wantLegend)
	}
	// Without counts the legend still lists every class: it is the key.
	bare, err := ForKind(meta, KindEdgeMatching, nil, Options{Base: testBase})
	if err != nil || len(bare.Legends[0].Entries) != 8 || bare.Legends[0].Entries[0].Count != 0 {
		t.Errorf("uncounted legend: %v, %+v", err, bare.Legends)
	}
	// A tileset with kind and class but no sides is not an {id}-qa one.
	m := mixedMeta()
	m.Fields = fields("kind", "class")
	if got := Kinds(m); !reflect.DeepEqual(got, []string{KindDefault}) {
		t.Errorf("Kinds(kind, class) = %v", got)
	}
}
