package download

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

func TestGeoPackageReadByGDAL(t *testing.T) {
	path := writeAll(t, GeoPackage, testFeatures(t))
	summary := ogrinfo(t, "-so", "-al", path)
	wantIn(t, "ogrinfo -so", summary,
		"Layer name: occurrences", "IDENTIFIER=Gold occurrences of Loei", "Geometry: Unknown (any)", "Feature Count: 5", `"WGS 84"`,
		"Extent: (0.000000, -22.250000) - (118.500000, 31.000000)",
		"rank: Integer64", "grade: Real", "active: Integer(Boolean)", "found: Date", "commodity_primary: String")
	all := ogrinfo(t, "-q", "-al", path)
	// Only the local time, which has no offset to write it in UTC with,
	// is not the standard's form; GDAL reads it all the same.
	for _, line := range strings.Split(all, "\n") {
		if (strings.Contains(line, "Warning") && !strings.Contains(line, "2021-03-04T05:06:07.5,")) || strings.Contains(line, "ERROR") {
			t.Errorf("ogrinfo, reading every feature: %s", line)
		}
	}
	wantIn(t, "ogrinfo -al", all, "logged (DateTime) = 2021/03/04 05:06:07+00", "logged (DateTime) = 2021/03/03 21:06:07+00", "logged (DateTime) = 2021/03/04 05:06:07.500\n")
	// The point, by its fid: attributes and geometry.
	one := ogrinfo(t, "-q", path, "occurrences", "-fid", "11")
	wantIn(t, "feature 11", one, "name (String) = "+thaiName, "rank (Integer64) = 7", "grade (Real) = 1.25",
		"active (Integer(Boolean)) = 1", "found (Date) = 1999/05/01", "POINT (118.5 -22.25)")
	holed := ogrinfo(t, "-q", path, "occurrences", "-fid", "13")
	wantIn(t, "feature 13", holed, "MULTIPOLYGON (((0 0,10 0,10 10,0 10,0 0),(4 4,4 6,6 6,6 4,4 4)))")
	// The spatial index is there, holds the four geometries, and serves
	// a spatial filter.
	idx := ogrinfo(t, "-q", path, "-sql", "SELECT HasSpatialIndex('occurrences', 'geom') AS has, (SELECT COUNT(*) FROM rtree_occurrences_geom) AS n")
	wantIn(t, "the spatial index", idx, "has (Integer) = 1", "n (Integer) = 4")
	sub := ogrinfo(t, "-so", "-al", "-spat", "29", "29", "42", "32", path)
	wantIn(t, "ogrinfo -spat", sub, "Feature Count: 1")
	// The triggers keep the index in step when GDAL edits the file.
	edit := exec.Command(needTool(t, "ogrinfo", "gdal-bin"), path, "-sql", "DELETE FROM occurrences WHERE fid = 12")
	if out, err := edit.CombinedOutput(); err != nil {
		t.Fatalf("deleting with GDAL: %v\n%s", err, out)
	}
	idx = ogrinfo(t, "-q", path, "-sql", "SELECT COUNT(*) AS n FROM rtree_occurrences_geom")
	wantIn(t, "the spatial index after a delete", idx, "n (Integer) = 3")
	// Long text is kept whole.
	long := ogrinfo(t, "-q", path, "occurrences", "-fid", "14")
	wantIn(t, "feature 14", long, "name (String) = "+string(bytes.Repeat([]byte("x"), 300)))
}

func TestGeoPackageEmptyAndCleanup(t *testing.T) {
	tmp := t.TempDir()
	var buf bytes.Buffer
	w, err := NewGeoPackage(&buf, testLayer(), tmp)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	noTempLeft(t, tmp)
	if !bytes.HasPrefix(buf.Bytes(), []byte("SQLite format 3\x00")) {
		t.Fatalf("not an SQLite file: % x", buf.Bytes()[:16])
	}
	w, err = NewGeoPackage(&buf, testLayer(), tmp)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(testFeatures(t)[0])
	w.Abort()
	noTempLeft(t, tmp)
}

// TestGeoPackageOneType: a layer of polygons and multipolygons is declared
// MULTIPOLYGON, its polygons promoted, so that QGIS opens one layer.
func TestGeoPackageOneType(t *testing.T) {
	features := testFeatures(t)
	path := writeAll(t, GeoPackage, [][]byte{features[2], features[3]})
	summary := ogrinfo(t, "-so", "-al", path)
	wantIn(t, "ogrinfo -so", summary, "Geometry: Multi Polygon", "Feature Count: 2")
	all := ogrinfo(t, "-q", "-al", path)
	if strings.Count(all, "MULTIPOLYGON (((") != 2 {
		t.Errorf("the polygons are not both multipolygons:\n%s", all)
	}
}
