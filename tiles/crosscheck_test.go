//go:build cgo

package tiles

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"
	geos "github.com/twpayne/go-geos"

	"github.com/outcrop/outcrop/tiles/validity"
)

// unrepairedTiles cuts features as Cut did before it repaired polygons,
// so that the tiles hold invalid polygons to test the checker on.
func unrepairedTiles(t *testing.T, features []*geojson.Feature, opts Options) map[maptile.Tile][]byte {
	t.Helper()
	old := repairer
	repairer = nil
	defer func() { repairer = old }()
	got, _ := cutAll(t, features, opts)
	return got
}

// geosValid is GEOS's verdict on a decoded tile polygon, in tile
// coordinates as decoded.
func geosValid(ctx *geos.Context, g orb.Geometry) bool {
	var in *geos.Geom
	switch g := g.(type) {
	case orb.Polygon:
		in = ctx.NewPolygon(polygonCoords(g))
	case orb.MultiPolygon:
		ps := make([]*geos.Geom, len(g))
		for i, p := range g {
			ps[i] = ctx.NewPolygon(polygonCoords(p))
		}
		in = ctx.NewCollection(geos.TypeIDMultiPolygon, ps)
	}
	defer in.Destroy()
	return in.IsValid()
}

// checkedTiles are tiles cut without repair from the borders and a
// synthetic coverage, where both causes of invalid polygons occur.
func checkedTiles(t *testing.T) map[maptile.Tile][]byte {
	tiles := unrepairedTiles(t, repoBorders(t), Options{MinZoom: 0, MaxZoom: 7})
	box := orb.Bound{Min: orb.Point{100, 14}, Max: orb.Point{100.6, 14.6}}
	for k, v := range unrepairedTiles(t, syntheticCoverage(t, 300, 40, box), Options{MinZoom: 8, MaxZoom: 12}) {
		tiles[k] = v
	}
	return tiles
}

// TestValidityAgreesWithGEOS checks validity.Check against GEOS's IsValid
// on every polygon feature of tiles that hold many invalid ones. GEOS does
// not check winding, so a polygon only wound wrong is left out.
func TestValidityAgreesWithGEOS(t *testing.T) {
	ctx := geos.NewContext()
	invalid, checked := 0, 0
	for tile, data := range checkedTiles(t) {
		for _, f := range decode(t, data).Features {
			switch f.Geometry.(type) {
			case orb.Polygon, orb.MultiPolygon:
			default:
				continue
			}
			err := validity.Check(f.Geometry)
			if p, ok := err.(*validity.Problem); ok && p.Kind == validity.WrongWinding {
				continue
			}
			checked++
			if err != nil {
				invalid++
			}
			if g := geosValid(ctx, f.Geometry); g != (err == nil) {
				t.Errorf("tile %v feature %v: GEOS says valid %v, validity.Check says %v\n%v", tile, f.ID, g, err, f.Geometry)
			}
		}
	}
	if invalid < 50 {
		t.Errorf("only %d of %d polygons invalid without repair: the test checks too little", invalid, checked)
	}
	t.Logf("%d of %d polygon features invalid without repair; GEOS agrees on each", invalid, checked)
}

// TestValidityAgreesWithOGR checks validity.Check against GDAL's MVT
// driver and SpatiaLite's ST_IsValid (GEOS), the reproduction, on
// 16 tiles that hold invalid polygons and 8 that do not. GDAL
// reads tiles into Web Mercator metres, whose rounding can move a vertex
// touching an edge off it; those verdicts may differ, and are counted.
func TestValidityAgreesWithOGR(t *testing.T) {
	if _, err := exec.LookPath("ogrinfo"); err != nil {
		msg := "ogrinfo (gdal-bin) is not installed"
		if os.Getenv("CI") != "" {
			t.Fatalf("%s; CI is set, so this is a failure, not a skip", msg)
		}
		t.Skip(msg)
	}
	dir := t.TempDir()
	var bad, good []maptile.Tile
	tiles := checkedTiles(t)
	verdicts := map[maptile.Tile][]bool{}
	for tile, data := range tiles {
		any := false
		for _, f := range decode(t, data).Features {
			ok := validity.Check(f.Geometry) == nil
			verdicts[tile] = append(verdicts[tile], ok)
			any = any || !ok
		}
		if any {
			bad = append(bad, tile)
		} else {
			good = append(good, tile)
		}
	}
	less := func(a, b maptile.Tile) int { return int(a.Quadkey()) - int(b.Quadkey()) }
	slices.SortFunc(bad, less)
	slices.SortFunc(good, less)
	// ogrinfo takes about a second a tile on a busy machine: every k-th.
	every := func(ts []maptile.Tile, n int) []maptile.Tile {
		var out []maptile.Tile
		for i := 0; i < len(ts) && len(out) < n; i += max(1, len(ts)/n) {
			out = append(out, ts[i])
		}
		return out
	}
	sample := append(every(bad, 16), every(good, 8)...)
	agree, differ, invalid := 0, 0, 0
	for _, tile := range sample {
		path := filepath.Join(dir, fmt.Sprintf("%d-%d-%d.mvt.gz", tile.Z, tile.X, tile.Y))
		if err := os.WriteFile(path, tiles[tile], 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("ogrinfo", "-q", "-oo", fmt.Sprint("X=", tile.X), "-oo", fmt.Sprint("Y=", tile.Y),
			"-oo", fmt.Sprint("Z=", tile.Z), "-oo", "CLIP=NO", "-dialect", "sqlite",
			"-sql", "SELECT ST_IsValid(geometry) AS valid FROM "+testLayer, "/vsigzip/"+path)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("ogrinfo on tile %v: %v", tile, err)
		}
		var ogr []bool
		sc := bufio.NewScanner(bytes.NewReader(out))
		for sc.Scan() {
			if v, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "valid (Integer) = "); ok {
				n, _ := strconv.Atoi(v)
				ogr = append(ogr, n == 1)
			}
		}
		want := verdicts[tile]
		if len(ogr) != len(want) {
			t.Fatalf("tile %v: ogrinfo read %d features, orb %d", tile, len(ogr), len(want))
		}
		for i := range want {
			if !want[i] {
				invalid++
			}
			if ogr[i] == want[i] {
				agree++
			} else {
				differ++
				t.Logf("tile %v feature %d: ogr valid %v, validity.Check valid %v", tile, i, ogr[i], want[i])
			}
		}
	}
	t.Logf("%d tiles, %d features, %d invalid: ogrinfo agrees on %d, differs on %d", len(sample), agree+differ, invalid, agree, differ)
	if invalid < 20 || differ*100 > agree {
		t.Errorf("ogrinfo differs on %d features of %d (%d invalid), want under 1 %%", differ, agree+differ, invalid)
	}
}
