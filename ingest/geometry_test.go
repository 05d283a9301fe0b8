package ingest

import (
	"context"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// wktCSV writes a CSV of WKT geometries (one per row, with a running "n")
// and returns its path; read it with SrcSRS set.
func wktCSV(t *testing.T, wkts ...string) string {
	t.Helper()
	content := "WKT,n\n"
	for i, w := range wkts {
		content += `"` + w + `",` + string(rune('1'+i)) + "\n"
	}
	return writeFile(t, t.TempDir(), "geoms.csv", content)
}

func TestGeometryRepairSkipAndIDs(t *testing.T) {
	csv := wktCSV(t,
		"POLYGON ((100 10,102 12,102 10,100 12,100 10))", // bow tie: repaired
		"",                           // null: skipped
		"POLYGON EMPTY",              // empty: skipped
		"LINESTRING (100 10,100 10)", // collapses when repaired: skipped
		"POLYGON ((100 10,101 10,101 11,100 11,100 10))",
	)
	sum, feats, _ := mustRead(t, csv, Options{SrcSRS: "EPSG:4326"})
	if sum.Read != 5 || sum.Repaired != 1 || sum.Written != 2 {
		t.Errorf("read %d, repaired %d, written %d; want 5, 1, 2", sum.Read, sum.Repaired, sum.Written)
	}
	wantSkipped := map[string]int64{skipNull: 1, skipEmpty: 1, skipDegenerate: 1}
	for reason, n := range wantSkipped {
		if sum.Skipped[reason] != n {
			t.Errorf("skipped %q = %d, want %d (all: %v)", reason, sum.Skipped[reason], n, sum.Skipped)
		}
	}
	// Ids are positions in the source, so skipped rows leave gaps.
	if feats[0].ID != uint64(1) || feats[1].ID != uint64(5) {
		t.Errorf("ids %v, %v; want 1 and 5", feats[0].ID, feats[1].ID)
	}
	if feats[1].Properties["n"] != int64(5) {
		t.Errorf("feature 5 has n = %v", feats[1].Properties["n"])
	}
	mp, ok := feats[0].Geometry.(orb.MultiPolygon)
	if !ok || len(mp) != 2 {
		t.Fatalf("repaired bow tie = %v, want two triangles", feats[0].Geometry)
	}
	if a := planar.Area(mp); math.Abs(a-2) > 1e-9 {
		t.Errorf("repaired bow tie area = %v, want 2", a)
	}
}

func TestGeometryCurvesAndDimensions(t *testing.T) {
	csv := wktCSV(t,
		"CURVEPOLYGON (CIRCULARSTRING (100 10,101 11,102 10,101 9,100 10))",
		"LINESTRING ZM (100 10 5 1,101 11 6 2)",
		"GEOMETRYCOLLECTION (POLYGON ((100 10,101 10,101 11,100 10)),POINT (105 15))",
	)
	sum, feats, _ := mustRead(t, csv, Options{SrcSRS: "EPSG:4326"})
	if sum.Written != 3 {
		t.Fatalf("written %d, want 3", sum.Written)
	}
	circle, ok := feats[0].Geometry.(orb.Polygon)
	if !ok || len(circle[0]) < 16 {
		t.Fatalf("curve polygon became %T with %d points; want a smooth polygon", feats[0].Geometry, len(circle[0]))
	}
	for _, p := range circle[0] {
		if r := math.Hypot(p[0]-101, p[1]-10); math.Abs(r-1) > 1e-6 {
			t.Fatalf("linearised point %v is %v from the centre, want 1", p, r)
		}
	}
	if ls, ok := feats[1].Geometry.(orb.LineString); !ok || !orb.Equal(ls, orb.LineString{{100, 10}, {101, 11}}) {
		t.Errorf("ZM line became %v, want 2D", feats[1].Geometry)
	}
	if mp, ok := feats[2].Geometry.(orb.MultiPolygon); !ok || len(mp) != 1 {
		t.Errorf("mixed collection became %v, want its polygon", feats[2].Geometry)
	}
}

func TestGeometryBadCoordinates(t *testing.T) {
	// A shapefile line whose second vertex is NaN, written byte by byte
	// after ogr2ogr made the file.
	dir := t.TempDir()
	src := writeFile(t, dir, "l.geojson", `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"n":1},"geometry":{"type":"LineString","coordinates":[[100,10],[101,11]]}},
{"type":"Feature","properties":{"n":2},"geometry":{"type":"LineString","coordinates":[[100,10],[101,11]]}}]}`)
	shp := filepath.Join(dir, "faults.shp")
	gdalTool(t, "ogr2ogr", "-f", "ESRI Shapefile", shp, src)
	b, err := os.ReadFile(shp)
	if err != nil {
		t.Fatal(err)
	}
	// File header 100, record header 8, then record 1: type 4, bbox 32,
	// parts 4, points 4, part index 4, points 16 each. Patch record 2.
	rec2 := 100 + 8 + 4 + 32 + 4 + 4 + 4 + 2*16
	x := rec2 + 8 + 4 + 32 + 4 + 4 + 4 + 16
	binary.LittleEndian.PutUint64(b[x:], math.Float64bits(math.NaN()))
	if err := os.WriteFile(shp, b, 0o644); err != nil {
		t.Fatal(err)
	}
	sum, feats, _ := mustRead(t, shp, Options{})
	if len(feats) != 1 || sum.Skipped[skipUnrepairable] != 1 || len(sum.Unrepairable) != 1 || sum.Unrepairable[0].FID != 1 {
		t.Errorf("%d features written, skipped %v, listed %v; want feature 2 (FID 1) skipped", len(feats), sum.Skipped, sum.Unrepairable)
	}
	_, _, _, err = readOnly(t, shp, Options{Strict: true})
	assertUserError(t, err, shp, "feature 2 (FID 1)", "NaN", "--strict")

	huge := writeFile(t, dir, "huge.geojson", `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[100,10],[1e30,11]]}}]}`)
	_, _, _, err = readOnly(t, huge, Options{})
	assertUserError(t, err, huge, "feature 1", "1e+30", "none of the 1 features")
}

// A feature whose geometry cannot be repaired (a ring of two points) is
// skipped, counted and listed with its source FID; it failed the whole file.
// --strict refuses it, writing nothing.
func TestUnrepairableFeatureSkipped(t *testing.T) {
	dir := t.TempDir()
	src := writeFile(t, dir, "rings.geojson", `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"a":1},"geometry":{"type":"Polygon","coordinates":[[[100,10],[101,10],[101,11],[100,10]]]}},
{"type":"Feature","properties":{"a":2},"geometry":{"type":"Polygon","coordinates":[[[100,10],[101,10]]]}},
{"type":"Feature","properties":{"a":3},"geometry":{"type":"Polygon","coordinates":[[[102,10],[103,10],[103,11],[102,10]]]}}]}`)
	shp := filepath.Join(dir, "rings.shp")
	gdalTool(t, "ogr2ogr", "-f", "ESRI Shapefile", shp, src)
	store := t.TempDir()
	sum, err := Run(context.Background(), shp, Options{Store: store, ID: "rings", MaxZoom: 4})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Written != 2 || sum.Skipped[skipUnrepairable] != 1 {
		t.Errorf("written %d, skipped %v; want 2 written, 1 unrepairable", sum.Written, sum.Skipped)
	}
	if len(sum.Unrepairable) != 1 || sum.Unrepairable[0].FID != 1 || sum.Unrepairable[0].Number != 2 {
		t.Fatalf("listed %+v, want FID 1 (feature 2)", sum.Unrepairable)
	}
	var b strings.Builder
	sum.Print(&b)
	if !strings.Contains(b.String(), "FID 1 (feature 2): its geometry is invalid and cannot be repaired") {
		t.Errorf("summary does not list the feature:\n%s", b.String())
	}

	strictStore := t.TempDir()
	_, err = Run(context.Background(), shp, Options{Store: strictStore, ID: "rings", MaxZoom: 4, Strict: true})
	assertUserError(t, err, shp, "feature 2 (FID 1)", "cannot be repaired", "--strict")
	if entries, _ := os.ReadDir(strictStore); len(entries) != 0 {
		t.Errorf("--strict left %d files in the store", len(entries))
	}
}
