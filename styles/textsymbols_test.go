package styles

import "testing"

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
