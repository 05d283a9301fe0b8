package server

import (
	"testing"

	"github.com/outcrop/outcrop/styles"
	"github.com/outcrop/outcrop/tileset"
)

// TestThemeOf places tilesets in the catalogue's themes by keyword, by
// what their styles show, by their words and by their geometry.
func TestThemeOf(t *testing.T) {
	field := func(name string) []tileset.Field { return []tileset.Field{{Name: name, Type: "string"}} }
	for _, tc := range []struct {
		name string
		m    tileset.Metadata
		want string
	}{
		{"ingest --theme wins", tileset.Metadata{Title: "Faults", Keywords: []string{"Geophysics"}, GeometryType: "line", Theme: "hydrogeology"}, "hydrogeology"},
		{"keyword names the theme", tileset.Metadata{Title: "Faults", Keywords: []string{"Geophysics"}, GeometryType: "line"}, "geophysics"},
		{"ages are geology", tileset.Metadata{Title: "Mines map", GeometryType: "polygon", Fields: field(styles.FieldAge)}, "geology"},
		{"fault types are structure", tileset.Metadata{Title: "Hamersley geology", GeometryType: "line", Fields: field(styles.FieldFaultType)}, "structure"},
		{"commodities are occurrences", tileset.Metadata{Title: "MINEDEX", GeometryType: "point", Fields: field(styles.FieldCommodity)}, "occurrences"},
		{"a raster is geophysics", tileset.Metadata{Title: "TMI", Kind: tileset.KindRaster}, "geophysics"},
		{"a raster named a basemap", tileset.Metadata{Title: "Shaded relief basemap", Kind: tileset.KindRaster}, "basemap"},
		{"Natural Earth is the basemap", tileset.Metadata{Title: "Natural Earth coastlines", GeometryType: "line"}, "basemap"},
		{"the title before the description", tileset.Metadata{Title: "Test geology", Description: "squares and a fault", GeometryType: "mixed"}, "geology"},
		{"words in the description", tileset.Metadata{Title: "WA 500k", Description: "Mineral occurrences of the state", GeometryType: "mixed"}, "occurrences"},
		{"lines otherwise", tileset.Metadata{Title: "Layer 7", GeometryType: "line"}, "structure"},
		{"points otherwise", tileset.Metadata{Title: "Layer 8", GeometryType: "point"}, "occurrences"},
		{"polygons otherwise", tileset.Metadata{Title: "Layer 9", GeometryType: "polygon"}, "geology"},
	} {
		if got := themeOf(&tc.m); got != tc.want {
			t.Errorf("%s: theme %q, want %q", tc.name, got, tc.want)
		}
	}
}
