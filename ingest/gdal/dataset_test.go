package gdal

import (
	"archive/zip"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

const twoPoints = `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"name":"a"},"geometry":{"type":"Point","coordinates":[100,10]}},
{"type":"Feature","properties":{"name":"b"},"geometry":{"type":"Point","coordinates":[101,11]}}]}`

func TestOpenLayers(t *testing.T) {
	p := writeFile(t, "pts.geojson", twoPoints)
	ds, err := Open(p, VectorOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer ds.Close()
	if got := ds.Driver().ShortName(); got != "GeoJSON" {
		t.Errorf("driver = %q, want GeoJSON", got)
	}
	layers := ds.Layers()
	if len(layers) != 1 || layers[0].Name() != "pts" {
		t.Fatalf("layers = %v, want one named pts", layers)
	}
	if l := ds.LayerByName("pts"); l == nil || l.Name() != "pts" {
		t.Errorf("LayerByName(pts) = %v", l)
	}
	if l := ds.LayerByName("nope"); l != nil {
		t.Errorf("LayerByName(nope) = %v, want nil", l)
	}
	if files := ds.FileList(); !slices.Equal(files, []string{p}) {
		t.Errorf("FileList = %q, want [%s]", files, p)
	}
}

func TestOpenOptionsReachTheDriver(t *testing.T) {
	p := writeFile(t, "pts.csv", "name,lon,lat\na,100,10\n")
	for _, tc := range []struct {
		opts []string
		want GeometryType
	}{
		{nil, GTNone},
		{[]string{"X_POSSIBLE_NAMES=lon", "Y_POSSIBLE_NAMES=lat"}, GTPoint},
	} {
		ds, err := Open(p, VectorOnly(), Drivers("CSV"), DriverOpenOption(tc.opts...))
		if err != nil {
			t.Fatal(err)
		}
		if got := ds.Layers()[0].Type(); got != tc.want {
			t.Errorf("open options %q: layer type %s, want %s", tc.opts, got.Name(), tc.want.Name())
		}
		ds.Close()
	}
}

func TestIdentifyDriver(t *testing.T) {
	if got := IdentifyDriver(writeFile(t, "a.csv", "a,b\n1,2\n")); got != "CSV" {
		t.Errorf("IdentifyDriver(csv) = %q", got)
	}
	if got := IdentifyDriver(writeFile(t, "a.txt", "hello")); got != "" {
		t.Errorf("IdentifyDriver(text) = %q, want none", got)
	}
}

func TestReadDirRecursiveAndPathExistsInZip(t *testing.T) {
	p := filepath.Join(t.TempDir(), "a.zip")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for _, name := range []string{"data/pts.geojson", "readme.txt"} {
		w, _ := zw.Create(name)
		w.Write([]byte(twoPoints))
	}
	zw.Close()
	f.Close()

	list, err := ReadDirRecursive("/vsizip/" + p)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"data/pts.geojson", "readme.txt"} {
		if !slices.Contains(list, want) {
			t.Errorf("ReadDirRecursive = %q, missing %s", list, want)
		}
	}
	if !PathExists("/vsizip/" + p + "/data/pts.geojson") {
		t.Error("PathExists(member) = false")
	}
	if PathExists("/vsizip/" + p + "/data/nope.geojson") {
		t.Error("PathExists(absent member) = true")
	}
	ds, err := Open("/vsizip/"+p+"/data/pts.geojson", VectorOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer ds.Close()
	if n, err := ds.Layers()[0].FeatureCount(); err != nil || n != 2 {
		t.Errorf("FeatureCount in zip = %d, %v; want 2", n, err)
	}
}

func TestCloseTwice(t *testing.T) {
	ds, err := Open(writeFile(t, "pts.geojson", twoPoints), VectorOnly())
	if err != nil {
		t.Fatal(err)
	}
	if err := ds.Close(); err != nil {
		t.Fatal(err)
	}
	if err := ds.Close(); err == nil {
		t.Error("second Close succeeded; want an error, not a double free")
	}
}
