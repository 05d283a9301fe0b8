package gdal

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

const typed = `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"i":1,"big":9007199254740993,"r":1.5,"s":"x","d":"2020-01-02","dt":"2020-01-02T03:04:05Z","dtu":"2020-01-02T03:04:05","dto":"2020-01-02T03:04:05.250+07:00","b":true,"il":[1,2],"sl":["a","b"],"rl":[1.5,2],"n":null},"geometry":{"type":"Point","coordinates":[100,10]}},
{"type":"Feature","properties":{"i":2,"s":null},"geometry":null}]}`

func TestLayout(t *testing.T) {
	ds, err := Open(writeFile(t, "typed.geojson", typed), VectorOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer ds.Close()
	l := ds.Layers()[0].Layout()
	want := []FieldDefinition{
		{"i", FTInt, FSTNone}, {"big", FTInt64, FSTNone}, {"r", FTReal, FSTNone}, {"s", FTString, FSTNone},
		{"d", FTDate, FSTNone}, {"dt", FTDateTime, FSTNone}, {"dtu", FTDateTime, FSTNone}, {"dto", FTDateTime, FSTNone},
		{"b", FTInt, FSTBoolean}, {"il", FTIntList, FSTNone}, {"sl", FTStringList, FSTNone}, {"rl", FTRealList, FSTNone},
		{"n", FTString, FSTNone},
	}
	if len(l.Fields) != len(want) {
		t.Fatalf("fields = %+v, want %+v", l.Fields, want)
	}
	for i := range want {
		if l.Fields[i] != want[i] {
			t.Errorf("field %d = %+v, want %+v", i, l.Fields[i], want[i])
		}
	}
	if l.GeometryType != GTPoint {
		t.Errorf("geometry type = %s, want Point", l.GeometryType.Name())
	}
}

func TestNextFeatureReportsTruncatedShapefile(t *testing.T) {
	if _, err := exec.LookPath("ogr2ogr"); err != nil {
		t.Fatal("ogr2ogr not found: install gdal-bin")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "pts.geojson")
	os.WriteFile(src, []byte(twoPoints), 0o644)
	shp := filepath.Join(dir, "pts.shp")
	if out, err := exec.Command("ogr2ogr", "-f", "ESRI Shapefile", shp, src).CombinedOutput(); err != nil {
		t.Fatalf("ogr2ogr: %v\n%s", err, out)
	}
	if err := os.Truncate(shp, 120); err != nil { // inside the first record
		t.Fatal(err)
	}
	ds, err := Open(shp, VectorOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer ds.Close()
	layer := ds.Layers()[0]
	f, err := layer.NextFeature()
	if err == nil {
		f.Close()
		t.Fatal("NextFeature on a truncated .shp returned no error")
	}
	if f != nil {
		t.Error("NextFeature returned a feature with its error")
	}
}

func TestSpatialRefOfLayer(t *testing.T) {
	ds, err := Open(writeFile(t, "pts.geojson", twoPoints), VectorOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer ds.Close()
	sr := ds.Layers()[0].SpatialRef()
	if sr == nil {
		t.Fatal("GeoJSON layer has no CRS")
	}
	defer sr.Close()
	wgs84, _ := NewSpatialRefFromEPSG(4326)
	defer wgs84.Close()
	if !sr.IsSame(wgs84) {
		t.Errorf("GeoJSON CRS %s is not WGS 84 in traditional axis order", sr.Name())
	}

	csv, err := Open(writeFile(t, "a.csv", "a,b\n1,2\n"), VectorOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer csv.Close()
	if sr := csv.Layers()[0].SpatialRef(); sr != nil {
		t.Errorf("CSV layer CRS = %s, want nil", sr.Name())
	}
}

func TestFeatureCountAndMetadata(t *testing.T) {
	if _, err := exec.LookPath("ogr2ogr"); err != nil {
		t.Fatal("ogr2ogr not found: install gdal-bin")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "pts.geojson")
	os.WriteFile(src, []byte(twoPoints), 0o644)
	shp := filepath.Join(dir, "pts.shp")
	if out, err := exec.Command("ogr2ogr", "-f", "ESRI Shapefile", "-lco", "ENCODING=CP874", shp, src).CombinedOutput(); err != nil {
		t.Fatalf("ogr2ogr: %v\n%s", err, out)
	}
	ds, err := Open(shp, VectorOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer ds.Close()
	layer := ds.Layers()[0]
	if n, err := layer.FeatureCount(); err != nil || n != 2 {
		t.Errorf("FeatureCount = %d, %v; want 2", n, err)
	}
	if !layer.TestCapability("FastFeatureCount") {
		t.Error("shapefile layer lacks FastFeatureCount")
	}
	if got := layer.Metadata("ENCODING_FROM_CPG", Domain("SHAPEFILE")); got != "CP874" {
		t.Errorf("SHAPEFILE metadata ENCODING_FROM_CPG = %q, want CP874", got)
	}
	if got := layer.Metadata("ENCODING_FROM_CPG"); got != "" {
		t.Errorf("default-domain metadata ENCODING_FROM_CPG = %q, want none", got)
	}
}
