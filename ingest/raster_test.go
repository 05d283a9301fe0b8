package ingest

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/outcrop/outcrop/raster"
	"github.com/outcrop/outcrop/synth"
	"github.com/outcrop/outcrop/tileset"
)

// slabGrid is the Slab2 depth grid in data/: a GMT netCDF grid without a
// CRS, 0.05° cells from 86.975°E, 31.025°N, NaN off the slab.
const slabGrid = "../data/rasters/slab2-sumatra-java/sum_slab2_dep_02.23.18.grd"

// ingestRaster ingests file into a fresh store and opens the tileset.
func ingestRaster(t *testing.T, file string, opts Options) (*Summary, *tileset.Reader) {
	t.Helper()
	opts.Store, opts.ID, opts.MaxZoom = t.TempDir(), "r", max(opts.MaxZoom, -1)
	if opts.MaxZoom == 0 {
		opts.MaxZoom = -1
	}
	sum, err := Run(context.Background(), file, opts)
	if err != nil {
		t.Fatal(err)
	}
	r, err := tileset.Open(filepath.Join(opts.Store, "r"+tileset.Ext))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return sum, r
}

// samplePoint is the centre of a max-zoom pixel holding data.
type samplePoint struct {
	lon, lat float64
	value    float32
}

// samplePixels picks n pixels of the max zoom at random, data or nodata,
// and returns their centres and stored values.
func samplePixels(t *testing.T, r *tileset.Reader, n int) []samplePoint {
	m := r.Metadata()
	z := m.MaxZoom
	var keys [][2]int
	r.ForEach(func(tz, x, y int, _ []byte) error {
		if tz == z {
			keys = append(keys, [2]int{x, y})
		}
		return nil
	})
	rng := rand.New(rand.NewPCG(1, 2))
	var pts []samplePoint
	for len(pts) < n {
		k := keys[rng.IntN(len(keys))]
		var tile *raster.Tile
		r.Tile(z, k[0], k[1], func(b []byte) (err error) { tile, err = raster.Decode(b); return err })
		i, j := rng.IntN(tile.Size), rng.IntN(tile.Size)
		world := float64(tile.Size << z)
		px, py := (float64(k[0]*tile.Size+i)+0.5)/world, (float64(k[1]*tile.Size+j)+0.5)/world
		lon := px*360 - 180
		lat := math.Atan(math.Sinh(math.Pi*(1-2*py))) * 180 / math.Pi
		pts = append(pts, samplePoint{lon, lat, tile.At(0, i, j)})
	}
	return pts
}

// locationValues asks gdallocationinfo for the source's values at the
// given inputs, one "x y" per line: with mode "-geoloc" in the file's own
// coordinates (lon lat for the Slab2 grid, which declares no CRS for -wgs84
// to transform from), with "-wgs84" in lon lat, with "" pixel and line.
func locationValues(t *testing.T, file string, mode string, lines []string) []float64 {
	t.Helper()
	if _, err := exec.LookPath("gdallocationinfo"); err != nil {
		t.Fatal("gdallocationinfo not found: install gdal-bin")
	}
	args := []string{"-valonly"}
	if mode != "" {
		args = append(args, mode)
	}
	cmd := exec.Command("gdallocationinfo", append(args, file)...)
	cmd.Stdin = strings.NewReader(strings.Join(lines, "\n") + "\n")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("gdallocationinfo: %v", err)
	}
	fields := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(fields) != len(lines) {
		t.Fatalf("gdallocationinfo answered %d lines for %d points", len(fields), len(lines))
	}
	vals := make([]float64, len(fields))
	for i, f := range fields {
		if vals[i], err = strconv.ParseFloat(strings.TrimSpace(f), 64); err != nil {
			vals[i] = math.NaN() // outside the grid
		}
	}
	return vals
}

// TestRasterNearestExact checks that with nearest resampling the max zoom
// holds the source's values exactly, nodata as nodata, at 100 random points.
func TestRasterNearestExact(t *testing.T) {
	_, r := ingestRaster(t, slabGrid, Options{Resampling: "nearest"})
	pts := samplePixels(t, r, 100)
	lines := make([]string, len(pts))
	for i, p := range pts {
		lines[i] = fmt.Sprintf("%.12f %.12f", p.lon, p.lat)
	}
	want := locationValues(t, slabGrid, "-geoloc", lines)
	var data int
	for i, p := range pts {
		switch {
		case math.IsNaN(want[i]) && !math.IsNaN(float64(p.value)):
			t.Errorf("%.5f %.5f: source nodata became %v", p.lon, p.lat, p.value)
		case !math.IsNaN(want[i]) && float64(p.value) != float64(float32(want[i])):
			t.Errorf("%.5f %.5f: stored %v, source %v", p.lon, p.lat, p.value, want[i])
		case !math.IsNaN(want[i]):
			data++
		}
	}
	if data < 20 {
		t.Errorf("only %d of 100 points on data; the test samples too little", data)
	}
}

// TestRasterBilinearWithinNeighbours checks bilinear values at 100 random
// points: each lies between the least and greatest of the source's 3×3
// pixels around it, and nodata stays nodata where all of them are nodata.
func TestRasterBilinearWithinNeighbours(t *testing.T) {
	sum, r := ingestRaster(t, slabGrid, Options{})
	if sum.Raster.Resampling != "bilinear" || r.Metadata().MaxZoom != 5 {
		t.Errorf("resampling %s, max zoom %d; want bilinear, 5 (4.9 km pixels for 0.05° cells)", sum.Raster.Resampling, r.Metadata().MaxZoom)
	}
	pts := samplePixels(t, r, 100)
	var lines []string
	for _, p := range pts {
		c, l := int(math.Floor((p.lon-86.975)/0.05)), int(math.Floor((31.025-p.lat)/0.05))
		for dl := -1; dl <= 1; dl++ {
			for dc := -1; dc <= 1; dc++ {
				lines = append(lines, fmt.Sprintf("%d %d", c+dc, l+dl))
			}
		}
	}
	vals := locationValues(t, slabGrid, "", lines)
	for i, p := range pts {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, v := range vals[9*i : 9*i+9] {
			if !math.IsNaN(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
		v := float64(p.value)
		switch {
		case math.IsInf(lo, 1) && !math.IsNaN(v):
			t.Errorf("%.5f %.5f: nodata all around became %v", p.lon, p.lat, v)
		case !math.IsNaN(v) && (v < lo-1e-3 || v > hi+1e-3):
			t.Errorf("%.5f %.5f: %v outside the neighbours' %v to %v", p.lon, p.lat, v, lo, hi)
		}
	}
}

// TestRasterStatsMatchGDAL checks the stored statistics against gdalinfo.
func TestRasterStatsMatchGDAL(t *testing.T) {
	_, r := ingestRaster(t, slabGrid, Options{})
	st := r.Metadata().Raster.Bands[0].Stats
	cmd := exec.Command("gdalinfo", "-stats", slabGrid)
	cmd.Env = append(os.Environ(), "GDAL_PAM_ENABLED=NO") // no .aux.xml beside the data
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("gdalinfo: %v (install gdal-bin)", err)
	}
	get := func(key string) float64 {
		_, rest, ok := strings.Cut(string(out), key+"=")
		if !ok {
			t.Fatalf("gdalinfo printed no %s", key)
		}
		f, _ := strconv.ParseFloat(strings.Fields(rest)[0], 64)
		return f
	}
	if st.Min != float64(float32(get("STATISTICS_MINIMUM"))) || st.Max != float64(float32(get("STATISTICS_MAXIMUM"))) {
		t.Errorf("min %v max %v; gdalinfo says %v and %v", st.Min, st.Max, get("STATISTICS_MINIMUM"), get("STATISTICS_MAXIMUM"))
	}
	if math.Abs(st.Mean-get("STATISTICS_MEAN")) > 1e-3 || math.Abs(st.StdDev-get("STATISTICS_STDDEV")) > 1e-3 {
		t.Errorf("mean %v stddev %v; gdalinfo says %v and %v", st.Mean, st.StdDev, get("STATISTICS_MEAN"), get("STATISTICS_STDDEV"))
	}
}

// TestRasterRefusals checks the one-line errors of a raster ingest.
func TestRasterRefusals(t *testing.T) {
	dir := t.TempDir()
	noCRS := filepath.Join(dir, "nocrs.tif")
	gdalTool(t, "gdal_translate", "-q", "-of", "GTiff", slabGrid, noCRS)
	for _, c := range []struct {
		file string
		opts Options
		want string
	}{
		{noCRS, Options{}, "declares no CRS; give the CRS of its coordinates with --s-srs"},
		{slabGrid, Options{Resampling: "bicubic"}, "--resampling"},
		{slabGrid, Options{Band: 2}, "--band: 2 is not a band"},
	} {
		_, err := Run(context.Background(), c.file, Options{Store: dir, ID: "r", MaxZoom: -1, Resampling: c.opts.Resampling, Band: c.opts.Band})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %+v: error %v, want one containing %q", filepath.Base(c.file), c.opts, err, c.want)
		}
	}
	if _, err := Run(context.Background(), noCRS, Options{Store: dir, ID: "r", MaxZoom: -1, SrcSRS: "EPSG:4326"}); err != nil {
		t.Errorf("with --s-srs: %v", err)
	}
}

// synthMagnetics writes outcrop synth's magnetic grid (EPSG:24047, -99999
// nodata outside the survey) into a temporary directory.
func synthMagnetics(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	file := filepath.Join(dir, "mag.asc")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := synth.WriteMagnetics(f, synth.MagneticsOptions{Cols: 300, Rows: 225, Cell: 400, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := os.WriteFile(filepath.Join(dir, "mag.prj"), []byte(synth.MagneticsPRJ), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// locationReport asks gdallocationinfo (mode "-wgs84" for lon lat, "" for
// pixel and line) for each input's source pixel and value, NaN off the file.
func locationReport(t *testing.T, file, mode string, lines []string) ([][2]int, []float64) {
	t.Helper()
	args := []string{file}
	if mode != "" {
		args = []string{mode, file}
	}
	cmd := exec.Command("gdallocationinfo", args...)
	cmd.Stdin = strings.NewReader(strings.Join(lines, "\n") + "\n")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("gdallocationinfo: %v (install gdal-bin)", err)
	}
	var px [][2]int
	var vals []float64
	for _, l := range strings.Split(string(out), "\n") {
		l = strings.TrimSpace(l)
		var c, r int
		if _, err := fmt.Sscanf(l, "Location: (%dP,%dL)", &c, &r); err == nil {
			px = append(px, [2]int{c, r})
			vals = append(vals, math.NaN())
		} else if v, ok := strings.CutPrefix(l, "Value: "); ok && len(vals) > 0 {
			vals[len(vals)-1], _ = strconv.ParseFloat(v, 64)
		}
	}
	if len(px) != len(lines) {
		t.Fatalf("gdallocationinfo reported %d of %d points", len(px), len(lines))
	}
	return px, vals
}

// TestRasterSynthMagnetics ingests the synthetic magnetic grid, a projected
// CRS with a datum shift and an integer nodata, and compares the max zoom
// with gdallocationinfo on the source at 300 random points (60 or more on
// data, the rest around the survey's outline): exact with
// nearest, and with bilinear between the least and greatest of the 3×3
// source pixels around the point; nodata stays nodata, never 0 or -99999.
func TestRasterSynthMagnetics(t *testing.T) {
	file := synthMagnetics(t)
	_, r := ingestRaster(t, file, Options{Resampling: "nearest"})
	pts := samplePixels(t, r, 300)
	lines := make([]string, len(pts))
	for i, p := range pts {
		lines[i] = fmt.Sprintf("%.12f %.12f", p.lon, p.lat)
	}
	_, want := locationReport(t, file, "-wgs84", lines)
	var data int
	for i, p := range pts {
		nodata := math.IsNaN(want[i]) || want[i] == synth.MagneticsNoData
		switch {
		case nodata && !math.IsNaN(float64(p.value)):
			t.Errorf("%.5f %.5f: source nodata became %v", p.lon, p.lat, p.value)
		case !nodata && float64(p.value) != float64(float32(want[i])):
			t.Errorf("%.5f %.5f: stored %v, source %v", p.lon, p.lat, p.value, want[i])
		case !nodata:
			data++
		}
	}
	if data < 60 {
		t.Errorf("only %d of 300 points on data; the test samples too little", data)
	}
	if st := r.Metadata().Raster.Bands[0].Stats; st == nil || st.Min <= synth.MagneticsNoData || st.Count >= 300*225 {
		t.Errorf("stats %+v count the nodata value", st)
	}

	_, r = ingestRaster(t, file, Options{})
	pts = samplePixels(t, r, 300)
	for i, p := range pts {
		lines[i] = fmt.Sprintf("%.12f %.12f", p.lon, p.lat)
	}
	px, _ := locationReport(t, file, "-wgs84", lines)
	var around []string
	for _, p := range px {
		for dl := -1; dl <= 1; dl++ {
			for dc := -1; dc <= 1; dc++ {
				around = append(around, fmt.Sprintf("%d %d", p[0]+dc, p[1]+dl))
			}
		}
	}
	_, vals := locationReport(t, file, "", around)
	data = 0
	for i, p := range pts {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, v := range vals[9*i : 9*i+9] {
			if !math.IsNaN(v) && v != synth.MagneticsNoData {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
		v := float64(p.value)
		switch {
		case math.IsInf(lo, 1) && !math.IsNaN(v):
			t.Errorf("%.5f %.5f: nodata all around became %v", p.lon, p.lat, v)
		case !math.IsNaN(v) && (v < lo-1e-3 || v > hi+1e-3):
			t.Errorf("%.5f %.5f: %v outside the neighbours' %v to %v", p.lon, p.lat, v, lo, hi)
		case !math.IsNaN(v):
			data++
		}
	}
	if data < 60 {
		t.Errorf("bilinear: only %d of 300 points on data", data)
	}
}

// TestRasterUnitsDescriptionKeywords checks that --units names the units
// of a band whose source declares none (Slab2's depth, in km), and that
// --description and --keywords are stored as a vector ingest stores them.
func TestRasterUnitsDescriptionKeywords(t *testing.T) {
	sum, r := ingestRaster(t, slabGrid, Options{MaxZoom: 2})
	if u := r.Metadata().Raster.Bands[0].Units; u != "" || sum.Raster.Bands[0].Units != "" {
		t.Fatalf("Slab2 declares no units, stored %q; the test needs a source without them", u)
	}
	_, r = ingestRaster(t, slabGrid, Options{MaxZoom: 2, Units: "km", Description: "Depth to the slab", Keywords: []string{"slab", "depth"}})
	m := r.Metadata()
	if u := m.Raster.Bands[0].Units; u != "km" {
		t.Errorf("band units %q, want km", u)
	}
	if m.Description != "Depth to the slab" || !slices.Equal(m.Keywords, []string{"slab", "depth"}) {
		t.Errorf("description %q, keywords %q; want them as given", m.Description, m.Keywords)
	}
}
