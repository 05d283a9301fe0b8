package styles

import (
	"slices"
	"testing"
)

// TestTextSymbols reads the label layers back as text symbols: unit codes
// centred on polygons, commodity codes under occurrences (a code per value,
// unknown values none) and their names above them, both geometries' names in a mixed tileset, each
// kept to its geometry; none without glyphs, none for faults.
func TestTextSymbols(t *testing.T) {
	glyphs := Options{Base: testBase, Glyphs: "/fonts/{fontstack}/{range}.pbf"}
	geo := mustKind(t, geologyMeta(), KindGeologyAge, geologyCounts(), glyphs).TextSymbols()
	if len(geo) != 1 || geo[0].Field != "code" || geo[0].Codes != nil || geo[0].Anchor != "center" || geo[0].Size != 10 ||
		geo[0].Colour != "#1A1A1A" || geo[0].Halo != "#FFFFFF" || geo[0].HaloWidth != 1.2 || geo[0].Fonts[0] != "Noto Sans Regular" || geo[0].MinZoom != 9 || geo[0].Geometry != "" {
		t.Errorf("geology labels %+v", geo)
	}
	occ := mustKind(t, occurrencesMeta(), KindOccurrenceCommodity, occurrencesCounts(), glyphs).TextSymbols()
	if len(occ) != 2 || occ[1].Field != "name" || occ[1].Codes != nil || occ[1].Anchor != "bottom" || occ[0].Field != FieldCommodity || occ[0].Codes[commod+"gold"] != "Au" || occ[0].Codes[commod+"copper"] != "Cu" ||
		occ[0].Codes[nilURI] != "" || occ[0].Anchor != "top" || occ[0].Offset[1] <= 0 {
		t.Errorf("commodity labels %+v", occ)
	}
	mixed := mustKind(t, mixedMeta(), KindDefault, nil, glyphs).TextSymbols()
	if len(mixed) != 2 || mixed[0].Geometry != "Polygon" || mixed[1].Geometry != "Point" || mixed[1].Field != "NAME" {
		t.Errorf("mixed labels %+v", mixed)
	}
	if got := mustKind(t, faultsMeta(), KindFaultType, faultsCounts(), glyphs).TextSymbols(); len(got) != 0 {
		t.Errorf("fault labels %+v", got)
	}
	if got := mustKind(t, geologyMeta(), KindGeologyAge, geologyCounts(), Options{Base: testBase}).TextSymbols(); len(got) != 0 {
		t.Errorf("labels without glyphs %+v", got)
	}
}

// TestBasemapTextSymbols reads the basemap's labels, whose size is a zoom
// table: river names along the rivers from zoom 6, below the place labels,
// one layer per band of scalerank: each band's ranks and the places theme
// as conditions, its minimum zoom, the rank as sort key, and the size
// interpolated at the map's zoom.
func TestBasemapTextSymbols(t *testing.T) {
	glyphs := Options{Base: testBase, Glyphs: "/fonts/{fontstack}/{range}.pbf"}
	texts := mustKind(t, basemapMeta(), KindBasemap, nil, glyphs).TextSymbols()
	if len(texts) != 5 {
		t.Fatalf("%d basemap label layers, want the rivers' and one per band (4): %+v", len(texts), texts)
	}
	rivers := texts[0]
	if rivers.Geometry != "LineString" || rivers.MinZoom != 6 || rivers.Field != FieldPlaceName || rivers.Colour != "#3D6F99" ||
		len(rivers.Where) != 1 || rivers.Where[0].Field != FieldBasemapTheme || !slices.Equal(rivers.Where[0].Values, []string{"rivers"}) {
		t.Errorf("river labels %+v", rivers)
	}
	// The most important band last, as the style draws it on top.
	top := texts[4]
	if top.Field != FieldPlaceName || top.Geometry != "Point" || top.MinZoom != 2 || top.SortKey != FieldScaleRank || top.Anchor != "top" || top.Offset != [2]float64{0, 0.6} {
		t.Errorf("top band %+v", top)
	}
	for zoom, size := range map[float64]float64{2: 10, 5.5: 11.5, 8: 13, 12: 13} {
		if got := top.SizeAt(zoom); got != size {
			t.Errorf("size at zoom %v: %v, want %v", zoom, got, size)
		}
	}
	get := func(props map[string]string) func(string) (string, bool) {
		return func(f string) (string, bool) { v, ok := props[f]; return v, ok }
	}
	for _, c := range []struct {
		props map[string]string
		want  bool
	}{
		{map[string]string{"kind": "places", "scalerank": "0"}, true},
		{map[string]string{"kind": "places", "scalerank": "2.0"}, true},
		{map[string]string{"kind": "places", "scalerank": "3"}, false},
		{map[string]string{"kind": "rivers", "scalerank": "1"}, false},
		{map[string]string{"kind": "places"}, false},
	} {
		if got := top.Selects(get(c.props)); got != c.want {
			t.Errorf("top band selects %v: %v, want %v", c.props, got, c.want)
		}
	}
	if !texts[1].Selects(get(map[string]string{"kind": "places", "scalerank": "8"})) || texts[1].MinZoom != 6 {
		t.Errorf("bottom band %+v does not select rank 8 from zoom 6", texts[1])
	}
}
