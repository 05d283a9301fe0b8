package ingest

import (
	"fmt"
	"math"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// projAnswer asks PROJ, through gdaltransform, where (x, y) in srs lies in
// WGS 84, longitude first.
func projAnswer(t *testing.T, srs string, x, y float64) orb.Point {
	t.Helper()
	if _, err := exec.LookPath("gdaltransform"); err != nil {
		t.Fatal("gdaltransform not found: install gdal-bin")
	}
	cmd := exec.Command("gdaltransform", "-s_srs", srs, "-t_srs", "+proj=longlat +datum=WGS84 +no_defs", "-output_xy")
	cmd.Stdin = strings.NewReader(fmt.Sprintf("%.3f %.3f\n", x, y))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("gdaltransform: %v", err)
	}
	f := strings.Fields(string(out))
	if len(f) < 2 {
		t.Fatalf("gdaltransform printed %q", out)
	}
	lon, err1 := strconv.ParseFloat(f[0], 64)
	lat, err2 := strconv.ParseFloat(f[1], 64)
	if err1 != nil || err2 != nil {
		t.Fatalf("gdaltransform printed %q", out)
	}
	return orb.Point{lon, lat}
}

// metres is the distance between two nearby WGS 84 points.
func metres(a, b orb.Point) float64 {
	const r = 6371008.8
	dx := (b[0] - a[0]) * math.Pi / 180 * math.Cos(a[1]*math.Pi/180)
	dy := (b[1] - a[1]) * math.Pi / 180
	return r * math.Hypot(dx, dy)
}

func TestCRSAccuracy(t *testing.T) {
	for _, tc := range []struct {
		name string
		epsg int
		x, y float64
	}{
		{"Indian 1975 / UTM 47N", 24047, 661000, 1520000}, // near Bangkok
		{"GDA94 / MGA 50", 28350, 600000, 7500000},        // Hamersley Range
		{"Kertau (RSO) / RSO Malaya (m)", 3168, 450000, 350000},
		{"Timbalai 1948 / UTM 50N", 29850, 600000, 600000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srs := "EPSG:" + strconv.Itoa(tc.epsg)
			want := projAnswer(t, srs, tc.x, tc.y)
			dir := t.TempDir()
			csv := writeFile(t, dir, "pt.csv", fmt.Sprintf("easting,northing,id\n%.3f,%.3f,1\n", tc.x, tc.y))

			// The CRS declared by the file (a shapefile's ESRI .prj) ...
			shp := filepath.Join(dir, "pt.shp")
			gdalTool(t, "ogr2ogr", "-f", "ESRI Shapefile", "-a_srs", srs,
				"-oo", "X_POSSIBLE_NAMES=easting", "-oo", "Y_POSSIBLE_NAMES=northing", shp, csv)
			sum, feats, _ := mustRead(t, shp, Options{})
			if d := metres(feats[0].Geometry.(orb.Point), want); d > 1 {
				t.Errorf("declared %s: %v is %.2f m from PROJ's %v", srs, feats[0].Geometry, d, want)
			}
			if sum.SourceCRS != srs {
				t.Errorf("source CRS reported as %q, want %s", sum.SourceCRS, srs)
			}

			// ... and the CRS given with --s-srs to easting/northing columns.
			_, feats, _ = mustRead(t, csv, Options{SrcSRS: srs})
			if d := metres(feats[0].Geometry.(orb.Point), want); d > 1 {
				t.Errorf("--s-srs %s: %v is %.2f m from PROJ's %v", srs, feats[0].Geometry, d, want)
			}
		})
	}
}

func TestSrcSRSForms(t *testing.T) {
	dir := t.TempDir()
	csv := writeFile(t, dir, "pt.csv", "x,y\n661000,1520000\n")
	want := projAnswer(t, "EPSG:24047", 661000, 1520000)
	wkt := gdalTool(t, "gdalsrsinfo", "-o", "wkt1", "--single-line", "EPSG:24047")
	for _, srs := range []string{
		"EPSG:24047",
		strings.TrimSpace(wkt),
		// The parameters of EPSG:1812, Indian 1975 to WGS 84 (4), the
		// transformation PROJ chooses for onshore Thailand, written out.
		"+proj=utm +zone=47 +a=6377276.345 +rf=300.8017 +towgs84=293,836,318,0.5,1.6,-2.8,2.1 +units=m +no_defs",
	} {
		_, feats, _ := mustRead(t, csv, Options{SrcSRS: srs})
		if d := metres(feats[0].Geometry.(orb.Point), want); d > 1 {
			t.Errorf("--s-srs %.40q: %.1f m from PROJ's answer", srs, d)
		}
	}
}

func TestCRSErrors(t *testing.T) {
	dir := t.TempDir()
	wkt := writeFile(t, dir, "nocrs.csv", "WKT,id\n\"POINT (661000 1520000)\",1\n")
	_, _, _, err := readOnly(t, wkt, Options{})
	assertUserError(t, err, wkt, "no coordinate reference system", "--s-srs")

	_, _, _, err = readOnly(t, wkt, Options{SrcSRS: "EPSG:99999999"})
	assertUserError(t, err, "--s-srs", "EPSG:99999999", "EPSG code")

	// Everest 1830 without a datum shift: only a null datum shift would do.
	everest := "+proj=utm +zone=47 +a=6377276.345 +rf=300.8017 +units=m +no_defs"
	_, _, _, err = readOnly(t, wkt, Options{SrcSRS: everest})
	assertUserError(t, err, wkt, "no coordinate transformation", "--s-srs", "+towgs84")

	// A .prj GDAL cannot parse is named, not taken for a missing one.
	shp := filepath.Join(dir, "garbled.shp")
	gdalTool(t, "ogr2ogr", "-f", "ESRI Shapefile", "-a_srs", "EPSG:32647", shp, wkt)
	writeFile(t, dir, "garbled.prj", "this is not a CRS\n")
	_, _, _, err = readOnly(t, shp, Options{})
	assertUserError(t, err, shp, "its .prj (garbled.prj) holds no coordinate reference system GDAL can read", "--s-srs")
	mustRead(t, shp, Options{SrcSRS: "EPSG:32647"})

	// Metres taken for degrees land off the Earth.
	_, _, _, err = readOnly(t, wkt, Options{SrcSRS: "EPSG:4326"})
	assertUserError(t, err, wkt, "feature 1", "outside the Earth", "--s-srs")
}

func TestSrcSRSOverridesDeclared(t *testing.T) {
	logs := &logRecorder{}
	src := writeFile(t, t.TempDir(), "pts.geojson", depositsGeoJSON)
	sum, _, _ := mustRead(t, src, Options{SrcSRS: "EPSG:4240", Logger: logs.logger()}) // Indian 1975 geographic
	if sum.SourceCRS != "EPSG:4240" || !logs.contains("overrides") {
		t.Errorf("source CRS %q; logs %q", sum.SourceCRS, logs.msgs)
	}
}

// A valid but wrong CRS is refused: degrees declared as UTM zone 47N landed
// near 94.5°E, 0°N, and Thai UTM coordinates declared as NZTM near 76°S, both
// ingested silently.
func TestWrongCRSRefused(t *testing.T) {
	dir := t.TempDir()
	shapefile := func(name, csv, srs string) string {
		src := writeFile(t, dir, name+".csv", csv)
		shp := filepath.Join(dir, name+".shp")
		gdalTool(t, "ogr2ogr", "-f", "ESRI Shapefile", "-a_srs", srs, shp, src, "-oo", "X_POSSIBLE_NAMES=x", "-oo", "Y_POSSIBLE_NAMES=y")
		return shp
	}
	degrees := shapefile("degrees", "x,y\n100.5,13.7\n101.2,14.1\n", "EPSG:32647")
	_, _, _, err := readOnly(t, degrees, Options{})
	assertUserError(t, err, degrees, "look like longitude/latitude degrees", "the .prj says EPSG:32647", "94.5°E", "--s-srs EPSG:4326")
	// Told so, it reads them as degrees.
	if _, feats, _ := mustRead(t, degrees, Options{SrcSRS: "EPSG:4326"}); len(feats) != 2 {
		t.Errorf("%d features with --s-srs EPSG:4326, want 2", len(feats))
	}

	nz := shapefile("nz", "x,y\n600000,1500000\n650000,1550000\n", "EPSG:2193")
	_, _, _, err = readOnly(t, nz, Options{})
	assertUserError(t, err, nz, "far outside the area of use of EPSG:2193", "the .prj says EPSG:2193", "--s-srs")
	_, _, _, err = readOnly(t, nz, Options{SrcSRS: "EPSG:2193"})
	assertUserError(t, err, "--s-srs", "far outside", "--s-srs says EPSG:2193")

	// The same coordinates in their real CRS, and data overrunning its UTM
	// zone by a few degrees as Thailand's eastern provinces do, are taken.
	mustRead(t, nz, Options{SrcSRS: "EPSG:32647"})
	east := shapefile("east", "x,y\n1100000,1700000\n", "EPSG:32647") // about 104.6°E
	mustRead(t, east, Options{})
}
