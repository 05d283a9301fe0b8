package harmonise

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/tileset"
)

const (
	icsNS  = "http://resource.geosciml.org/classifier/ics/ischart/"
	lithNS = "http://resource.geosciml.org/classifier/cgi/lithology/"
	comNS  = "http://resource.geosciml.org/classifier/cgi/commodity-code/"
	gutNS  = "http://resource.geosciml.org/classifier/cgi/geologicunittype/"
)

// dataFile is a real data file of the demo, in the repository's data/.
func dataFile(t *testing.T, rel string) string {
	t.Helper()
	p := filepath.Join("..", "data", rel)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("demo data: %v", err)
	}
	return p
}

func readGeoJSON(t *testing.T, rel string) []*geojson.Feature {
	t.Helper()
	b, err := os.ReadFile(dataFile(t, rel))
	if err != nil {
		t.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		t.Fatal(err)
	}
	return fc.Features
}

// readPorphyry reads the USGS CSV as GDAL's CSV driver types it: text,
// but for the coordinates.
func readPorphyry(t *testing.T) ([]*geojson.Feature, []tileset.Field) {
	t.Helper()
	f, err := os.Open(dataFile(t, "occurrences/usgs-porphyry-copper-deposits-2008.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := rows[0]
	var fields []tileset.Field
	for _, h := range head {
		fields = append(fields, tileset.Field{Name: h, Type: "string"})
	}
	var out []*geojson.Feature
	for _, row := range rows[1:] {
		ft := geojson.NewFeature(nil)
		for i, h := range head {
			ft.Properties[h] = row[i]
		}
		lon, _ := strconv.ParseFloat(ft.Properties.MustString("LongitudeDecimal"), 64)
		lat, _ := strconv.ParseFloat(ft.Properties.MustString("LatitudeDecimal"), 64)
		ft.Geometry = orb.Point{lon, lat}
		out = append(out, ft)
	}
	return out, fields
}

// fieldsOf is the schema of features: every property name, as text.
func fieldsOf(fs []*geojson.Feature) []tileset.Field {
	seen := map[string]bool{}
	var out []tileset.Field
	for _, f := range fs {
		for k := range f.Properties {
			if !seen[k] {
				seen[k] = true
				out = append(out, tileset.Field{Name: k, Type: "string"})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// parse loads a mapping written in a test, indented as Go source allows.
func parse(t *testing.T, yaml string) *Mapping {
	t.Helper()
	m, err := Parse("test.yaml", []byte(dedent(yaml)))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// dedent removes the common leading tabs of a raw string literal.
func dedent(s string) string {
	lines := strings.Split(strings.TrimPrefix(s, "\n"), "\n")
	prefix := ""
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		p := l[:len(l)-len(strings.TrimLeft(l, "\t"))]
		if prefix == "" || len(p) < len(prefix) {
			prefix = p
		}
	}
	for i, l := range lines {
		if strings.TrimSpace(l) == "" {
			lines[i] = ""
			continue
		}
		lines[i] = strings.TrimPrefix(l, prefix)
	}
	return strings.Join(lines, "\n")
}

func feature(props map[string]any) *geojson.Feature {
	f := geojson.NewFeature(orb.Point{0, 0})
	for k, v := range props {
		f.Properties[k] = v
	}
	return f
}
