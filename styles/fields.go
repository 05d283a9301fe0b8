package styles

import "github.com/outcrop/outcrop/harmonise"

// The harmonised fields the thematic styles read: GeoSciML-Lite
// (GeologicUnitView, ShearDisplacementStructureView) and EarthResourceML-Lite
// (MineralOccurrenceView) fields, named once, in package harmonise, which
// writes them. Their values are vocabulary URIs or OGC nil URIs.
const (
	// FieldAge holds an ICS chart unit URI.
	FieldAge = harmonise.FieldRepresentativeAgeURI
	// FieldLithology holds a CGI Simple Lithology URI.
	FieldLithology = harmonise.FieldRepresentativeLithologyURI
	// FieldFaultType holds a CGI Fault Type URI.
	FieldFaultType = harmonise.FieldFaultTypeURI
	// FieldCommodity holds a CGI Commodity Code URI.
	FieldCommodity = harmonise.FieldRepresentativeCommodityURI
)

// The kinds of style. A style's ID is "{tileset}.{kind}"; see ID.
const (
	// KindGeologyAge fills units with the ICS chart colour of FieldAge.
	KindGeologyAge = "geology-age"
	// KindGeologyUnit fills units by their code (the tileset's Units): with
	// the survey's own colours, or shades of each unit's age colour.
	KindGeologyUnit = "geology-unit"
	// KindGeologyLithology fills units by the lithology class of FieldLithology.
	KindGeologyLithology = "geology-lithology"
	// KindFaultType draws faults by the class of FieldFaultType.
	KindFaultType = "faults-type"
	// KindOccurrenceCommodity draws occurrences by the commodity group of
	// FieldCommodity.
	KindOccurrenceCommodity = "occurrences-commodity"
	// KindBorders draws polygons as boundary lines only.
	KindBorders = "borders"
	// KindEdgeMatching draws the {id}-qa tileset of outcrop compile: border
	// segments by class, gaps and overlaps as hatched areas.
	KindEdgeMatching = "edge-matching"
	// KindDefault draws any tileset by its geometry type alone.
	KindDefault = "default"
	// KindRaster draws a raster tileset's tiles as the server renders them
	// by default; it is the only kind a raster tileset offers.
	KindRaster = "raster"
	// KindTerrain draws a single-band raster tileset as KindRaster does,
	// lit by a hillshade of its values read as elevations (a raster-dem
	// source), and as 3D terrain when they are metres.
	KindTerrain = "terrain"
)

// kindTitles name each kind in style and legend titles.
var kindTitles = map[string]string{
	KindGeologyAge:          "geology by age (ICS chart colours)",
	KindGeologyUnit:         "geology by unit (the survey's legend)",
	KindGeologyLithology:    "geology by lithology (CGI Simple Lithology)",
	KindFaultType:           "faults by type (CGI Fault Type)",
	KindOccurrenceCommodity: "mineral occurrences by commodity group (CGI Commodity Code)",
	KindBorders:             "borders",
	KindEdgeMatching:        "edge-matching",
	KindDefault:             "default style",
	KindRaster:              "values on a colour ramp",
	KindBasemap:             "basemap",
	KindTerrain:             "values on a colour ramp, hillshaded",
}
