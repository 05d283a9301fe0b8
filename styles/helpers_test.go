package styles

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/outcrop/outcrop/harmonise"
	"github.com/outcrop/outcrop/raster"
	"github.com/outcrop/outcrop/tileset"
)

const (
	testBase = "http://localhost:8080/outcrop"
	ics      = "http://resource.geosciml.org/classifier/ics/ischart/"
	litho    = "http://resource.geosciml.org/classifier/cgi/lithology/"
	faultT   = "http://resource.geosciml.org/classifier/cgi/faulttype/"
	commod   = "http://resource.geosciml.org/classifier/cgi/commodity-code/"
	nilURI   = harmonise.NilMissing
)

func fields(names ...string) []tileset.Field {
	out := make([]tileset.Field, len(names))
	for i, n := range names {
		out[i] = tileset.Field{Name: n, Type: "string"}
	}
	return out
}

// The fixtures below are tilesets as ingest describes them, with the value
// counts a harmonised ingest records.

func geologyMeta() *tileset.Metadata {
	return &tileset.Metadata{
		ID: "gswa-geology", Title: "Hamersley geology", Layer: "geology", GeometryType: "polygon",
		Fields: fields("code", "unitname", FieldAge, FieldLithology),
		Bounds: [4]float64{115.5, -23.5, 119.5, -21}, Center: [3]float64{117.5, -22.25, 7},
		FeatureCount: 61, MinZoom: 0, MaxZoom: 12,
	}
}

func geologyCounts() Counts {
	return Counts{
		FieldAge: {
			ics + "Permian":                 12,
			ics + "Jurassic":                7,
			ics + "Neoarchean":              30,
			nilURI:                          2,
			"http://example.org/not-a-unit": 1,
		},
		FieldLithology: {
			litho + "granite":            5,
			litho + "basalt":             4,
			litho + "limestone":          3,
			litho + "sand_size_sediment": 6,
			litho + "generic_sandstone":  2,
			litho + "schist":             8,
			litho + "mylonitic_rock":     1,
			nilURI:                       2,
		},
		"code": {"A-HAm-cib": 61},
	}
}

func faultsMeta() *tileset.Metadata {
	return &tileset.Metadata{
		ID: "gswa-faults", Title: "Hamersley faults", Layer: "faults", GeometryType: "line",
		Fields: fields("feature", FieldFaultType), Bounds: [4]float64{116, -23, 119, -21.5},
		Center: [3]float64{117.5, -22.2, 7}, FeatureCount: 14,
	}
}

func faultsCounts() Counts {
	return Counts{FieldFaultType: {
		faultT + "thrust_fault":               3,
		faultT + "dextral_strike_slip_fault":  2,
		faultT + "high_angle_reverse":         1,
		faultT + "fault":                      4,
		faultT + "detachment_fault":           2,
		"http://example.org/not-a-fault-type": 2,
	}}
}

func occurrencesMeta() *tileset.Metadata {
	return &tileset.Metadata{
		ID: "porphyry-copper", Title: "Porphyry copper deposits", Layer: "deposits", GeometryType: "point",
		Fields: fields("name", FieldCommodity), Bounds: [4]float64{95, -10, 130, 25},
		Center: [3]float64{112, 7, 4}, FeatureCount: 60,
	}
}

func occurrencesCounts() Counts {
	return Counts{FieldCommodity: {
		commod + "copper": 44,
		commod + "gold":   10,
		commod + "tin":    3,
		commod + "kaolin": 2,
		nilURI:            1,
	}}
}

func bordersMeta() *tileset.Metadata {
	return &tileset.Metadata{
		ID: "asean-borders", Title: "ASEAN borders", Layer: "countries", GeometryType: "polygon",
		Fields: fields("iso_a3", "name"), Bounds: [4]float64{90, -11, 125, 27},
		Center: [3]float64{107, 8, 3}, FeatureCount: 12,
	}
}

// rasterMeta is a raster tileset of one band of depths in km.
func rasterMeta() *tileset.Metadata {
	return &tileset.Metadata{
		ID: "slab-depth", Title: "Slab depth", Kind: tileset.KindRaster, Bounds: [4]float64{87, -16, 139, 31},
		Center: [3]float64{113, 7.5, 3}, MaxZoom: 5,
		Raster: &tileset.Raster{Encoding: raster.Encoding, TileSize: 256, Resampling: "bilinear", Bands: []tileset.Band{{
			Name: "z", Units: "km", DataType: "Float32",
			Stats: &raster.Stats{Count: 10, Min: -673, Max: -3, Percentiles: map[string]float64{"p2": -600, "p98": -8}},
		}}},
	}
}

// demMeta is a single-band raster of elevations in metres.
func demMeta() *tileset.Metadata {
	return &tileset.Metadata{
		ID: "srtm", Title: "Elevation", Kind: tileset.KindRaster, Bounds: [4]float64{98, 7, 100, 9},
		Center: [3]float64{99, 8, 8}, MaxZoom: 10,
		Raster: &tileset.Raster{Encoding: raster.Encoding, TileSize: 256, Resampling: "bilinear", Bands: []tileset.Band{{
			Name: "elevation", Units: "m", DataType: "Int16",
			Stats: &raster.Stats{Count: 10, Min: -5, Max: 1800, Percentiles: map[string]float64{"p2": 0, "p98": 1500}},
		}}},
	}
}

func mixedMeta() *tileset.Metadata {
	return &tileset.Metadata{
		ID: "survey-mixed", Title: "Unharmonised survey layer", Layer: "data", GeometryType: "mixed",
		Fields: fields("NAME", "TYPE"), Bounds: [4]float64{100, 10, 101, 11},
		Center: [3]float64{100.5, 10.5, 8}, FeatureCount: 300,
	}
}

// qaMeta is an {id}-qa tileset as outcrop compile writes it, and qaCounts
// the counts of its kinds and classes.
func qaMeta() *tileset.Metadata {
	return &tileset.Metadata{
		ID: "th-la-qa", Title: "Thailand and Lao PDR — edge-matching", Layer: "th-la-qa", GeometryType: "mixed",
		Fields: fields("kind", "class", "countries", "country", "onto", "a_identifier", "a_age_uri", "b_identifier", "b_age_uri"),
		Bounds: [4]float64{100, 17, 102, 19}, Center: [3]float64{101, 18, 8}, FeatureCount: 14,
	}
}

func qaCounts() Counts {
	return Counts{
		FieldQAKind:  {"segment": 12, "gap": 1, "overlap": 1},
		FieldQAClass: {"match": 4, "compatible": 2, "age_mismatch": 2, "lithology_mismatch": 1, "both_mismatch": 1, "gap": 2},
	}
}

// decoded returns the style as a client reads it: marshalled and parsed
// back into plain JSON values.
func decoded(t *testing.T, s Style) map[string]any {
	t.Helper()
	b, err := json.Marshal(s.Document)
	if err != nil {
		t.Fatalf("marshal %s: %v", s.ID, err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("unmarshal %s: %v", s.ID, err)
	}
	return doc
}

// layerNamed returns the decoded layer whose id ends with suffix.
func layerNamed(t *testing.T, doc map[string]any, suffix string) map[string]any {
	t.Helper()
	for _, l := range doc["layers"].([]any) {
		m := l.(map[string]any)
		if strings.HasSuffix(m["id"].(string), suffix) {
			return m
		}
	}
	t.Fatalf("no layer with id ending %q", suffix)
	return nil
}

// evalMatch evaluates a decoded ["match", ["get", field], labels, out, ...,
// fallback] (or a constant) for a feature whose field holds value, as
// MapLibre does.
func evalMatch(t *testing.T, expr any, field, value string) any {
	t.Helper()
	e, ok := expr.([]any)
	if !ok {
		return expr
	}
	if e[0] != "match" {
		t.Fatalf("expression %v is not a match", e)
	}
	if g := e[1].([]any); g[0] != "get" || g[1] != field {
		t.Fatalf("match input %v is not [get %s]", g, field)
	}
	for i := 2; i+1 < len(e); i += 2 {
		labels, ok := e[i].([]any)
		if !ok {
			t.Fatalf("match label %v is not an array (QGIS reads only arrays)", e[i])
		}
		for _, l := range labels {
			if l == value {
				return e[i+1]
			}
		}
	}
	return e[len(e)-1]
}

func styleOf(t *testing.T, styles []Style, kind string) Style {
	t.Helper()
	for _, s := range styles {
		if s.Kind == kind {
			return s
		}
	}
	t.Fatalf("no %s style among %d", kind, len(styles))
	return Style{}
}

func mustStyles(t *testing.T, meta *tileset.Metadata, counts Counts, opts Options) []Style {
	t.Helper()
	s, err := ForTileset(meta, counts, opts)
	if err != nil {
		t.Fatalf("ForTileset(%s): %v", meta.ID, err)
	}
	return s
}

// allStyles is every style of every fixture, plus the combined one.
// basemapMeta is data/basemap as make demo ingests it.
func basemapMeta() *tileset.Metadata {
	return &tileset.Metadata{
		ID: "basemap", Title: "Basemap (Natural Earth)", Layer: "basemap", GeometryType: "mixed",
		Fields: append(fields(FieldBasemapTheme, "name", "featurecla", "scale"), tileset.Field{Name: FieldScaleRank, Type: "integer"}),
		Bounds: [4]float64{-180, -85, 180, 85}, FeatureCount: 3558, MinZoom: 0, MaxZoom: 6,
	}
}

func allStyles(t *testing.T, opts Options) []Style {
	t.Helper()
	inputs := []Input{
		{geologyMeta(), geologyCounts()}, {faultsMeta(), faultsCounts()},
		{occurrencesMeta(), occurrencesCounts()}, {bordersMeta(), nil}, {mixedMeta(), nil},
		{qaMeta(), qaCounts()}, {rasterMeta(), nil}, {basemapMeta(), nil}, {demMeta(), nil},
		{unitsMeta(), geologyCounts()},
	}
	var out []Style
	for _, in := range inputs {
		out = append(out, mustStyles(t, in.Meta, in.Counts, opts)...)
	}
	c, err := Combined(inputs, opts)
	if err != nil {
		t.Fatalf("Combined: %v", err)
	}
	return append(out, c)
}

// drawnBy returns the one layer whose filter selects a feature whose field
// holds value, failing unless exactly one does.
func drawnBy(t *testing.T, doc map[string]any, field, value string) map[string]any {
	t.Helper()
	var found []map[string]any
	for _, l := range doc["layers"].([]any) {
		m := l.(map[string]any)
		if m["type"] == "background" || m["type"] == "symbol" {
			continue
		}
		if f, ok := m["filter"]; !ok || evalMatch(t, f, field, value) == true {
			found = append(found, m)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d layers draw %s = %q, want 1", len(found), field, value)
	}
	return found[0]
}
