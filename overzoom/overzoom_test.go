package overzoom

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/encoding/mvt/vectortile"
	"github.com/paulmach/orb/geojson"
)

// tileOf encodes features, already in tile coordinates of a 4096 extent,
// as one gzipped layer "l".
func tileOf(t testing.TB, features ...*geojson.Feature) *Tile {
	t.Helper()
	data, err := mvt.MarshalGzipped(mvt.Layers{{Name: "l", Version: 2, Extent: 4096, Features: features}})
	if err != nil {
		t.Fatal(err)
	}
	tile, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	return tile
}

func feat(id int, g orb.Geometry, props geojson.Properties) *geojson.Feature {
	f := geojson.NewFeature(g)
	f.ID = id
	if props != nil {
		f.Properties = props
	}
	return f
}

// cut cuts a descendant and decodes it; nil when the descendant is empty.
func cut(t testing.TB, tile *Tile, depth, x, y int) map[uint64]*geojson.Feature {
	t.Helper()
	data, err := tile.Cut(depth, x, y, DefaultBuffer)
	if err != nil {
		t.Fatal(err)
	}
	if data == nil {
		return nil
	}
	layers, err := mvt.UnmarshalGzipped(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(layers) != 1 || layers[0].Name != "l" || layers[0].Extent != 4096 {
		t.Fatalf("layers %+v, want the one layer l of extent 4096", layers)
	}
	out := map[uint64]*geojson.Feature{}
	for _, f := range layers[0].Features {
		out[uint64(f.ID.(float64))] = f
	}
	return out
}

// square is a closed ring around [x0,x1]×[y0,y1], oriented as an MVT
// exterior (positive area in tile coordinates).
func square(x0, y0, x1, y1 float64) orb.Ring {
	return orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
}

func TestCutScalesAndKeepsAttributes(t *testing.T) {
	tile := tileOf(t,
		feat(1, orb.Polygon{square(100, 100, 300, 200)}, geojson.Properties{"code": "Kgr", "age": 95.5}),
		feat(2, orb.Point{1000, 1500}, geojson.Properties{"point_count": 7}),
		feat(3, orb.LineString{{0, 0}, {2000, 2000}}, nil),
		feat(4, orb.Point{3000, 3000}, nil), // in another child
	)
	// Child 0,0 at depth 1 covers source [0,2048)²: coordinates double.
	got := cut(t, tile, 1, 0, 0)
	if len(got) != 3 {
		t.Fatalf("features %v, want 1, 2 and 3", keys(got))
	}
	if p, ok := got[1].Geometry.(orb.Polygon); !ok || !ringsEqual(p[0], square(200, 200, 600, 400)) {
		t.Errorf("polygon %v, want the square doubled", got[1].Geometry)
	}
	if got[1].Properties["code"] != "Kgr" || got[1].Properties["age"] != 95.5 {
		t.Errorf("polygon attributes %v", got[1].Properties)
	}
	if p := got[2].Geometry; p != (orb.Point{2000, 3000}) || got[2].Properties["point_count"] != float64(7) {
		t.Errorf("point %v %v, want (2000, 3000) with point_count 7", p, got[2].Properties)
	}
	if l, ok := got[3].Geometry.(orb.LineString); !ok || len(l) != 2 || l[0] != (orb.Point{0, 0}) || l[1] != (orb.Point{4000, 4000}) {
		t.Errorf("line %v, want (0,0)-(4000,4000)", got[3].Geometry)
	}
	// Depth 2, child 2,2 covers source [2048,3072)²: the point 4 alone.
	if got := cut(t, tile, 2, 2, 2); len(got) != 1 || got[4] == nil || got[4].Geometry != (orb.Point{3000*4 - 2*4096, 3000*4 - 2*4096}) {
		t.Errorf("child 2,2 at depth 2: %v, want the point 4 at (3808, 3808)", got)
	}
}

func TestCutEmptyIsNil(t *testing.T) {
	tile := tileOf(t, feat(1, orb.Polygon{square(100, 100, 300, 200)}, nil))
	if data, err := tile.Cut(3, 7, 7, DefaultBuffer); data != nil || err != nil {
		t.Errorf("far child: %d bytes, %v; want nil, nil", len(data), err)
	}
}

func TestCutBufferKeepsNeighboursEdge(t *testing.T) {
	// A point 10 source units left of the child's edge at depth 1 lands 20
	// units into the buffer; one 40 units left lands outside it (80 > 64).
	tile := tileOf(t, feat(1, orb.Point{2038, 100}, nil), feat(2, orb.Point{2008, 100}, nil))
	got := cut(t, tile, 1, 1, 0)
	if len(got) != 1 || got[1].Geometry != (orb.Point{-20, 200}) {
		t.Errorf("child 1,0: %v, want point 1 at (-20, 200)", got)
	}
}

func TestCutRejectsBadAddress(t *testing.T) {
	tile := tileOf(t, feat(1, orb.Point{1, 1}, nil))
	for _, c := range [][3]int{{0, 0, 0}, {1, 2, 0}, {1, 0, -1}, {MaxDepth + 1, 0, 0}} {
		if _, err := tile.Cut(c[0], c[1], c[2], DefaultBuffer); !errors.Is(err, ErrAddress) {
			t.Errorf("Cut%v: %v, want ErrAddress", c, err)
		}
	}
}

// A U-shaped polygon whose arms leave the child's box and whose bottom is
// outside it comes out as two parts, where a Sutherland-Hodgman clip would
// give one ring joined by a zero-width strip along the box's edge.
func TestCutSplitsPolygonThatLeavesAndReenters(t *testing.T) {
	// Source: arms from y=1000 down to y=3000, x 100-300 and 1500-1700,
	// joined by a bottom at y 2500-3000 (outside child 0,0 at depth 1,
	// whose buffered box ends at y = 2048+32).
	u := orb.Ring{{100, 1000}, {100, 3000}, {1700, 3000}, {1700, 1000}, {1500, 1000}, {1500, 2500}, {300, 2500}, {300, 1000}, {100, 1000}}
	if u.Orientation() != orb.CCW {
		u.Reverse()
	}
	tile := tileOf(t, feat(1, orb.Polygon{u}, nil))
	got := cut(t, tile, 1, 0, 0)
	mp, ok := got[1].Geometry.(orb.MultiPolygon)
	if !ok || len(mp) != 2 {
		t.Fatalf("cut U: %v, want a multipolygon of the two arms", got[1].Geometry)
	}
	var area float64
	for _, p := range mp {
		checkValidMVT(t, p)
		area += ringArea(p[0]) / 2
	}
	// Each arm is 400 wide and runs from y=2000 to the box's edge at 4160.
	if want := 2 * 400.0 * (4160 - 2000); area != want {
		t.Errorf("area %v, want %v", area, want)
	}
}

func TestCutPolygonHoles(t *testing.T) {
	outer := square(0, 0, 4096, 4096)
	hole := square(1000, 1000, 3000, 3000)
	hole.Reverse()
	tile := tileOf(t, feat(1, orb.Polygon{outer, hole}, nil))
	// Depth 3, child 3,3 covers source [1536,2048)²: inside the hole.
	if got := cut(t, tile, 3, 3, 3); got != nil {
		t.Errorf("child inside the hole: %v, want nothing", got)
	}
	// Depth 3, child 0,0 covers [0,512)²: inside the polygon, the whole
	// buffered box, clipped at -64 on the left and top only where the
	// source ends at 0.
	got := cut(t, tile, 3, 0, 0)
	p, ok := got[1].Geometry.(orb.Polygon)
	if !ok || len(p) != 1 || !ringsEqual(p[0], square(0, 0, 4160, 4160)) {
		t.Errorf("child 0,0: %v, want the square 0..4160", got[1].Geometry)
	}
	// Depth 2, child 0,0 covers [0,1024)²: the hole's corner, from 4·1000
	// = 4000 on, cuts 160×160 units off the buffered box's far corner.
	got = cut(t, tile, 2, 0, 0)
	p, ok = got[1].Geometry.(orb.Polygon)
	if !ok {
		t.Fatalf("child 0,0 at depth 2: %v, want a polygon", got[1].Geometry)
	}
	checkValidMVT(t, p)
	if a, want := polygonArea(p), 4160.0*4160-160*160; a != want {
		t.Errorf("child 0,0 at depth 2: area %v, want %v", a, want)
	}
}

func TestCutRoundsNewVerticesOntoTheEdge(t *testing.T) {
	// A triangle whose slanted side crosses the buffered box's right edge
	// at a non-integer y.
	tri := orb.Ring{{0, 0}, {0, 3000}, {3000, 0}, {0, 0}}
	if tri.Orientation() != orb.CCW {
		tri.Reverse()
	}
	tile := tileOf(t, feat(1, orb.Polygon{tri}, nil))
	got := cut(t, tile, 1, 0, 0)
	p := got[1].Geometry.(orb.Polygon)
	checkValidMVT(t, p)
	for _, pt := range p[0] {
		if pt[0] != math.Round(pt[0]) || pt[1] != math.Round(pt[1]) || pt[0] < -64 || pt[1] < -64 || pt[0] > 4160 || pt[1] > 4160 {
			t.Errorf("vertex %v is off the grid or outside the buffered box", pt)
		}
	}
}

// checkValidMVT checks what the MVT specification asks of a polygon and
// can be seen without a geometry engine: closed rings of at least four
// points, no repeated point in a ring, the exterior with positive area in
// tile coordinates and holes negative.
func checkValidMVT(t *testing.T, p orb.Polygon) {
	t.Helper()
	for i, r := range p {
		if len(r) < 4 || !r.Closed() {
			t.Errorf("ring %d: %v is not a closed ring", i, r)
			continue
		}
		seen := map[orb.Point]bool{}
		for _, pt := range r[:len(r)-1] {
			if seen[pt] {
				t.Errorf("ring %d repeats %v", i, pt)
			}
			seen[pt] = true
		}
		if a := ringArea(r); (i == 0) != (a > 0) || a == 0 {
			t.Errorf("ring %d has signed area %v", i, a/2)
		}
	}
}

func polygonArea(p orb.Polygon) float64 {
	a := 0.0
	for _, r := range p {
		a += ringArea(r) / 2
	}
	return a
}

// ringsEqual compares closed rings up to their starting point.
func ringsEqual(a, b orb.Ring) bool {
	if len(a) != len(b) {
		return false
	}
	n := len(a) - 1
	for s := 0; s < n; s++ {
		ok := true
		for i := 0; i < n && ok; i++ {
			ok = a[(i+s)%n] == b[i]
		}
		if ok {
			return true
		}
	}
	return false
}

func keys(m map[uint64]*geojson.Feature) []uint64 {
	var out []uint64
	for k := range m {
		out = append(out, k)
	}
	return out
}

// Size weighs a tile by what it holds: its uncompressed bytes and an index
// entry per feature.
func TestSizeWeighsTheUncompressedTile(t *testing.T) {
	var features []*geojson.Feature
	for i := range 100 {
		features = append(features, feat(i+1, orb.Polygon{square(float64(10*i), 0, float64(10*i+5), 5)}, geojson.Properties{"code": "Kgr"}))
	}
	raw, err := mvt.Marshal(mvt.Layers{{Name: "l", Version: 2, Extent: 4096, Features: features}})
	if err != nil {
		t.Fatal(err)
	}
	tile := tileOf(t, features...)
	if got := tile.Size(); got < len(raw)+100*48 || got > len(raw)*9/8+100*64+64 {
		t.Errorf("Size %d of a tile of 100 features, %d bytes uncompressed", got, len(raw))
	}
	if one := tileOf(t, features[0]); one.Size() >= tile.Size()/50 {
		t.Errorf("Size %d of a tile of one feature, %d of 100", one.Size(), tile.Size())
	}
}

// A tile given uncompressed is copied: the caller's buffer (a memory-mapped
// file's page, in the server) may be reused once Decode returns.
func TestDecodeKeepsNoReference(t *testing.T) {
	raw, err := mvt.Marshal(mvt.Layers{{Name: "l", Version: 2, Extent: 4096, Features: []*geojson.Feature{
		feat(1, orb.Polygon{square(100, 100, 300, 200)}, geojson.Properties{"code": "Kgr"}),
	}}})
	if err != nil {
		t.Fatal(err)
	}
	tile, err := Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	clear(raw)
	data, err := tile.Cut(1, 0, 0, DefaultBuffer)
	if err != nil || data == nil {
		t.Fatalf("cut after the input was cleared: %d bytes, %v", len(data), err)
	}
}

func TestDecodeRejectsBadGeometry(t *testing.T) {
	tile := &vectortile.Tile{Layers: []*vectortile.Tile_Layer{{
		Name: ptr("l"), Version: ptr(uint32(2)), Extent: ptr(uint32(4096)),
		Features: []*vectortile.Tile_Feature{{Type: vectortile.Tile_POLYGON.Enum(), Geometry: []uint32{9, 2, 2, 5 /* command 5 */}}},
	}}}
	raw, err := tile.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Decode(raw); err == nil || !strings.Contains(err.Error(), `layer "l"`) {
		t.Errorf("Decode of a geometry with command 5: %v, want an error naming the layer", err)
	}
}

func ptr[T any](v T) *T { return &v }
