package ingest

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// Three deposits in Thailand, with a string, an integer and a real attribute.
const depositsGeoJSON = `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"name":"Bo Phloi","code":7,"grade":1.25},"geometry":{"type":"Point","coordinates":[99.5,14.3]}},
{"type":"Feature","properties":{"name":"Loei","code":8,"grade":0.5},"geometry":{"type":"Point","coordinates":[101.7,17.5]}},
{"type":"Feature","properties":{"name":"Chanthaburi","code":9,"grade":2.0},"geometry":{"type":"Point","coordinates":[102.1,12.6]}}]}`

// Two faults, for a second layer.
const faultsGeoJSON = `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"name":"Three Pagodas","slip":"sinistral"},"geometry":{"type":"LineString","coordinates":[[98.2,15.3],[99.9,14.0]]}},
{"type":"Feature","properties":{"name":"Mae Ping","slip":"sinistral"},"geometry":{"type":"LineString","coordinates":[[98.0,17.5],[100.5,15.5]]}}]}`

var depositPoints = []orb.Point{{99.5, 14.3}, {101.7, 17.5}, {102.1, 12.6}}

// checkDeposits asserts the three deposits came through: ids, positions and
// typed attributes (nameField is the name attribute's spelling in the format).
func checkDeposits(t *testing.T, sum *Summary, feats []*geojson.Feature, nameField string) {
	t.Helper()
	if sum.Read != 3 || sum.Written != 3 || len(feats) != 3 {
		t.Fatalf("read %d, written %d, features %d; want 3", sum.Read, sum.Written, len(feats))
	}
	for i, f := range feats {
		if f.ID != uint64(i+1) {
			t.Errorf("feature %d id = %v, want %d", i, f.ID, i+1)
		}
		p, ok := f.Geometry.(orb.Point)
		if !ok || !near(p, depositPoints[i], 1e-9) {
			t.Errorf("feature %d geometry = %v, want %v", i, f.Geometry, depositPoints[i])
		}
	}
	props := feats[0].Properties
	if props[nameField] != "Bo Phloi" {
		t.Errorf("%s = %#v, want \"Bo Phloi\"", nameField, props[nameField])
	}
	if props["code"] != int64(7) {
		t.Errorf("code = %#v, want int64(7)", props["code"])
	}
	if props["grade"] != 1.25 {
		t.Errorf("grade = %#v, want float64(1.25)", props["grade"])
	}
}

func near(a, b orb.Point, eps float64) bool {
	return abs(a[0]-b[0]) <= eps && abs(a[1]-b[1]) <= eps
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}

func TestReadFormats(t *testing.T) {
	dir := t.TempDir()
	src := writeFile(t, dir, "deposits.geojson", depositsGeoJSON)

	t.Run("GeoJSON", func(t *testing.T) {
		sum, feats, _ := mustRead(t, src, Options{})
		checkDeposits(t, sum, feats, "name")
		if sum.Driver != "GeoJSON" || sum.SourceCRS != "EPSG:4326" {
			t.Errorf("driver %q, CRS %q", sum.Driver, sum.SourceCRS)
		}
	})

	t.Run("Shapefile", func(t *testing.T) {
		shp := filepath.Join(t.TempDir(), "deposits.shp")
		gdalTool(t, "ogr2ogr", "-f", "ESRI Shapefile", shp, src)
		sum, feats, _ := mustRead(t, shp, Options{})
		checkDeposits(t, sum, feats, "name")
	})

	t.Run("zipped Shapefile", func(t *testing.T) {
		d := t.TempDir()
		shp := filepath.Join(d, "deposits.shp")
		gdalTool(t, "ogr2ogr", "-f", "ESRI Shapefile", shp, src)
		archive := filepath.Join(d, "deposits.zip")
		var parts []string
		for _, ext := range []string{".shp", ".shx", ".dbf", ".prj"} {
			parts = append(parts, strings.TrimSuffix(shp, ".shp")+ext)
		}
		zipFiles(t, archive, parts...)
		for _, name := range []string{archive, "/vsizip/" + archive + "/deposits.shp"} {
			sum, feats, _ := mustRead(t, name, Options{})
			checkDeposits(t, sum, feats, "name")
		}
	})

	t.Run("GeoPackage with two layers", func(t *testing.T) {
		gpkg := filepath.Join(t.TempDir(), "survey.gpkg")
		gdalTool(t, "ogr2ogr", "-f", "GPKG", "-nln", "deposits", gpkg, src)
		gdalTool(t, "ogr2ogr", "-f", "GPKG", "-update", "-nln", "faults", gpkg, writeFile(t, dir, "faults.geojson", faultsGeoJSON))

		sum, feats, _ := mustRead(t, gpkg, Options{SourceLayer: "deposits"})
		checkDeposits(t, sum, feats, "name")

		sum, feats, _ = mustRead(t, gpkg, Options{SourceLayer: "faults"})
		if sum.Layer != "faults" || len(feats) != 2 || feats[1].Properties["name"] != "Mae Ping" {
			t.Errorf("faults layer: %s, %d features", sum.Layer, len(feats))
		}
		if _, ok := feats[0].Geometry.(orb.LineString); !ok {
			t.Errorf("fault geometry %T, want LineString", feats[0].Geometry)
		}

		_, _, _, err := readOnly(t, gpkg, Options{})
		assertUserError(t, err, gpkg, "2 layers", "deposits", "faults", "--source-layer")
		_, _, _, err = readOnly(t, gpkg, Options{SourceLayer: "dykes"})
		assertUserError(t, err, gpkg, `"dykes"`, "deposits, faults", "--source-layer")
	})

	t.Run("CSV longitude/latitude", func(t *testing.T) {
		csv := writeFile(t, t.TempDir(), "deposits.csv",
			"Name,LongitudeDegrees,LongitudeDecimal,LatitudeDecimal,code,grade\n"+
				"Bo Phloi,99,99.5,14.3,7,1.25\n"+
				"Loei,101,101.7,17.5,8,0.5\n"+
				"Chanthaburi,102,102.1,12.6,9,2.0\n")
		logs := &logRecorder{}
		sum, feats, attrs := mustRead(t, csv, Options{Logger: logs.logger()})
		checkDeposits(t, sum, feats, "Name")
		if !logs.contains("read as WGS 84") {
			t.Errorf("no warning that the CSV was taken as WGS 84; logged %q", logs.msgs)
		}
		for _, a := range attrs {
			if strings.HasSuffix(a.name, "Decimal") {
				t.Errorf("coordinate column %s kept as an attribute", a.name)
			}
		}
		if feats[0].Properties["LongitudeDegrees"] != int64(99) {
			t.Errorf("LongitudeDegrees = %#v, want the other column kept as int64(99)", feats[0].Properties["LongitudeDegrees"])
		}
	})

	t.Run("CSV WKT", func(t *testing.T) {
		csv := writeFile(t, t.TempDir(), "blocks.csv",
			"WKT,block,area_km2\n"+
				`"POLYGON ((99 14,100 14,100 15,99 15,99 14))",A1,12321.5`+"\n"+
				`"POLYGON ((100 14,101 14,101 15,100 15,100 14))",A2,12300`+"\n")
		_, _, _, err := readOnly(t, csv, Options{})
		assertUserError(t, err, csv, "no coordinate reference system", "--s-srs")

		sum, feats, _ := mustRead(t, csv, Options{SrcSRS: "EPSG:4326"})
		if sum.Read != 2 || len(feats) != 2 {
			t.Fatalf("read %d", sum.Read)
		}
		if p, ok := feats[1].Geometry.(orb.Polygon); !ok || p.Bound() != (orb.Bound{Min: orb.Point{100, 14}, Max: orb.Point{101, 15}}) {
			t.Errorf("block A2 = %v", feats[1].Geometry)
		}
		if feats[0].Properties["block"] != "A1" || feats[0].Properties["area_km2"] != 12321.5 {
			t.Errorf("properties %v", feats[0].Properties)
		}
		if _, ok := feats[0].Properties["WKT"]; ok {
			t.Error("WKT column kept as an attribute")
		}
	})

	t.Run("KML", func(t *testing.T) {
		kml := filepath.Join(t.TempDir(), "deposits.kml")
		gdalTool(t, "ogr2ogr", "-f", "KML", kml, src)
		sum, feats, _ := mustRead(t, kml, Options{})
		checkDeposits(t, sum, feats, "Name")
	})

	t.Run("FileGDB", func(t *testing.T) {
		gdb := filepath.Join(t.TempDir(), "deposits.gdb")
		gdalTool(t, "ogr2ogr", "-f", "OpenFileGDB", gdb, src)
		sum, feats, _ := mustRead(t, gdb, Options{})
		checkDeposits(t, sum, feats, "name")
		if sum.Driver != "OpenFileGDB" {
			t.Errorf("driver %q", sum.Driver)
		}
	})
}

// assertUserError checks err is a one-line *Error containing every part.
func assertUserError(t *testing.T, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error; want one mentioning %q", parts)
	}
	var ue *Error
	if !errors.As(err, &ue) {
		t.Errorf("error %q is a %T, want *ingest.Error", err, err)
	}
	msg := err.Error()
	if strings.ContainsAny(msg, "\n\r") {
		t.Errorf("error is not one line: %q", msg)
	}
	for _, p := range parts {
		if !strings.Contains(msg, p) {
			t.Errorf("error %q does not mention %q", msg, p)
		}
	}
}
