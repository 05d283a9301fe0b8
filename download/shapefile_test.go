package download

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"
)

func TestShapefileReadByGDAL(t *testing.T) {
	path := writeAll(t, Shapefile, testFeatures(t))
	files := zipFiles(t, path)
	for _, kind := range []string{"points", "lines", "polygons", "nogeometry"} {
		for _, ext := range []string{".shp", ".shx", ".dbf", ".prj", ".cpg"} {
			if _, ok := files["occurrences_"+kind+ext]; !ok {
				t.Errorf("the zip lacks occurrences_%s%s", kind, ext)
			}
		}
	}
	if got := files["occurrences_points.cpg"]; got != "UTF-8" {
		t.Errorf(".cpg = %q, want UTF-8", got)
	}
	wantIn(t, "README.txt", files["README.txt"], "commodity_primary -> commodity_", "commodity_secondary -> commodit_1",
		"1 text values longer than 254 bytes", "occurrences_polygons.shp: 2 polygons")

	vsi := "/vsizip/" + path
	summary := ogrinfo(t, "-so", "-al", vsi)
	wantIn(t, "ogrinfo -so", summary, `GEOGCRS["WGS 84"`, "Layer name: occurrences_points", "Geometry: Point",
		"Layer name: occurrences_polygons", "Geometry: Polygon", "Layer name: occurrences_lines", "Geometry: Line String",
		"id: Integer (2.0)", "commodity_: String (2.0)", "commodit_1: String (2.0)", "rank: Integer (5.0)", "grade: Real (6.3)", "active: String (1.0)", "found: Date (10.0)")
	if n := strings.Count(summary, "Feature Count: 1\n") + 2*strings.Count(summary, "Feature Count: 2\n"); n != 5 {
		t.Errorf("the layers hold %d features, want 5:\n%s", n, summary)
	}
	points := ogrinfo(t, "-q", vsi, "occurrences_points")
	wantIn(t, "the point", points, "id (Integer) = 11", "name (String) = "+thaiName, "rank (Integer) = 7", "grade (Real) = 1.250",
		"found (Date) = 1999/05/01", "commodity_ (String) = Au", "commodit_1 (String) = Cu", "POINT (118.5 -22.25)")
	polygons := ogrinfo(t, "-q", vsi, "occurrences_polygons")
	wantIn(t, "the polygons", polygons, "POLYGON ((0 0,0 10,10 10,10 0,0 0),(4 4,6 4,6 6,4 6,4 4))",
		"MULTIPOLYGON (((30 30,30 31,31 31,31 30,30 30)),((40 30,40 31,41 31,41 30,40 30)))",
		"name (String) = "+strings.Repeat("x", 254)+"\n")
	lines := ogrinfo(t, "-q", vsi, "occurrences_lines")
	wantIn(t, "the line", lines, "LINESTRING (100 1,101 2,102 1)", "rank (Integer) = -3", "grade (Real) = 0.001", "name (String) = (null)")
	none := ogrinfo(t, "-q", vsi, "occurrences_nogeometry")
	wantIn(t, "the feature without geometry", none, "name (String) = nowhere")
}

func TestShapefileOneTypeAndCleanup(t *testing.T) {
	tmp := t.TempDir()
	var buf bytes.Buffer
	w, err := NewShapefile(&buf, testLayer(), tmp)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(testFeatures(t)[0]); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	noTempLeft(t, tmp)
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	if got := strings.Join(names, " "); got != "occurrences.shp occurrences.shx occurrences.dbf occurrences.prj occurrences.cpg README.txt" &&
		got != "occurrences.shp occurrences.shx occurrences.dbf occurrences.cpg occurrences.prj README.txt" {
		t.Errorf("zip holds %s", got)
	}
}

// TestShapefileCollection: a geometry collection's polygons become one
// multipolygon record and its line one line record, both with the
// feature's attributes, and README.txt says so.
func TestShapefileCollection(t *testing.T) {
	coll := `{"type":"Feature","id":1,"geometry":{"type":"GeometryCollection","geometries":[` +
		`{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]},` +
		`{"type":"Polygon","coordinates":[[[5,5],[6,5],[6,6],[5,6],[5,5]]]},` +
		`{"type":"LineString","coordinates":[[2,2],[3,3]]}]},"properties":{"name":"China"}}`
	path := writeAll(t, Shapefile, [][]byte{[]byte(coll)})
	vsi := "/vsizip/" + path
	polygons := ogrinfo(t, "-q", vsi, "occurrences_polygons")
	wantIn(t, "the polygons", polygons, "name (String) = China", "MULTIPOLYGON (((0 0,0 1,1 1,1 0,0 0)),((5 5,5 6,6 6,6 5,5 5)))")
	if n := strings.Count(polygons, "OGRFeature"); n != 1 {
		t.Errorf("%d polygon records, want 1", n)
	}
	lines := ogrinfo(t, "-q", vsi, "occurrences_lines")
	wantIn(t, "the line", lines, "name (String) = China", "LINESTRING (2 2,3 3)")
	wantIn(t, "README.txt", zipFiles(t, path)["README.txt"], "1 features have a geometry collection")
}

// zipFiles reads every file of a zip.
func zipFiles(t *testing.T, path string) map[string]string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	files := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name] = string(b)
	}
	return files
}
