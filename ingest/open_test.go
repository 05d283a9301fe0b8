package ingest

import (
	"archive/zip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestZipMember(t *testing.T) {
	dir := t.TempDir()
	pts := writeFile(t, dir, "deposits.geojson", depositsGeoJSON)
	faults := writeFile(t, dir, "faults.geojson", faultsGeoJSON)
	junk := writeFile(t, dir, "._deposits.geojson", "mac resource fork")
	readme := writeFile(t, dir, "README.txt", "survey data")

	one := filepath.Join(dir, "one.zip")
	zipFiles(t, one, pts, junk, readme)
	got, err := gdalPath(one)
	if err != nil || got != "/vsizip/"+one+"/deposits.geojson" {
		t.Errorf("gdalPath(one.zip) = %q, %v", got, err)
	}
	sum, _, _ := mustRead(t, one, Options{})
	if sum.Read != 3 {
		t.Errorf("read %d from one.zip", sum.Read)
	}

	two := filepath.Join(dir, "two.zip")
	zipFiles(t, two, pts, faults)
	_, err = gdalPath(two)
	assertUserError(t, err, two, "several datasets", "deposits.geojson", "faults.geojson", "/vsizip/")

	empty := filepath.Join(dir, "empty.zip")
	zipFiles(t, empty, readme)
	_, err = gdalPath(empty)
	assertUserError(t, err, empty, "no vector dataset")

	notZip := writeFile(t, dir, "broken.zip", "PK not really")
	_, err = gdalPath(notZip)
	assertUserError(t, err, notZip, "zip")
}

func TestZipOfShapefilesIsMultiLayer(t *testing.T) {
	dir := t.TempDir()
	var parts []string
	for name, src := range map[string]string{"deposits": depositsGeoJSON, "faults": faultsGeoJSON} {
		shp := filepath.Join(dir, name+".shp")
		gdalTool(t, "ogr2ogr", "-f", "ESRI Shapefile", shp, writeFile(t, dir, name+".geojson", src))
		for _, ext := range []string{".shp", ".shx", ".dbf", ".prj"} {
			parts = append(parts, strings.TrimSuffix(shp, ".shp")+ext)
		}
	}
	archive := filepath.Join(dir, "survey.zip")
	zipFiles(t, archive, parts...)
	_, _, _, err := readOnly(t, archive, Options{})
	assertUserError(t, err, archive, "2 layers", "--source-layer")
	sum, _, _ := mustRead(t, archive, Options{SourceLayer: "faults"})
	if sum.Read != 2 || sum.Layer != "faults" {
		t.Errorf("read %d from layer %q", sum.Read, sum.Layer)
	}
}

// A zip whose members climb out of it ("../x") is said to be so, and an empty
// zip empty: both were "not a readable zip archive".
func TestZipUnsafeNames(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, members ...string) string {
		p := filepath.Join(dir, name)
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		zw := zip.NewWriter(f)
		for _, m := range members {
			w, err := zw.Create(m)
			if err != nil {
				t.Fatal(err)
			}
			w.Write([]byte(depositsGeoJSON))
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		f.Close()
		return p
	}
	climbing := write("climbing.zip", "../deposits.geojson")
	_, err := gdalPath(climbing)
	assertUserError(t, err, climbing, "unsafe names", "../deposits.geojson", "make the archive again")

	mixed := write("mixed.zip", "../deposits.geojson", "notes/../../faults.geojson", "README.txt")
	_, err = gdalPath(mixed)
	assertUserError(t, err, mixed, "unsafe names", "../deposits.geojson", "notes/../../faults.geojson")

	empty := write("empty.zip")
	_, err = gdalPath(empty)
	assertUserError(t, err, empty, "the zip archive is empty")
}
