package render

import (
	"image"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"
	"golang.org/x/image/font/sfnt"

	"github.com/outcrop/outcrop/glyphs"
	"github.com/outcrop/outcrop/styles"
)

// notoSans is a FontSource of Debian's Noto Sans and Noto Sans Thai;
// without them the test fails in CI (fonts-noto-core is a test dependency)
// and skips elsewhere.
func notoSans(t testing.TB) FontSource {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"NotoSans-Regular.ttf", "NotoSansThai-Regular.ttf"} {
		src := filepath.Join(glyphs.DefaultDirs[0], name)
		if _, err := os.Stat(src); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("fonts-noto-core is not installed: %v", err)
			}
			t.Skipf("fonts-noto-core is not installed: %v", err)
		}
		if err := os.Symlink(src, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	lib, err := glyphs.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return lib.Font
}

func TestPolylabel(t *testing.T) {
	square := orb.Ring{{0, 0}, {100, 0}, {100, 100}, {0, 100}, {0, 0}}
	if p, d := polylabel(orb.Polygon{square}, 0.5, 0); math.Abs(p[0]-50) > 1 || math.Abs(p[1]-50) > 1 || math.Abs(d-50) > 1 {
		t.Errorf("square: %v at %v, want (50,50) at 50", p, d)
	}
	// A square with a hole in the middle: the pole is in a corner of the
	// frame, as far from the outer edges as from the hole's corner,
	// 20√2/(1+√2) = 11.72; never in the hole.
	hole := orb.Ring{{20, 20}, {80, 20}, {80, 80}, {20, 80}, {20, 20}}
	p, d := polylabel(orb.Polygon{square, hole}, 0.1, 0)
	if math.Abs(d-11.72) > 0.1 || newEdgeIndex(orb.Polygon{square, hole}).signedDistance(p) <= 0 {
		t.Errorf("framed square: %v at %v, want a corner of the frame 11.72 from its edges", p, d)
	}
	// An L, whose centroid lies outside it.
	l := orb.Polygon{{{0, 0}, {100, 0}, {100, 20}, {20, 20}, {20, 100}, {0, 100}, {0, 0}}}
	if p, d := polylabel(l, 0.5, 0); newEdgeIndex(l).signedDistance(p) <= 0 || d < 9 {
		t.Errorf("L: %v at %v", p, d)
	}
	// Asked for a pole at least need from the edges, the search finds the
	// same pole when there is one, and says so (a distance below need)
	// when there is none.
	for _, p := range []orb.Polygon{{square}, {square, hole}, l} {
		at, d := polylabel(p, 1, 0)
		if at2, d2 := polylabel(p, 1, d); at2 != at || d2 != d {
			t.Errorf("%v: pole %v at %v, with need %v %v at %v", p, at, d, d, at2, d2)
		}
		if _, d2 := polylabel(p, 1, d+2); d2 >= d+2 {
			t.Errorf("%v: pole at %v, with need %v found one at %v", p, d, d+2, d2)
		}
	}
}

// TestEdgeIndexDistance checks the banded edge index against a scan of
// every edge, at points inside, outside and on the bands' bounds of a
// unit of the Hamersley geology.
func TestEdgeIndexDistance(t *testing.T) {
	v, units := hamersleyUnits(t)
	for _, f := range units[:10] {
		p := f.Geometry.(orb.MultiPolygon)[0]
		px := orb.Polygon{}
		for _, r := range p {
			var rr orb.Ring
			for _, pt := range r {
				rr = append(rr, v.Pixel(pt))
			}
			px = append(px, rr)
		}
		e := newEdgeIndex(px)
		b := px.Bound().Pad(20)
		for x := b.Min[0]; x < b.Max[0]; x += 3.7 {
			for y := b.Min[1]; y < b.Max[1]; y += e.band / 2 {
				pt := orb.Point{x, y}
				if got, want := e.signedDistance(pt), scanDistance(pt, px); got != want {
					t.Fatalf("distance from %v: %v, want %v", pt, got, want)
				}
			}
		}
	}
}

// scanDistance is the signed distance from pt to p's edges, from every
// edge: what the edge index must give.
func scanDistance(pt orb.Point, p orb.Polygon) float64 {
	inside := false
	minSq := math.Inf(1)
	for _, r := range p {
		for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
			a, b := r[i], r[j]
			if (a[1] > pt[1]) != (b[1] > pt[1]) && pt[0] < (b[0]-a[0])*(pt[1]-a[1])/(b[1]-a[1])+a[0] {
				inside = !inside
			}
			minSq = min(minSq, segmentDistSq(pt, a, b))
		}
	}
	if !inside {
		return -math.Sqrt(minSq)
	}
	return math.Sqrt(minSq)
}

// TestLabelsHamersley labels the demo's Hamersley units at 1024×768, as
// BenchmarkWMSGetMap draws them: 34 labels (as many as the search of every
// unit's pole placed before it was spared for units that cannot hold one),
// none overlapping another or leaving the image, each centred in its unit,
// at least half the text's height from its edges.
func TestLabelsHamersley(t *testing.T) {
	fonts := notoSans(t)
	v, units := hamersleyUnits(t)
	sym := unitLabel()
	l := NewLabeller(v, fonts)
	for _, f := range units {
		l.Add(f.Geometry, f.Properties.MustString("code", ""), sym)
	}
	img := image.NewRGBA(image.Rect(0, 0, v.Width, v.Height))
	boxes := l.Draw(img)
	if len(boxes) != 34 {
		t.Errorf("%d labels drawn, want 34", len(boxes))
	}
	for i, a := range boxes {
		if !a.In(img.Rect) {
			t.Errorf("label %v leaves the image", a)
		}
		for _, b := range boxes[:i] {
			if a.Overlaps(b) {
				t.Errorf("labels %v and %v overlap", a, b)
			}
		}
		c := orb.Point{float64(a.Min.X+a.Max.X) / 2, float64(a.Min.Y+a.Max.Y) / 2}
		in := false
		for _, f := range units {
			for _, p := range f.Geometry.(orb.MultiPolygon) {
				px := orb.Polygon{}
				for _, r := range p {
					var rr orb.Ring
					for _, pt := range r {
						rr = append(rr, v.Pixel(pt))
					}
					px = append(px, rr)
				}
				in = in || newEdgeIndex(px).signedDistance(c) >= sym.Size/2-2
			}
		}
		if !in {
			t.Errorf("label %v is not centred inside a unit", a)
		}
	}
}

// unitLabel is the geology styles' unit label, in Noto Sans only.
func unitLabel() *styles.TextSymbol {
	return &styles.TextSymbol{Field: "code", Fonts: []string{"Noto Sans Regular"}, Size: 14, Colour: "#1A1A1A", Halo: "#FFFFFF", HaloWidth: 1.2, Anchor: "center"}
}

// darkPixels counts the pixels of r darker than mid-grey.
func darkPixels(img *image.RGBA, r image.Rectangle) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c := img.RGBAAt(x, y)
			if int(c.R)+int(c.G)+int(c.B) < 3*128 {
				n++
			}
		}
	}
	return n
}

// TestLabelDrawn draws a light unit with and without its label: with it,
// dark text pixels near the unit's interior point, ringed by the white
// halo; without it, none. An L-shaped unit's label lies in the L.
func TestLabelDrawn(t *testing.T) {
	fonts := notoSans(t)
	v := View{CRS: LonLat, BBox: orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{1, 1}}, Width: 200, Height: 200}
	unit := orb.Polygon{{{0.2, 0.2}, {0.8, 0.2}, {0.8, 0.8}, {0.2, 0.8}, {0.2, 0.2}}}
	fill := &styles.Symbol{Kind: "fill", Fill: "#F0E68C", Opacity: 1}
	around := image.Rect(70, 85, 130, 115) // the interior point, (100, 100), ±30 × ±15
	for _, labelled := range []bool{false, true} {
		c := NewCanvas(v, color.White)
		c.Draw(unit, fill)
		l := NewLabeller(v, fonts)
		if labelled {
			l.Add(unit, "Pgr", unitLabel())
		}
		boxes := l.Draw(c.Image())
		dark := darkPixels(c.Image(), around)
		if labelled && (len(boxes) != 1 || dark < 20 || !boxes[0].Overlaps(image.Rect(99, 99, 101, 101))) {
			t.Errorf("labelled unit: boxes %v, %d dark pixels near its centre", boxes, dark)
		}
		if !labelled && (len(boxes) != 0 || dark != 0) {
			t.Errorf("unlabelled unit: boxes %v, %d dark pixels", boxes, dark)
		}
		// The halo: white pixels on the unit's khaki, only with the label.
		white := 0
		for y := around.Min.Y; y < around.Max.Y; y++ {
			for x := around.Min.X; x < around.Max.X; x++ {
				if c := c.Image().RGBAAt(x, y); c.B > 250 {
					white++
				}
			}
		}
		if labelled != (white > 20) {
			t.Errorf("labelled %v: %d white halo pixels", labelled, white)
		}
	}
	// No font of the symbol: no label, no failure.
	l := NewLabeller(v, fonts)
	sym := unitLabel()
	sym.Fonts = []string{"No Such Font"}
	l.Add(unit, "Pgr", sym)
	if boxes := l.Draw(NewCanvas(v, color.White).Image()); len(boxes) != 0 {
		t.Errorf("a label in a font not served was drawn: %v", boxes)
	}
	if boxes := NewLabeller(v, nil).Draw(NewCanvas(v, color.White).Image()); len(boxes) != 0 {
		t.Error("a labeller without fonts drew labels")
	}
}

// TestLabelsDoNotOverlap proposes a grid of point labels closer than
// their width: fewer are drawn, none overlapping another or the image's
// edge, and the first proposed wins.
func TestLabelsDoNotOverlap(t *testing.T) {
	fonts := notoSans(t)
	v := View{CRS: LonLat, BBox: orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{1, 1}}, Width: 300, Height: 300}
	l := NewLabeller(v, fonts)
	sym := unitLabel()
	sym.Anchor, sym.Offset = "top", [2]float64{0, 0.5}
	n := 0
	for x := 0.0; x <= 1; x += 0.04 {
		for y := 0.0; y <= 1; y += 0.04 {
			l.Add(orb.Point{x, y}, "Mount Label", sym)
			n++
		}
	}
	c := NewCanvas(v, color.White)
	boxes := l.Draw(c.Image())
	if len(boxes) < 5 || len(boxes) >= n/4 {
		t.Fatalf("%d of %d labels drawn", len(boxes), n)
	}
	for i, a := range boxes {
		if !a.In(c.Image().Rect) {
			t.Errorf("label %v leaves the image", a)
		}
		for _, b := range boxes[:i] {
			if a.Overlaps(b) {
				t.Errorf("labels %v and %v overlap", a, b)
			}
		}
	}
}

// TestLabelFontFallback lays out a Thai label in the styles' font list:
// Noto Sans has no Thai, so each character comes from Noto Sans Thai; a
// Latin label never opens the fonts after the first.
func TestLabelFontFallback(t *testing.T) {
	fonts := notoSans(t)
	var opened []string
	counting := func(name string) (*sfnt.Font, bool, error) {
		opened = append(opened, name)
		return fonts(name)
	}
	v := View{CRS: LonLat, BBox: orb.Bound{Max: orb.Point{1, 1}}, Width: 10, Height: 10}
	sym := unitLabel()
	sym.Fonts = []string{"Noto Sans Regular", "Noto Sans Thai Regular"}
	l := NewLabeller(v, counting)
	if run := l.layout("Pgr", sym, sym.Size); run == nil || run.width < 10 {
		t.Fatalf("Latin label laid out as %+v", run)
	}
	if len(opened) != 1 || opened[0] != "Noto Sans Regular" {
		t.Errorf("a Latin label opened %v", opened)
	}
	run := l.layout("หินแกรนิต", sym, sym.Size)
	if run == nil {
		t.Fatal("a Thai label was not laid out")
	}
	thai := l.face("Noto Sans Thai Regular", sym.Size)
	for _, g := range run.glyphs {
		if g.face != thai {
			t.Errorf("%q drawn from another face than Noto Sans Thai", g.r)
		}
	}
}

// TestLabelRankAndZoomSize: of two point labels that collide, the one of
// lower rank is drawn whichever was added first; a symbol whose size is a
// zoom table draws as the symbol of the size the table gives at the map's
// zoom.
func TestLabelRankAndZoomSize(t *testing.T) {
	fonts := notoSans(t)
	v := View{CRS: LonLat, BBox: orb.Bound{Min: orb.Point{103, 1}, Max: orb.Point{104, 2}}, Width: 300, Height: 300}
	sym := unitLabel()
	sym.Anchor = "top"
	place := orb.Point{103.5, 1.5}
	draw := func(l *Labeller) []image.Rectangle { return l.Draw(NewCanvas(v, color.White).Image()) }
	alone := NewLabeller(v, fonts)
	alone.Add(place, "Singapore", sym)
	want := draw(alone)
	for _, first := range []bool{true, false} {
		l := NewLabeller(v, fonts)
		if first {
			l.AddRanked(place, "Singapore", sym, 0)
		}
		l.AddRanked(orb.Point{103.51, 1.51}, "Johor Bahru", sym, 3)
		if !first {
			l.AddRanked(place, "Singapore", sym, 0)
		}
		if got := draw(l); len(got) != 1 || got[0] != want[0] {
			t.Errorf("Singapore added first %v: drew %v, want Singapore's label alone %v", first, got, want)
		}
	}
	zoomed := *sym
	zoomed.SizeStops = [][2]float64{{0, 4}, {20, 44}}
	zoomed.Size = 44
	fixed := *sym
	fixed.Size = zoomed.SizeAt(v.Zoom())
	var boxes [2][]image.Rectangle
	for i, s := range []*styles.TextSymbol{&zoomed, &fixed} {
		l := NewLabeller(v, fonts)
		l.Add(place, "Singapore", s)
		boxes[i] = draw(l)
	}
	if len(boxes[0]) != 1 || boxes[0][0] != boxes[1][0] || fixed.Size < 10 || fixed.Size > 40 {
		t.Errorf("size %v at zoom %.1f: box %v, want %v", fixed.Size, v.Zoom(), boxes[0], boxes[1])
	}
}

// TestCovered checks the test of a box against a union of open boxes: two
// boxes overlapping across it cover it, two that only meet at an edge do
// not (the edge is in neither), nor does one that stops short.
func TestCovered(t *testing.T) {
	r := orb.Bound{Min: orb.Point{10, 10}, Max: orb.Point{20, 20}}
	box := func(x0, y0, x1, y1 float64) orb.Bound {
		return orb.Bound{Min: orb.Point{x0, y0}, Max: orb.Point{x1, y1}}
	}
	for _, c := range []struct {
		fs   []orb.Bound
		want bool
	}{
		{[]orb.Bound{box(0, 0, 30, 30)}, true},
		{[]orb.Bound{box(0, 0, 16, 30), box(14, 0, 30, 30)}, true},
		{[]orb.Bound{box(0, 0, 15, 30), box(15, 0, 30, 30)}, false},
		{[]orb.Bound{box(0, 0, 30, 20)}, false},
		{[]orb.Bound{box(0, 0, 30, 12), box(0, 11, 12, 30), box(11, 11, 30, 30)}, true},
		{nil, false},
	} {
		if got := covered(r, c.fs); got != c.want {
			t.Errorf("covered(%v, %v) = %v, want %v", r, c.fs, got, c.want)
		}
	}
	// A box of no width is covered by what holds its line.
	if !covered(box(10, 10, 10, 20), []orb.Bound{box(5, 0, 15, 30)}) || covered(box(10, 10, 10, 20), []orb.Bound{box(10, 0, 15, 30)}) {
		t.Error("a box of no width")
	}
}

// TestDoomedArea: a small unit under a placed label is dropped without a
// search for its pole; beside the label, or with room left in it, it is
// not; and the labels drawn are those of a search of every unit.
func TestDoomedArea(t *testing.T) {
	fonts := notoSans(t)
	v := pixelView(300, 200)
	sym := unitLabel()
	square := func(x0, y0, x1, y1 float64) orb.Polygon {
		return orb.Polygon{orb.Ring{pixelPoint(orb.Point{x0, y0}), pixelPoint(orb.Point{x1, y0}), pixelPoint(orb.Point{x1, y1}), pixelPoint(orb.Point{x0, y1}), pixelPoint(orb.Point{x0, y0})}}
	}
	l := NewLabeller(v, fonts)
	l.Add(square(90, 90, 110, 110), "Pgr", sym)
	c := l.cands[0]
	run := l.layout(c.text, c.sym, c.size)
	placed := []image.Rectangle{image.Rect(60, 80, 140, 120)}
	if !l.doomed(&c, run, placed, image.Rect(0, 0, 300, 200)) {
		t.Error("a unit under a placed label is not doomed")
	}
	if l.doomed(&c, run, []image.Rectangle{image.Rect(160, 80, 240, 120)}, image.Rect(0, 0, 300, 200)) {
		t.Error("a unit beside a placed label is doomed")
	}
	if l.doomed(&c, run, []image.Rectangle{image.Rect(60, 80, 140, 85)}, image.Rect(0, 0, 300, 200)) {
		t.Error("a unit with room below a placed label is doomed")
	}
	// At the image's edge, too narrow for its label to stay inside.
	l = NewLabeller(v, fonts)
	l.Add(square(0, 90, 20, 110), "Pgr", sym)
	c = l.cands[0]
	if !l.doomed(&c, run, nil, image.Rect(0, 0, 300, 200)) {
		t.Error("a unit at the image's edge, whose label would cross it, is not doomed")
	}
}
