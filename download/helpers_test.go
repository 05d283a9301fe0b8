package download

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/tileset"
)

// needTool returns the path of a command-line tool, or skips the test when
// it is missing; under CI (CI set) a missing tool fails the test instead.
func needTool(t *testing.T, name, debianPackage string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	msg := fmt.Sprintf("%s is not installed: apt-get install %s", name, debianPackage)
	if os.Getenv("CI") != "" {
		t.Fatalf("%s (CI is set, so this is a failure, not a skip)", msg)
	}
	t.Skip(msg)
	return ""
}

// The test layer: five features of every geometry kind, with a Thai and
// Latin-accented name, two long field names that cut to the same 10 bytes,
// and a feature without geometry.
const (
	thaiName  = "เหมืองทอง Ōkuma"
	okPointID = 11
)

var testFields = []tileset.Field{
	{Name: "name", Type: "string"},
	{Name: "rank", Type: "integer"},
	{Name: "grade", Type: "real"},
	{Name: "active", Type: "boolean"},
	{Name: "found", Type: "date"},
	{Name: "logged", Type: "datetime"},
	{Name: "commodity_primary", Type: "string"},
	{Name: "commodity_secondary", Type: "string"},
}

var (
	testPoint = orb.Point{118.5, -22.25}
	// testHoled is in RFC 7946 order: outer ring counterclockwise.
	testHoled = orb.Polygon{
		{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}},
		{{4, 4}, {4, 6}, {6, 6}, {6, 4}, {4, 4}},
	}
)

func testLayer() Layer {
	return Layer{Name: "occurrences", Title: "Gold occurrences of Loei", Fields: testFields, Attribution: "Outcrop tests", License: "CC0-1.0"}
}

// testFeatures returns the stored JSON of the test features.
func testFeatures(t testing.TB) [][]byte {
	t.Helper()
	mk := func(id int, g orb.Geometry, props geojson.Properties) []byte {
		f := geojson.NewFeature(g)
		f.ID = id
		f.Properties = props
		b, err := f.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	return [][]byte{
		mk(okPointID, testPoint, geojson.Properties{"name": thaiName, "rank": 7, "grade": 1.25, "active": true, "found": "1999-05-01", "logged": "2021-03-04T05:06:07Z",
			"commodity_primary": "Au", "commodity_secondary": "Cu"}),
		mk(12, orb.LineString{{100, 1}, {101, 2}, {102, 1}}, geojson.Properties{"name": nil, "rank": -3, "grade": 0.001, "active": false, "logged": "2021-03-04T05:06:07+08:00"}),
		mk(13, testHoled, geojson.Properties{"name": "holed", "rank": 12345, "grade": 10, "logged": "2021-03-04T05:06:07.5"}),
		mk(14, orb.MultiPolygon{{{{30, 30}, {31, 30}, {31, 31}, {30, 31}, {30, 30}}}, {{{40, 30}, {41, 30}, {41, 31}, {40, 31}, {40, 30}}}},
			geojson.Properties{"name": strings.Repeat("x", 300)}),
		[]byte(`{"type":"Feature","id":15,"geometry":null,"properties":{"name":"nowhere","found":null}}`),
	}
}

// writeAll writes the test features in format f to a file in a temporary
// directory and returns its path.
func writeAll(t *testing.T, f Format, features [][]byte) string {
	t.Helper()
	var buf bytes.Buffer
	w, err := New(f, &buf, testLayer(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, raw := range features {
		if err := w.Write(raw); err != nil {
			w.Abort()
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "download."+f.Ext)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// ogrinfo runs ogrinfo read-only on args and returns its output.
func ogrinfo(t *testing.T, args ...string) string {
	t.Helper()
	bin := needTool(t, "ogrinfo", "gdal-bin")
	out, err := exec.Command(bin, append([]string{"-ro"}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// wantIn fails unless every want is in out.
func wantIn(t *testing.T, what, out string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(out, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, out)
		}
	}
}

// noTempLeft fails if dir holds anything.
func noTempLeft(t *testing.T, dir string) {
	t.Helper()
	left, _ := os.ReadDir(dir)
	if len(left) > 0 {
		t.Errorf("temporary files left in %s: %v", dir, left)
	}
}
