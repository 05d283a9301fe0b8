package synth

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

func twoPoints() []*geojson.Feature {
	a := geojson.NewFeature(orb.Point{500000.5, 2000000.25})
	a.ID = 1
	a.Properties["name"] = "Ban Hin Lek"
	b := geojson.NewFeature(orb.Point{600000, 1900000})
	b.ID = 2
	b.Properties["name_th"] = "บ้านหินเหล็ก"
	return []*geojson.Feature{a, b}
}

func TestWriteGeoJSONWritesTheNamedCRS(t *testing.T) {
	for crs, want := range map[string]string{
		"EPSG:24047":                  "urn:ogc:def:crs:EPSG::24047",
		"urn:ogc:def:crs:EPSG::28350": "urn:ogc:def:crs:EPSG::28350",
		"":                            "",
	} {
		var b bytes.Buffer
		if err := WriteGeoJSON(&b, "layer one", crs, slices.Values(twoPoints())); err != nil {
			t.Fatalf("crs %q: %v", crs, err)
		}
		var doc struct {
			Type string
			Name string
			CRS  *struct {
				Type       string
				Properties struct{ Name string }
			}
			Features []struct {
				ID         int
				Geometry   struct{ Coordinates []float64 }
				Properties map[string]string
			}
		}
		if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
			t.Fatalf("crs %q: output is not JSON: %v\n%s", crs, err, b.Bytes())
		}
		if doc.Type != "FeatureCollection" || doc.Name != "layer one" || len(doc.Features) != 2 {
			t.Fatalf("crs %q: got type %q, name %q, %d features", crs, doc.Type, doc.Name, len(doc.Features))
		}
		switch {
		case want == "" && doc.CRS != nil:
			t.Errorf("crs %q: wrote a crs member %+v", crs, doc.CRS)
		case want != "" && (doc.CRS == nil || doc.CRS.Type != "name" || doc.CRS.Properties.Name != want):
			t.Errorf("crs %q: crs member %+v, want name %q", crs, doc.CRS, want)
		}
		f := doc.Features[1]
		if f.ID != 2 || f.Properties["name_th"] != "บ้านหินเหล็ก" || !slices.Equal(f.Geometry.Coordinates, []float64{600000, 1900000}) {
			t.Errorf("crs %q: second feature came back as %+v", crs, f)
		}
	}
}

func TestWriteGeoJSONOfNothingIsAnEmptyCollection(t *testing.T) {
	var b bytes.Buffer
	if err := WriteGeoJSON(&b, "empty", CRS, slices.Values([]*geojson.Feature(nil))); err != nil {
		t.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(b.Bytes())
	if err != nil || len(fc.Features) != 0 {
		t.Fatalf("got %v, %v; want an empty FeatureCollection", fc, err)
	}
}

func TestWriteGeoJSONRefusesAnUnknownCRS(t *testing.T) {
	err := WriteGeoJSON(&bytes.Buffer{}, "x", "Indian 1975", slices.Values(twoPoints()))
	if err == nil || !strings.Contains(err.Error(), "EPSG:") {
		t.Fatalf("got %v, want an error saying how to write the CRS", err)
	}
}

type failingWriter struct{ after int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.after -= len(p); w.after < 0 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

func TestWriteGeoJSONReportsWriteErrors(t *testing.T) {
	err := WriteGeology(&failingWriter{after: 100000}, GeologyOptions{Units: 50, Seed: 1})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("got %v, want the writer's error", err)
	}
}

// gdal runs a GDAL command-line tool and returns its standard output.
func gdal(t *testing.T, tool string, args ...string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("runs GDAL on a full map; skipped in -short mode")
	}
	if _, err := exec.LookPath(tool); err != nil {
		t.Skipf("%s not found: install Debian's gdal-bin (make test does)", tool)
	}
	out, err := exec.Command(tool, args...).Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("%s %s: %v\n%s", tool, strings.Join(args, " "), err, ee.Stderr)
		}
		t.Fatalf("%s: %v", tool, err)
	}
	return string(out)
}

// writeFile writes through one of the package's writers into a test file.
func writeFile(t *testing.T, name string, write func(*os.File) error) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := write(f); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// sqlValue picks "name (Type) = value" out of ogrinfo's report of a query.
func sqlValue(t *testing.T, report, name string) float64 {
	t.Helper()
	m := regexp.MustCompile(regexp.QuoteMeta(name) + ` \(\w+\) = (\S+)`).FindStringSubmatch(report)
	if m == nil {
		t.Fatalf("no %s in ogrinfo's report:\n%s", name, report)
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		t.Fatalf("%s = %q: %v", name, m[1], err)
	}
	return v
}

// TestGDALReadsTheDemoMap checks the demo map as GDAL and GEOS see it: the
// national CRS, every unit, every polygon valid by OGC rules, the region
// covered, and Thai text intact.
func TestGDALReadsTheDemoMap(t *testing.T) {
	path := writeFile(t, "geology.geojson", func(f *os.File) error { return WriteGeology(f, GeologyOptions{}) })

	summary := gdal(t, "ogrinfo", "-ro", "-so", "-al", path)
	for _, want := range []string{
		"Layer name: " + GeologyLayer,
		"Geometry: Multi Polygon",
		fmt.Sprintf("Feature Count: %d", DefaultUnits),
		`PROJCRS["Indian 1975 / UTM zone 47N"`,
		"name_th: String",
		"max_age_ma: Real",
	} {
		if !strings.Contains(summary, want) {
			t.Errorf("ogrinfo does not report %q:\n%s", want, summary)
		}
	}

	report := gdal(t, "ogrinfo", "-ro", "-dialect", "sqlite", "-sql",
		"SELECT count(*) AS units, sum(ST_IsValid(geometry)) AS valid, sum(ST_Area(geometry)) AS area, "+
			"(SELECT name_th FROM "+GeologyLayer+" WHERE code = 'Trgr' LIMIT 1) AS thai FROM "+GeologyLayer, path)
	if units, valid := sqlValue(t, report, "units"), sqlValue(t, report, "valid"); units != DefaultUnits || valid != units {
		t.Errorf("GEOS finds %g of %g units valid", valid, units)
	}
	want := (region.Max[0] - region.Min[0]) * (region.Max[1] - region.Min[1])
	if area := sqlValue(t, report, "area"); math.Abs(area-want) > 1e-6*want {
		t.Errorf("GEOS measures %g m², region is %g m²", area, want)
	}

	if !strings.Contains(report, "thai (String) = หินแกรนิตยุคไทรแอสซิก") {
		t.Errorf("GDAL does not read the Thai unit name back:\n%s", report)
	}
}

// TestGDALPlacesTheMapInNorthernThailand reprojects a map and occurrences
// with GDAL and checks that they land where the package says: 97.5–102.5°E,
// 15–20.5°N, across the borders with Myanmar and Lao PDR.
func TestGDALPlacesTheMapInNorthernThailand(t *testing.T) {
	extent := regexp.MustCompile(`Extent: \(([-\d.]+), ([-\d.]+)\) - \(([-\d.]+), ([-\d.]+)\)`)
	for name, write := range map[string]func(*os.File) error{
		"geology.geojson":     func(f *os.File) error { return WriteGeology(f, GeologyOptions{Units: 20, VerticesPerEdge: 2}) },
		"occurrences.geojson": func(f *os.File) error { return WriteOccurrences(f, OccurrenceOptions{Count: 3000}) },
	} {
		path := writeFile(t, name, write)
		summary := gdal(t, "ogrinfo", "-ro", "-so", "-al", path)
		if !strings.Contains(summary, `PROJCRS["Indian 1975 / UTM zone 47N"`) {
			t.Errorf("%s: GDAL does not see Indian 1975 / UTM 47N:\n%s", name, summary)
		}
		lonlat := filepath.Join(t.TempDir(), "wgs84-"+name)
		gdal(t, "ogr2ogr", "-t_srs", "EPSG:4326", lonlat, path)
		m := extent.FindStringSubmatch(gdal(t, "ogrinfo", "-ro", "-so", "-al", lonlat))
		if m == nil {
			t.Fatalf("%s: no extent after reprojection", name)
		}
		var e [4]float64
		for i := range e {
			e[i], _ = strconv.ParseFloat(m[i+1], 64)
		}
		// The UTM rectangle holds the nominal box, rounded outwards; the
		// occurrences lie within it and spread across it.
		outer := [4]float64{97.35, 14.9, 102.65, 20.6}
		inside := e[0] >= outer[0] && e[1] >= outer[1] && e[2] <= outer[2] && e[3] <= outer[3]
		var fits bool
		if name == "geology.geojson" {
			fits = inside && e[0] <= 97.5 && e[1] <= 15 && e[2] >= 102.5 && e[3] >= 20.5
		} else {
			fits = inside && e[2]-e[0] > 4 && e[3]-e[1] > 4
		}
		if !fits {
			t.Errorf("%s: extent in WGS 84 is %v, want about (97.5, 15) - (102.5, 20.5)", name, e)
		}
	}
}
