package ingest

import (
	"archive/zip"
	"os"
	"path/filepath"
	"testing"
)

// TestMisleadingMessages: a garbage .prj is blamed, not reported missing,
// and a zip whose member names leave the archive says so rather than
// "not a readable zip archive".
func TestMisleadingMessages(t *testing.T) {
	dir := t.TempDir()
	src := writeFile(t, dir, "deposits.geojson", depositsGeoJSON)
	shp := filepath.Join(dir, "deposits.shp")
	gdalTool(t, "ogr2ogr", "-f", "ESRI Shapefile", shp, src)
	if err := os.WriteFile(filepath.Join(dir, "deposits.prj"), []byte("this is not a projection"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, _, err := readOnly(t, shp, Options{})
	assertUserError(t, err, shp, "deposits.prj", "not a coordinate reference system GDAL can read", "--s-srs")

	archive := filepath.Join(dir, "escape.zip")
	f, err := os.Create(archive)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	w, _ := zw.Create("../deposits.geojson")
	w.Write([]byte(depositsGeoJSON))
	zw.Close()
	f.Close()
	_, err = gdalPath(archive)
	assertUserError(t, err, archive, `"../deposits.geojson"`, "outside the archive", "relative names")
}
