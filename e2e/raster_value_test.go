package e2e

import (
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http/httptest"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/outcrop/outcrop/server"
	"github.com/outcrop/outcrop/store"
)

// The Slab2 grid's layout (gdalinfo): 1041 × 941 cells of 0.05°, whose
// outer edge is at 86.975°E, 31.025°N.
const (
	slabWest, slabNorth, slabCell = 86.975, 31.025, 0.05
	slabCols, slabRows            = 1041, 941
)

// TestRasterValueMatchesGDAL ingests the real Slab2 depth grid of data/
// with the outcrop binary, nearest and bilinear, serves it, and compares
// /collections/{id}/value at the centres of 50 random max-zoom pixels (40
// on data) with
// gdallocationinfo on the source: equal with nearest; with bilinear between
// the least and greatest of the 3×3 source cells around the point; nodata
// stays null in both.
func TestRasterValueMatchesGDAL(t *testing.T) {
	needTool(t, "gdallocationinfo", "gdal-bin")
	bin := outcropBinary(t)
	dir := t.TempDir()
	mustRun(t, bin, "ingest", "--quiet", "--store", dir, "--id", "nearest", "--resampling", "nearest", "--units", "km", slabGrid)
	mustRun(t, bin, "ingest", "--quiet", "--store", dir, "--id", "bilinear", slabGrid)
	st, err := store.Open(dir, store.Options{PollInterval: -1, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srv := httptest.NewServer(server.New(server.Config{Catalog: st, Logger: slog.New(slog.DiscardHandler)}))
	t.Cleanup(srv.Close)

	// Centres of random pixels of the max zoom (256-pixel tiles), inside
	// the grid's extent.
	world := float64(256 << slabZoom)
	px := func(lon, lat float64) (float64, float64) {
		s := math.Sin(lat * math.Pi / 180)
		return (lon + 180) / 360 * world, (0.5 - math.Log((1+s)/(1-s))/(4*math.Pi)) * world
	}
	x0, y0 := px(slabWest, slabNorth)
	x1, y1 := px(slabWest+slabCols*slabCell, slabNorth-slabRows*slabCell)
	// 40 on the slab and 10 off it, from 1000 candidates (the slab covers
	// about a tenth of the grid).
	rng := rand.New(rand.NewPCG(11, 4))
	var cand [][2]float64
	var lines []string
	for range 1000 {
		x := math.Floor(x0+1) + float64(rng.IntN(int(x1-x0)-2)) + 0.5
		y := math.Floor(y0+1) + float64(rng.IntN(int(y1-y0)-2)) + 0.5
		p := [2]float64{x/world*360 - 180, math.Atan(math.Sinh(math.Pi*(1-2*y/world))) * 180 / math.Pi}
		cand = append(cand, p)
		lines = append(lines, fmt.Sprintf("%.12f %.12f", p[0], p[1]))
	}
	var pts [][2]float64
	var want []float64
	on, off := 0, 0
	for i, v := range gdalValues(t, "-geoloc", lines) {
		if math.IsNaN(v) && off < 10 || !math.IsNaN(v) && on < 40 {
			pts, want = append(pts, cand[i]), append(want, v)
			if math.IsNaN(v) {
				off++
			} else {
				on++
			}
		}
	}
	if on < 40 || off < 10 {
		t.Fatalf("%d of 1000 candidates on data, %d off; want 40 and 10", on, off)
	}

	value := func(id string, p [2]float64) (float64, string) {
		var d struct {
			Values []struct {
				Value *float64 `json:"value"`
				Units string   `json:"units"`
			} `json:"values"`
		}
		getJSONInto(t, fmt.Sprintf("%s/collections/%s/value?lon=%.12f&lat=%.12f", srv.URL, id, p[0], p[1]), &d)
		if len(d.Values) != 1 {
			t.Fatalf("%s at %v: %d band values, want 1", id, p, len(d.Values))
		}
		if d.Values[0].Value == nil {
			return math.NaN(), d.Values[0].Units
		}
		return *d.Values[0].Value, d.Values[0].Units
	}

	// Nearest: the source cell under the point, exactly.
	for i, p := range pts {
		got, units := value("nearest", p)
		switch {
		case units != "km":
			t.Errorf("%.5f %.5f: units %q, want km (--units)", p[0], p[1], units)
		case math.IsNaN(want[i]) != math.IsNaN(got):
			t.Errorf("%.5f %.5f: nearest served %v, source %v", p[0], p[1], got, want[i])
		case !math.IsNaN(want[i]) && got != float64(float32(want[i])):
			t.Errorf("%.5f %.5f: nearest served %v, source %v", p[0], p[1], got, want[i])
		}
	}

	// Bilinear: within the 3×3 source cells around the point.
	lines = lines[:0]
	for _, p := range pts {
		c, l := int(math.Floor((p[0]-slabWest)/slabCell)), int(math.Floor((slabNorth-p[1])/slabCell))
		for dl := -1; dl <= 1; dl++ {
			for dc := -1; dc <= 1; dc++ {
				lines = append(lines, fmt.Sprintf("%d %d", c+dc, l+dl))
			}
		}
	}
	around := gdalValues(t, "", lines)
	for i, p := range pts {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, v := range around[9*i : 9*i+9] {
			if !math.IsNaN(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
		got, _ := value("bilinear", p)
		switch {
		case math.IsInf(lo, 1) && !math.IsNaN(got):
			t.Errorf("%.5f %.5f: nodata all around, bilinear served %v", p[0], p[1], got)
		case !math.IsNaN(got) && (got < lo-1e-3 || got > hi+1e-3):
			t.Errorf("%.5f %.5f: bilinear served %v, outside the source cells' %v to %v", p[0], p[1], got, lo, hi)
		}
	}
}

// gdalValues runs gdallocationinfo -valonly on the Slab2 grid with one
// location a line (pixel line, or lon lat with -geoloc) and returns the
// values, NaN for nodata or outside the grid.
func gdalValues(t *testing.T, mode string, lines []string) []float64 {
	t.Helper()
	args := []string{"-valonly"}
	if mode != "" {
		args = append(args, mode)
	}
	cmd := exec.Command("gdallocationinfo", append(args, slabGrid)...)
	cmd.Stdin = strings.NewReader(strings.Join(lines, "\n") + "\n")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("gdallocationinfo: %v", err)
	}
	fields := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(fields) != len(lines) {
		t.Fatalf("gdallocationinfo gave %d values for %d locations", len(fields), len(lines))
	}
	vals := make([]float64, len(fields))
	for i, f := range fields {
		if vals[i], err = strconv.ParseFloat(strings.TrimSpace(f), 64); err != nil {
			vals[i] = math.NaN()
		}
	}
	return vals
}
