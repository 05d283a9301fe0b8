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

// A file that cannot be a dataset is refused for its real cause: a zero-byte
// file as empty, noise named as a raster or a vector format as no readable
// file of that kind (not "give a Shapefile"), a zip holding a zip as needing
// an unzip, and a directory as a directory.
func TestOpenErrorsNameTheCause(t *testing.T) {
	dir := t.TempDir()
	noise := strings.Repeat("\x8f\x01noise\xfe", 4096)
	for _, tc := range []struct {
		file  string
		make  func(p string)
		parts []string
		not   string
	}{
		{"empty.geojson", func(p string) { writeFile(t, dir, filepath.Base(p), "") }, []string{"empty (0 bytes)"}, "vector dataset"},
		{"empty.zip", func(p string) { writeFile(t, dir, filepath.Base(p), "") }, []string{"empty (0 bytes)"}, "not a readable zip"},
		{"junk.tif", func(p string) { writeFile(t, dir, filepath.Base(p), noise) }, []string{"cannot open it as a raster", "not a readable GeoTIFF", "not recognized"}, "Shapefile"},
		{"junk.nc", func(p string) { writeFile(t, dir, filepath.Base(p), noise) }, []string{"cannot open it as a raster", "not a readable netCDF file"}, "Shapefile"},
		{"junk.geojson", func(p string) { writeFile(t, dir, filepath.Base(p), noise) }, []string{"cannot open it as a vector dataset", "not a readable GeoJSON file"}, "give a"},
		{"junk.shp", func(p string) { writeFile(t, dir, filepath.Base(p), noise) }, []string{"not a readable shapefile", "export it again"}, "give a Shapefile"},
		{"topojson.json", func(p string) { writeFile(t, dir, filepath.Base(p), `{"type":"Topology","objects":{},"arcs":[]}`) }, []string{"not a readable TopoJSON file"}, "give a"},
		{"junk.dat", func(p string) { writeFile(t, dir, filepath.Base(p), noise) }, []string{"cannot open it as a vector dataset", "give a Shapefile"}, "raster"},
		{"nested.zip", func(p string) {
			inner := filepath.Join(t.TempDir(), "inner.zip")
			zipFiles(t, inner, writeFile(t, t.TempDir(), "deposits.geojson", depositsGeoJSON))
			zipFiles(t, p, inner)
		}, []string{"another zip archive inside it (inner.zip)", "unzip it first"}, "no vector dataset"},
		{"zipped-raster.zip", func(p string) {
			zipFiles(t, p, writeFile(t, t.TempDir(), "dem.tif", noise))
		}, []string{"holds a raster (dem.tif)", "unzip it first"}, "no vector dataset"},
		{"folder.geojson", func(p string) { os.Mkdir(p, 0o755) }, []string{"is a directory", "give a file inside it"}, "give a Shapefile"},
	} {
		p := filepath.Join(dir, tc.file)
		tc.make(p)
		_, _, _, err := readOnly(t, p, Options{})
		assertUserError(t, err, append([]string{p}, tc.parts...)...)
		if err != nil && strings.Contains(err.Error(), tc.not) {
			t.Errorf("%s: error %q still says %q", tc.file, err, tc.not)
		}
	}
}
