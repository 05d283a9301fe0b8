package styles

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestCombinedDrawsPolygonsThenLinesThenPoints(t *testing.T) {
	inputs := []Input{ // deliberately not in id or geometry order
		{occurrencesMeta(), occurrencesCounts()}, {mixedMeta(), nil}, {faultsMeta(), faultsCounts()},
		{geologyMeta(), geologyCounts()}, {bordersMeta(), nil},
	}
	s, err := Combined(inputs, Options{Base: testBase, Glyphs: "/fonts/{fontstack}/{range}.pbf"})
	if err != nil {
		t.Fatal(err)
	}
	if s.ID != CombinedID || s.Tileset != "" {
		t.Errorf("ID %q, tileset %q", s.ID, s.Tileset)
	}
	doc := decoded(t, s)
	layers := doc["layers"].([]any)
	var types []string
	ids := map[string]bool{}
	rank := -1
	for i, l := range layers {
		m := l.(map[string]any)
		typ, id := m["type"].(string), m["id"].(string)
		types = append(types, typ)
		if ids[id] {
			t.Errorf("layer id %s twice", id)
		}
		ids[id] = true
		if (typ == "background") != (i == 0) {
			t.Errorf("layer %d %s: one background, first", i, id)
		}
		if r := layerRank[typ]; r < rank {
			t.Errorf("layer %d %s (%s) drawn after a higher rank: %v", i, id, typ, types)
		} else {
			rank = r
		}
	}
	// Within a rank, tilesets keep id order: the borders' line under the faults.
	if i, j := indexOf(layers, "asean-borders.line"), indexOf(layers, "gswa-faults.thrust_fault"); i < 0 || j < 0 || i > j {
		t.Errorf("borders at %d, thrusts at %d", i, j)
	}
	// The geology fill comes before every line and circle.
	if i := indexOf(layers, "gswa-geology.fill"); i != 1 && i != 2 {
		t.Errorf("geology fill at %d", i)
	}
	if last := layers[len(layers)-1].(map[string]any); last["type"] != "symbol" {
		t.Errorf("text is not on top: last layer %v", last["id"])
	}

	sources := doc["sources"].(map[string]any)
	if len(sources) != 5 {
		t.Errorf("%d sources, want 5", len(sources))
	}
	for id, src := range sources {
		if u := src.(map[string]any)["url"]; u != testBase+"/tiles/"+id+".json" {
			t.Errorf("source %s url %v", id, u)
		}
	}

	var legends []string
	for _, l := range s.Legends {
		legends = append(legends, l.Style)
	}
	want := []string{"asean-borders.borders", "gswa-faults.faults-type", "gswa-geology.geology-age",
		"porphyry-copper.occurrences-commodity", "survey-mixed.default"}
	if !reflect.DeepEqual(legends, want) {
		t.Errorf("legends %v, want %v", legends, want)
	}
	// The legends travel in the style too, identical.
	b, _ := json.Marshal(s.Legends)
	var direct any
	if err := json.Unmarshal(b, &direct); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(doc["metadata"].(map[string]any)["outcrop:legends"], direct) {
		t.Errorf("metadata legends differ from Style.Legends")
	}

	// It opens on the union of the bounds: 90..130 E, 23.5 S..27 N.
	c := doc["center"].([]any)
	if c[0] != 110.0 || c[1] != 1.75 || doc["zoom"] != 2.0 {
		t.Errorf("center %v zoom %v, want [110 1.75] zoom 2", c, doc["zoom"])
	}
}

func indexOf(layers []any, id string) int {
	for i, l := range layers {
		if l.(map[string]any)["id"] == id {
			return i
		}
	}
	return -1
}

func TestCombinedEdgeCases(t *testing.T) {
	s, err := Combined(nil, Options{Base: testBase})
	if err != nil {
		t.Fatal(err)
	}
	doc := decoded(t, s)
	if n := len(doc["layers"].([]any)); n != 1 || s.Legends == nil || doc["center"] != nil {
		t.Errorf("empty store: %d layers, legends %v, center %v", n, s.Legends, doc["center"])
	}

	_, err = Combined([]Input{{faultsMeta(), faultsCounts()}, {faultsMeta(), faultsCounts()}}, Options{Base: testBase})
	if err == nil || !strings.Contains(err.Error(), `"gswa-faults" given twice`) {
		t.Errorf("duplicate tileset: %v", err)
	}
	_, err = Combined([]Input{{geologyMeta(), nil}}, Options{Base: testBase})
	if err == nil || !strings.Contains(err.Error(), "no counts") {
		t.Errorf("missing counts: %v", err)
	}
}
