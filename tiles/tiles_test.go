package tiles

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"
	"github.com/paulmach/orb/maptile/tilecover"
	"github.com/paulmach/orb/planar"

	"github.com/outcrop/outcrop/tileset"
)

// Bangkok, with one attribute of every type ingest hands over.
var bangkok = input(42, orb.Point{100.5018, 13.7563}, geojson.Properties{
	"name":      "Bangkok",
	"code":      int64(-17),
	"elevation": 1.5,
	"capital":   true,
	"surveyed":  time.Date(1999, 3, 4, 0, 0, 0, 0, time.UTC),
	"note":      nil,
})

func TestPointLandsAtItsPixelWithItsAttributes(t *testing.T) {
	got, stats := cutAll(t, []*geojson.Feature{bangkok}, Options{MinZoom: 0, MaxZoom: 14})
	for _, z := range []int{0, 3, 14} {
		wx, wy := worldPixel(100.5018, 13.7563, z)
		tile := maptile.New(uint32(wx/4096), uint32(wy/4096), maptile.Zoom(z))
		data, ok := got[tile]
		if !ok {
			t.Fatalf("zoom %d: no tile %v", z, tile)
		}
		l := decode(t, data)
		if len(l.Features) != 1 {
			t.Fatalf("tile %v has %d features, want 1", tile, len(l.Features))
		}
		f := l.Features[0]
		p, ok := f.Geometry.(orb.Point)
		wantX, wantY := wx-float64(tile.X)*4096, wy-float64(tile.Y)*4096
		if !ok || math.Abs(p[0]-wantX) > 1 || math.Abs(p[1]-wantY) > 1 {
			t.Errorf("tile %v: point at %v, want (%.1f, %.1f) ±1", tile, f.Geometry, wantX, wantY)
		}
		if f.ID != float64(42) {
			t.Errorf("tile %v: id %v, want 42", tile, f.ID)
		}

		// Attribute types, as written in the protobuf values.
		vt := rawTile(t, data)
		layer := vt.Layers[0]
		attrs := map[string]string{}
		for i := 0; i+1 < len(layer.Features[0].Tags); i += 2 {
			k, v := layer.Keys[layer.Features[0].Tags[i]], layer.Values[layer.Features[0].Tags[i+1]]
			switch {
			case v.StringValue != nil:
				attrs[k] = "string " + *v.StringValue
			case v.SintValue != nil:
				attrs[k] = "sint " + formatInt(*v.SintValue)
			case v.DoubleValue != nil && *v.DoubleValue == 1.5:
				attrs[k] = "double 1.5"
			case v.BoolValue != nil && *v.BoolValue:
				attrs[k] = "bool true"
			default:
				attrs[k] = "other " + v.String()
			}
		}
		want := map[string]string{
			"name":      "string Bangkok",
			"code":      "sint -17",
			"elevation": "double 1.5",
			"capital":   "bool true",
			"surveyed":  "string 1999-03-04",
		}
		if !mapsEqual(attrs, want) {
			t.Errorf("tile %v: attributes %v, want %v (and no null note)", tile, attrs, want)
		}
	}
	for _, zs := range stats.Zooms {
		if zs.Tiles != 1 || zs.Features != 1 {
			t.Errorf("zoom %d stats %+v, want 1 tile with 1 feature", zs.Zoom, zs)
		}
	}
	if len(got) != 15 {
		t.Errorf("%d tiles, want one per zoom 0-14", len(got))
	}
}

func formatInt(i int64) string {
	if i < 0 {
		return "-" + formatInt(-i)
	}
	if i < 10 {
		return string(rune('0' + i))
	}
	return formatInt(i/10) + string(rune('0'+i%10))
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestPointInBufferIsRepeatedInNeighbourOnlyWithinBuffer(t *testing.T) {
	const z = 10
	// Tile x = 800 starts at world pixel 800*4096; place points 10 and 100
	// units east of that edge, the first inside the west neighbour's buffer.
	lonAt := func(wx float64) float64 { return wx/(4096*math.Exp2(z))*360 - 180 }
	lat := 12.5
	_, wy := worldPixel(0, lat, z)
	ty := uint32(wy / 4096)
	near := input(1, orb.Point{lonAt(800*4096 + 10.2), lat}, nil)
	far := input(2, orb.Point{lonAt(800*4096 + 100.2), lat}, nil)
	got, _ := cutAll(t, []*geojson.Feature{near, far}, Options{MinZoom: z, MaxZoom: z})

	east := decode(t, got[maptile.New(800, ty, z)])
	if len(east.Features) != 2 {
		t.Fatalf("tile 800 has %d features, want both points", len(east.Features))
	}
	west := decode(t, got[maptile.New(799, ty, z)])
	if len(west.Features) != 1 || west.Features[0].ID != float64(1) {
		t.Fatalf("tile 799 has %v, want only the point 10 units over its edge", west.Features)
	}
	if p := west.Features[0].Geometry.(orb.Point); p[0] != 4096+10 {
		t.Errorf("tile 799: point at x=%v, want 4106", p[0])
	}
	if len(got) != 2 {
		t.Errorf("%d tiles, want 2", len(got))
	}
}

// notched is a polygon over several zoom-7 tiles of Thailand with a notch
// cut into its north side, so that it is concave.
var notched = orb.Polygon{{
	{99.3, 12.2}, {103.1, 12.2}, {103.1, 15.9}, {101.6, 15.9}, {101.6, 14.1},
	{100.9, 14.1}, {100.9, 15.9}, {99.3, 15.9}, {99.3, 12.2},
}}

func TestPolygonOverSeveralTiles(t *testing.T) {
	const z = 7
	got, _ := cutAll(t, []*geojson.Feature{input(5, notched, nil)}, Options{MinZoom: z, MaxZoom: z})
	cover, err := tilecover.Geometry(notched, z)
	if err != nil {
		t.Fatal(err)
	}
	if len(cover) < 4 {
		t.Fatalf("test polygon covers %d tiles, want several", len(cover))
	}
	for tile := range cover {
		if _, ok := got[tile]; !ok {
			t.Errorf("tile %v touches the polygon but was not written", tile)
		}
	}

	var area float64
	for tile, data := range got {
		l := decode(t, data)
		if len(l.Features) != 1 || l.Features[0].ID != float64(5) {
			t.Fatalf("tile %v: features %v, want the polygon", tile, l.Features)
		}
		g := l.Features[0].Geometry
		checkWinding(t, tile, g)
		for _, p := range polygons(g) {
			for _, r := range p {
				for _, pt := range r {
					if pt[0] < -64 || pt[0] > 4096+64 || pt[1] < -64 || pt[1] > 4096+64 {
						t.Fatalf("tile %v: vertex %v outside the 64-unit buffer", tile, pt)
					}
				}
			}
			// The part inside the tile proper: these partition the polygon.
			inner := clip.Polygon(orb.Bound{Max: orb.Point{4096, 4096}}, p.Clone())
			if inner != nil {
				area += planar.Area(inner)
			}
		}
		if !cover[tile] && len(polygons(g)) > 0 {
			// Only the buffer may reach a tile the polygon does not touch.
			b := g.Bound()
			if b.Max[0] > 0 && b.Min[0] < 4096 && b.Max[1] > 0 && b.Min[1] < 4096 {
				t.Errorf("tile %v is not in the polygon's cover but holds %v inside the tile", tile, b)
			}
		}
	}
	want := planar.Area(toWorldPolygon(notched, z))
	if math.Abs(area-want)/want > 0.001 {
		t.Errorf("clipped parts add up to %.0f units², polygon is %.0f", area, want)
	}
}

func toWorldPolygon(p orb.Polygon, z int) orb.Polygon {
	return mapPoints(p.Clone(), func(q orb.Point) orb.Point {
		x, y := worldPixel(q[0], q[1], z)
		return orb.Point{x, y}
	}).(orb.Polygon)
}

// TestPolygonHoleKeepsOppositeWinding checks that holes are wound against
// their exterior and that the ground they take out stays out: as a hole
// ring in a tile that holds it whole, as a notch in the clipped exterior
// where a tile's edge cuts through it (a valid polygon has no hole touching
// its exterior along an edge).
func TestPolygonHoleKeepsOppositeWinding(t *testing.T) {
	// GeoJSON winding (exterior counter-clockwise with y up), which the
	// projection turns around: Cut must wind by itself.
	donut := orb.Polygon{
		{{100, 10}, {104, 10}, {104, 14}, {100, 14}, {100, 10}},
		{{101, 11}, {101, 13}, {103, 13}, {103, 11}, {101, 11}},
	}
	for _, z := range []int{4, 7} {
		got, _ := cutAll(t, []*geojson.Feature{input(9, donut, nil)}, Options{MinZoom: z, MaxZoom: z})
		holes := 0
		var covered float64
		for tile, data := range got {
			l := decode(t, data)
			for _, f := range l.Features {
				checkWinding(t, tile, f.Geometry)
				for _, p := range polygons(f.Geometry) {
					holes += len(p) - 1
					for _, r := range p {
						if in := clip.Ring(orb.Bound{Max: orb.Point{4096, 4096}}, r.Clone()); in != nil {
							covered += planar.Area(in) // negative for holes
						}
					}
				}
			}
		}
		if z == 4 && holes == 0 {
			t.Fatalf("zoom %d: the hole, inside one tile, is lost", z)
		}
		world := toWorldPolygon(donut, z)
		want := planar.Area(world[0]) + planar.Area(world[1])
		if math.Abs(covered-want)/want > 0.01 {
			t.Errorf("zoom %d: covered area %.0f, want %.0f (the exterior less the hole)", z, covered, want)
		}
	}
}

func TestTileInsideHoleIsNotWritten(t *testing.T) {
	// A 4° frame with a 3.6° hole: at zoom 9 (0.7° tiles) whole tiles lie in
	// the hole and must not be written as an exterior with an equal hole.
	frame := orb.Polygon{
		{{100, 10}, {104, 10}, {104, 14}, {100, 14}, {100, 10}},
		{{100.2, 10.2}, {100.2, 13.8}, {103.8, 13.8}, {103.8, 10.2}, {100.2, 10.2}},
	}
	const z = 9
	got, _ := cutAll(t, []*geojson.Feature{input(1, frame, nil)}, Options{MinZoom: z, MaxZoom: z})
	// Tiles over the middle of the hole, all more than their buffer away from
	// the frame.
	hole, err := tilecover.Geometry(orb.Polygon{{{101, 11}, {103, 11}, {103, 13}, {101, 13}, {101, 11}}}, z)
	if err != nil {
		t.Fatal(err)
	}
	for tile := range hole {
		if _, ok := got[tile]; ok {
			t.Errorf("tile %v lies inside the hole but was written", tile)
		}
	}
	if len(hole) < 9 {
		t.Fatalf("only %d tiles in the hole; make it bigger", len(hole))
	}
	for tile, data := range got {
		if len(decode(t, data).Features) == 0 {
			t.Errorf("tile %v written empty", tile)
		}
	}
	// The frame itself is there: tiles along its western band.
	wx, wy := worldPixel(100.1, 12, z)
	if got[maptile.New(uint32(wx/4096), uint32(wy/4096), z)] == nil {
		t.Errorf("no tile on the frame's western band")
	}
}

func TestLineIsContinuousAcrossTiles(t *testing.T) {
	// A wavy line across Indochina, several tiles long at zoom 8.
	var line orb.LineString
	for i := 0; i <= 400; i++ {
		lon := 98 + 8*float64(i)/400
		line = append(line, orb.Point{lon, 12 + 1.5*math.Sin(lon*2)})
	}
	const z = 8
	got, _ := cutAll(t, []*geojson.Feature{input(3, line, nil)}, Options{MinZoom: z, MaxZoom: z})
	if len(got) < 6 {
		t.Fatalf("line crosses only %d tiles, want several", len(got))
	}

	// Cut each piece back to its own tile (no buffer), in world pixels; the
	// pieces must then join end to end into the whole line.
	var pieces []orb.LineString
	var length float64
	for tile, data := range got {
		for _, f := range decode(t, data).Features {
			lines := f.Geometry
			if ls, ok := lines.(orb.LineString); ok {
				lines = orb.MultiLineString{ls}
			}
			mls, ok := lines.(orb.MultiLineString)
			if !ok {
				t.Fatalf("tile %v: %T, want lines", tile, f.Geometry)
			}
			for _, ls := range clip.MultiLineString(orb.Bound{Max: orb.Point{4096, 4096}}, mls) {
				w := toWorldPixels(ls, tile).(orb.LineString)
				pieces = append(pieces, w)
				length += planar.Length(w)
			}
		}
	}
	sx, sy := worldPixel(line[0][0], line[0][1], z)
	ex, ey := worldPixel(line[len(line)-1][0], line[len(line)-1][1], z)
	start, end := orb.Point{sx, sy}, orb.Point{ex, ey}
	near := func(a, b orb.Point) bool { return planar.Distance(a, b) <= 1 }
	for i, p := range pieces {
		for _, e := range []orb.Point{p[0], p[len(p)-1]} {
			if near(e, start) || near(e, end) {
				continue
			}
			matched := false
			for j, q := range pieces {
				if j != i && (near(e, q[0]) || near(e, q[len(q)-1])) {
					matched = true
					break
				}
			}
			if !matched {
				t.Errorf("piece end %v has no neighbouring piece within 1 unit: a gap at a seam", e)
			}
		}
	}
	var want float64
	wline := make(orb.LineString, len(line))
	for i, p := range line {
		x, y := worldPixel(p[0], p[1], z)
		wline[i] = orb.Point{x, y}
	}
	want = planar.Length(wline)
	if math.Abs(length-want)/want > 0.002 {
		t.Errorf("pieces add up to %.1f units, line is %.1f", length, want)
	}
}

func TestIDsStableAcrossZoomsAndNoEmptyTiles(t *testing.T) {
	features := []*geojson.Feature{
		input(1001, notched, geojson.Properties{"code": "Qa"}),
		input(1002, orb.LineString{{98, 8}, {106, 20}}, nil),
		input(1003, orb.Point{102.6, 17.97}, nil),
	}
	got, stats := cutAll(t, features, Options{MinZoom: 0, MaxZoom: 9})
	seen := map[int]map[float64]bool{}
	for tile, data := range got {
		l := decode(t, data)
		if len(l.Features) == 0 {
			t.Errorf("tile %v written empty", tile)
		}
		if seen[int(tile.Z)] == nil {
			seen[int(tile.Z)] = map[float64]bool{}
		}
		for _, f := range l.Features {
			seen[int(tile.Z)][f.ID.(float64)] = true
		}
	}
	for z := 0; z <= 9; z++ {
		if !seen[z][1001] || !seen[z][1002] || !seen[z][1003] || len(seen[z]) != 3 {
			t.Errorf("zoom %d: ids %v, want 1001, 1002 and 1003", z, seen[z])
		}
	}
	if len(stats.Zooms) != 10 {
		t.Fatalf("%d zoom stats, want 10", len(stats.Zooms))
	}
	var total int64
	for _, zs := range stats.Zooms {
		total += zs.Tiles
	}
	if total != int64(len(got)) {
		t.Errorf("stats count %d tiles, %d were put", total, len(got))
	}
}

func TestTileCountMatchesTilecover(t *testing.T) {
	rect := orb.Polygon{{{100.3, 10.3}, {105.7, 10.3}, {105.7, 15.7}, {100.3, 15.7}, {100.3, 10.3}}}
	for _, z := range []int{3, 6, 8} {
		// Without a buffer, exactly the tiles the polygon covers.
		got, stats := cutAll(t, []*geojson.Feature{input(1, rect, nil)}, Options{MinZoom: z, MaxZoom: z, Buffer: -1})
		cover, err := tilecover.Geometry(rect, maptile.Zoom(z))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(cover) || stats.Zooms[0].Tiles != int64(len(cover)) {
			t.Errorf("zoom %d without buffer: %d tiles, tilecover says %d", z, len(got), len(cover))
		}
		for tile := range cover {
			if got[tile] == nil {
				t.Errorf("zoom %d: tile %v missing", z, tile)
			}
		}

		// With the default buffer, also the neighbours whose buffer reaches it.
		got, _ = cutAll(t, []*geojson.Feature{input(1, rect, nil)}, Options{MinZoom: z, MaxZoom: z})
		x0, y1 := worldPixel(100.3, 10.3, z)
		x1, y0 := worldPixel(105.7, 15.7, z)
		span := func(lo, hi float64) int { return int(math.Floor((hi+64)/4096)) - int(math.Floor((lo-64)/4096)) + 1 }
		if want := span(x0, x1) * span(y0, y1); len(got) != want {
			t.Errorf("zoom %d with buffer: %d tiles, want %d", z, len(got), want)
		}
	}
}

func TestGeometryCollectionBecomesOneFeaturePerKind(t *testing.T) {
	c := orb.Collection{orb.Point{101, 13}, orb.LineString{{100, 12}, {102, 14}}, orb.Point{101.5, 13.5}}
	got, _ := cutAll(t, []*geojson.Feature{input(77, c, nil)}, Options{MinZoom: 2, MaxZoom: 2})
	if len(got) != 1 {
		t.Fatalf("%d tiles, want 1", len(got))
	}
	for _, data := range got {
		l := decode(t, data)
		var kinds []string
		for _, f := range l.Features {
			if f.ID != float64(77) {
				t.Errorf("id %v, want 77", f.ID)
			}
			kinds = append(kinds, f.Geometry.GeoJSONType())
		}
		slices.Sort(kinds)
		if !slices.Equal(kinds, []string{"LineString", "MultiPoint"}) {
			t.Errorf("features %v, want a MultiPoint and a LineString", kinds)
		}
	}
}

func TestBordersAllPresentAtZoom8(t *testing.T) {
	features := loadBorders(t)
	got, stats := cutAll(t, features, Options{MinZoom: 0, MaxZoom: 8})
	seen := map[int]map[float64]bool{}
	for tile, data := range got {
		if len(data) > DefaultMaxTileBytes {
			t.Errorf("tile %v is %d bytes", tile, len(data))
		}
		for _, f := range decode(t, data).Features {
			checkWinding(t, tile, f.Geometry)
			if seen[int(tile.Z)] == nil {
				seen[int(tile.Z)] = map[float64]bool{}
			}
			seen[int(tile.Z)][f.ID.(float64)] = true
		}
	}
	// Below zoom 2 Singapore is under a pixel (an island: dropped), and at
	// zoom 0 so is Brunei (merged into Malaysia, around it); China's two
	// short border lines are dropped too.
	for z := 0; z <= 8; z++ {
		want := len(features)
		switch z {
		case 0:
			want -= 2
			if seen[z][8] || seen[z][11] {
				t.Errorf("zoom 0 has Brunei or Singapore")
			}
		case 1:
			want--
			if seen[z][11] {
				t.Errorf("zoom 1 has Singapore")
			}
		}
		if len(seen[z]) != want {
			t.Errorf("zoom %d has %d of the %d countries, want %d", z, len(seen[z]), len(features), want)
		}
	}
	if len(stats.Zooms) != 9 || stats.Zooms[8].Tiles == 0 {
		t.Fatalf("stats %+v", stats.Zooms)
	}
	// China is cut as two features, its polygons and its lines.
	if zs := stats.Zooms[0]; zs.Kept != 10 || zs.Merged != 1 || zs.Dropped != 2 || zs.MergedArea == 0 || zs.DroppedArea == 0 {
		t.Errorf("zoom 0 stats %+v, want 10 features kept, one merged and two dropped", zs)
	}
	if zs := stats.Zooms[8]; zs.Kept != 13 {
		t.Errorf("zoom 8 stats %+v, want all 13 features kept", zs)
	}
}

func TestBordersAttributesAtKnownPlace(t *testing.T) {
	features := loadBorders(t)
	// Vientiane, Lao PDR, at zoom 6.
	const z = 6
	got, _ := cutAll(t, features, Options{MinZoom: z, MaxZoom: z})
	wx, wy := worldPixel(102.6, 17.97, z)
	tile := maptile.New(uint32(wx/4096), uint32(wy/4096), z)
	px := orb.Point{wx - float64(tile.X)*4096, wy - float64(tile.Y)*4096}
	var names []string
	for _, f := range decode(t, got[tile]).Features {
		for _, p := range polygons(f.Geometry) {
			if planar.PolygonContains(p, px) {
				names = append(names, f.Properties["name"].(string))
			}
		}
	}
	if len(names) != 1 || !strings.Contains(names[0], "Lao") {
		t.Errorf("at Vientiane the tile has %v, want Lao PDR alone", names)
	}
}

func TestWorkersDoNotChangeTiles(t *testing.T) {
	features := []*geojson.Feature{input(1, notched, nil), bangkok, input(2, orb.LineString{{98, 8}, {106, 20}}, nil)}
	one, _ := cutAll(t, features, Options{MaxZoom: 8, Workers: 1})
	four, _ := cutAll(t, features, Options{MaxZoom: 8, Workers: 4})
	if len(one) != len(four) {
		t.Fatalf("1 worker: %d tiles, 4 workers: %d", len(one), len(four))
	}
	for k, v := range one {
		if string(four[k]) != string(v) {
			t.Errorf("tile %v differs with 4 workers", k)
		}
	}
}

func TestOptionsAreChecked(t *testing.T) {
	put := func(tileset.Tile) error { return nil }
	for _, tc := range []struct {
		opts Options
		want string
	}{
		{Options{MaxZoom: 3}, "Options.Layer"},
		{Options{Layer: "x", MinZoom: 5, MaxZoom: 3}, "--minzoom"},
		{Options{Layer: "x", MinZoom: -1, MaxZoom: 3}, "--minzoom"},
		{Options{Layer: "x", MaxZoom: 30}, "--maxzoom"},
		{Options{Layer: "x", MaxZoom: 3, DropRate: 0.5}, "--drop-rate"},
		{Options{Layer: "x", MaxZoom: 3, DropRate: math.NaN()}, "--drop-rate"},
	} {
		_, err := Cut(context.Background(), nil, tc.opts, put)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%+v: error %v, want one line naming %s", tc.opts, err, tc.want)
		}
	}
}

func TestNonFiniteCoordinateIsRefused(t *testing.T) {
	bad := input(13, orb.LineString{{100, 10}, {math.NaN(), 11}}, nil)
	_, err := Cut(context.Background(), []*geojson.Feature{bad}, Options{Layer: "x", MaxZoom: 2}, func(tileset.Tile) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "feature 13") {
		t.Errorf("error %v, want one naming feature 13", err)
	}
}
