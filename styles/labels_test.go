package styles

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/outcrop/outcrop/tileset"
)

// TestLabels: with glyphs served, geology styles label units with their
// code, occurrence and default styles label points with their name (a field
// found whatever its case), all in the Noto fontstack with a halo; faults
// get none, and without glyphs no style has text.
func TestLabels(t *testing.T) {
	glyphs := Options{Base: testBase, Glyphs: "/fonts/{fontstack}/{range}.pbf"}
	font := []any{"Noto Sans Regular", "Noto Sans Thai Regular", "Noto Sans Lao Regular", "Noto Sans Khmer Regular", "Noto Sans Myanmar Regular", "Noto Sans CJK SC Regular"}
	cases := []struct {
		style Style
		want  map[string]string // layer id suffix: text field
	}{
		{mustKind(t, geologyMeta(), KindGeologyAge, geologyCounts(), glyphs), map[string]string{".unit-label": "code"}},
		{mustKind(t, geologyMeta(), KindGeologyLithology, geologyCounts(), glyphs), map[string]string{".unit-label": "code"}},
		{mustKind(t, occurrencesMeta(), KindOccurrenceCommodity, occurrencesCounts(), glyphs), map[string]string{".name": "name"}},
		{mustKind(t, mixedMeta(), KindDefault, nil, glyphs), map[string]string{".unit-label": "NAME", ".name": "NAME"}},
		{mustKind(t, faultsMeta(), KindFaultType, faultsCounts(), glyphs), nil},
	}
	for _, c := range cases {
		doc := decoded(t, c.style)
		got := map[string]string{}
		for _, l := range doc["layers"].([]any) {
			m := l.(map[string]any)
			if m["type"] != "symbol" || strings.HasSuffix(m["id"].(string), ".code") {
				continue
			}
			id := m["id"].(string)
			lay, paint := m["layout"].(map[string]any), m["paint"].(map[string]any)
			field, _ := lay["text-field"].([]any)
			if len(field) != 2 || field[0] != "get" {
				t.Errorf("%s: %s text-field %v, want [get field]", c.style.ID, id, lay["text-field"])
				continue
			}
			got[id[strings.LastIndex(id, "."):]] = field[1].(string)
			if !reflect.DeepEqual(lay["text-font"], font) || paint["text-halo-color"] != "#FFFFFF" || paint["text-halo-width"] != 1.2 {
				t.Errorf("%s: %s font %v, halo %v %v", c.style.ID, id, lay["text-font"], paint["text-halo-color"], paint["text-halo-width"])
			}
			if mz, _ := m["minzoom"].(float64); mz < 9 {
				t.Errorf("%s: %s from zoom %v, want 9 or more", c.style.ID, id, m["minzoom"])
			}
		}
		if len(got) != len(c.want) || (len(got) > 0 && !reflect.DeepEqual(got, c.want)) {
			t.Errorf("%s: labels %v, want %v", c.style.ID, got, c.want)
		}
	}
	// The mixed tileset's labels each keep to their geometry.
	doc := decoded(t, mustKind(t, mixedMeta(), KindDefault, nil, glyphs))
	if f := layerNamed(t, doc, ".name")["filter"]; !strings.Contains(fmt.Sprint(f), "Point") {
		t.Errorf("mixed name label filter %v, want points only", f)
	}
	// With font files, labelled styles name the complex scripts' fonts in
	// font-faces, for the characters of their scripts; others name none.
	files := Options{Base: testBase, Glyphs: glyphs.Glyphs, FontFiles: "/fonts/{font}.ttf"}
	faces := mustKind(t, geologyMeta(), KindGeologyAge, geologyCounts(), files).Document.FontFaces
	thai := faces["Noto Sans Thai Regular"]
	if len(faces) != 4 || len(thai) != 1 || thai[0].URL != testBase+"/fonts/Noto%20Sans%20Thai%20Regular.ttf" || !reflect.DeepEqual(thai[0].UnicodeRange, []string{"U+0E00-0E7F"}) {
		t.Errorf("font-faces %+v, want the Thai, Lao, Khmer and Myanmar fonts' files, Thai for U+0E00-0E7F", faces)
	}
	if f := mustKind(t, faultsMeta(), KindFaultType, faultsCounts(), files).Document.FontFaces; f != nil {
		t.Errorf("the faults style, with no text, has font-faces %+v", f)
	}
	if f := mustKind(t, geologyMeta(), KindGeologyAge, geologyCounts(), glyphs).Document.FontFaces; f != nil {
		t.Errorf("without font files, font-faces %+v", f)
	}
	for _, s := range allStyles(t, Options{Base: testBase}) {
		for _, l := range decoded(t, s)["layers"].([]any) {
			if l.(map[string]any)["type"] == "symbol" {
				t.Errorf("%s has a text layer without glyphs", s.ID)
			}
		}
	}
}

func mustKind(t *testing.T, meta *tileset.Metadata, kind string, counts Counts, opts Options) Style {
	t.Helper()
	s, err := ForKind(meta, kind, counts, opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
