package render

import (
	"cmp"
	"container/heap"
	"image"
	"image/color"
	"image/draw"
	"math"
	"slices"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/simplify"
	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"github.com/outcrop/outcrop/styles"
)

// Labels are drawn in pure Go with golang.org/x/image/font/opentype, from
// the fonts the server serves as glyphs (package glyphs): each character
// from the first font of the style's list that has it, with no shaping
// (complex scripts show their characters in logical order, as MapLibre
// without font-faces does). A label is placed greedily, in order of
// priority, and left out where its box (with its halo and a padding)
// would overlap one already placed or leave the image: a label is drawn
// whole or not at all, never cut at the map's edge.

// labelPadding is the space, in pixels, kept around each label's box.
const labelPadding = 2

// FontSource finds a font by name: ok is false when there is none of that
// name (a *glyphs.Library's Font).
type FontSource func(name string) (f *sfnt.Font, ok bool, err error)

// Labeller gathers the labels of a map and then places and draws them
// above everything else. It is for one map at a time.
type Labeller struct {
	view  View
	zoom  float64
	fonts FontSource
	faces map[faceKey]font.Face
	runs  map[runKey]*textRun // texts laid out, for each time they are tried
	cands []labelCandidate
	// Cache, when set, keeps areas' poles and rasterised texts across
	// maps (see LabelCache).
	Cache *LabelCache
}

type runKey struct {
	text string
	sym  *styles.TextSymbol
	size float64
}

type faceKey struct {
	font string
	size float64
}

// labelCandidate is a label waiting to be placed: its text and symbol, the
// pixel its anchor goes to (or, along a line, the stretches it may lie
// on), and its priority within its kind: points first, then lines by the
// length of their longest stretch, then areas by the room they leave the
// label.
type labelCandidate struct {
	text  string
	sym   *styles.TextSymbol
	size  float64 // the symbol's size at the map's zoom
	at    orb.Point
	point bool
	spots []lineSpot // for a label along a line, longest first
	// part is an area's visible part, in pixels, and partBound its box,
	// until its pole is found (at, and searched set); its priority is
	// meanwhile a bound on the pole's distance. A part taken from the
	// cache is nil until needed: geom is the area it is made from.
	part      orb.Polygon
	partBound orb.Bound
	geom      orb.MultiPolygon
	searched  bool
	// pole is the cache's entry for the area's pole (key), if it may be
	// cached (cached).
	pole     poleEntry
	key      poleKey
	cached   bool
	priority float64
	order    int
}

// kind orders candidates: points, then lines, then areas.
func (c *labelCandidate) kind() int {
	switch {
	case c.point:
		return 0
	case c.spots != nil:
		return 1
	}
	return 2
}

// NewLabeller returns a labeller for maps of view v, drawing with the
// fonts of fonts; a nil fonts draws no labels.
func NewLabeller(v View, fonts FontSource) *Labeller {
	return &Labeller{view: v, zoom: v.Zoom(), fonts: fonts, faces: map[faceKey]font.Face{}, runs: map[runKey]*textRun{}}
}

// Add proposes the label of a lon/lat geometry: text drawn with sym, at
// the point of a point (each point of a multipoint), or at the interior
// point of a polygon's part seen on the map where the label has the most
// room (the pole of inaccessibility, found as Mapbox's polylabel finds
// it, to a pixel), or along a line's longest straight stretch that holds
// it (see placeAlong). A polygon whose visible part cannot hold a circle
// as high as the text gets no label, nor does an empty text, or a map
// below the symbol's MinZoom. The text's size is the symbol's at the
// map's zoom (its zoom table's, where it has one).
func (l *Labeller) Add(g orb.Geometry, text string, sym *styles.TextSymbol) {
	l.AddRanked(g, text, sym, 0)
}

// AddRanked is Add for a label of rank rank among the point labels: of
// two points' labels that collide, the one of lower rank is drawn (a
// place's scalerank, by the symbol's SortKey); equal ranks keep the order
// they were added in.
func (l *Labeller) AddRanked(g orb.Geometry, text string, sym *styles.TextSymbol, rank float64) {
	l.AddKeyed(g, text, sym, rank, nil)
}

// AddKeyed is AddRanked for the geometry of a feature that key names (a
// comparable value, the same for the same geometry on every map; nil for
// none): an area's pole is then taken from the labeller's Cache, when it
// holds it, rather than searched for again.
func (l *Labeller) AddKeyed(g orb.Geometry, text string, sym *styles.TextSymbol, rank float64, key any) {
	text = strings.TrimSpace(text)
	if l.fonts == nil || g == nil || sym == nil || text == "" || l.zoom < sym.MinZoom {
		return
	}
	size := sym.SizeAt(l.zoom)
	if !(size > 0) {
		return
	}
	add := func(at orb.Point, point bool, priority float64) {
		if point && (at[0] < -margin || at[1] < -margin || at[0] > float64(l.view.Width+margin) || at[1] > float64(l.view.Height+margin)) {
			return
		}
		l.cands = append(l.cands, labelCandidate{text: text, sym: sym, size: size, at: at, point: point, priority: priority, order: len(l.cands)})
	}
	switch g := g.(type) {
	case orb.Point:
		if sym.Geometry != "Polygon" {
			add(l.view.Pixel(g), true, -rank)
		}
	case orb.MultiPoint:
		if sym.Geometry != "Polygon" {
			for _, p := range g {
				add(l.view.Pixel(p), true, -rank)
			}
		}
	case orb.Polygon, orb.MultiPolygon:
		if sym.Geometry == "Point" {
			return
		}
		mp, _ := g.(orb.MultiPolygon)
		if p, ok := g.(orb.Polygon); ok {
			mp = orb.MultiPolygon{p}
		}
		c := labelCandidate{text: text, sym: sym, size: size, geom: mp, order: len(l.cands)}
		if l.Cache != nil {
			c.key, c.cached = poleKeyOf(l.view, key, mp.Bound(), size)
		}
		if c.cached {
			if e, ok := l.Cache.poles.get(c.key); ok {
				if e.ok {
					c.pole, c.priority, c.partBound = e, e.bound, l.view.pixelBound(e.partBound)
					l.cands = append(l.cands, c)
				}
				return
			}
		}
		part, bound, ok := l.visiblePart(mp, size)
		if c.cached {
			e := poleEntry{ok: ok, bound: bound}
			if ok {
				e.partBound = l.view.mapBound(part.Bound())
			}
			l.Cache.poles.put(c.key, e)
			c.pole = e
		}
		if ok {
			c.part, c.partBound, c.priority = part, part.Bound(), bound
			l.cands = append(l.cands, c)
		}
	case orb.LineString, orb.MultiLineString:
		if sym.Geometry == "Point" || sym.Geometry == "Polygon" {
			return
		}
		ls, _ := g.(orb.MultiLineString)
		if line, ok := g.(orb.LineString); ok {
			ls = orb.MultiLineString{line}
		}
		// A stretch shorter than the text at 0.4 em a character cannot
		// hold it: the layout's exact width is known when placing.
		if spots := l.lineSpots(ls, size, 0.4*size*float64(len([]rune(text)))); len(spots) > 0 {
			l.cands = append(l.cands, labelCandidate{text: text, sym: sym, size: size, spots: spots, priority: spots[0].length, order: len(l.cands)})
		}
	case orb.Collection:
		for _, part := range g {
			l.AddKeyed(part, text, sym, rank, nil)
		}
	}
}

// visiblePart is the largest visible part of mp, in pixels, simplified to
// within a pixel for the pole's search, and a bound on its pole's distance
// from its edges (from its box and area); false when no part is seen, or
// the largest one cannot hold a circle of diameter size (the label's
// height), which its box or area shows without a search.
func (l *Labeller) visiblePart(mp orb.MultiPolygon, size float64) (orb.Polygon, float64, bool) {
	box := orb.Bound{Max: orb.Point{float64(l.view.Width), float64(l.view.Height)}}
	var best orb.Polygon
	bestArea := 0.0
	for _, p := range mp {
		// Vertices closer than a pixel to the last one kept are dropped:
		// the search's cost is its cells times the vertices.
		var q orb.Polygon
		for _, r := range p {
			rr := make(orb.Ring, 0, len(r))
			for i, pt := range r {
				px := l.view.Pixel(pt)
				if n := len(rr); n > 0 && i < len(r)-1 && math.Abs(px[0]-rr[n-1][0]) < 1 && math.Abs(px[1]-rr[n-1][1]) < 1 {
					continue
				}
				rr = append(rr, px)
			}
			if len(rr) >= 4 {
				q = append(q, rr)
			}
		}
		if len(q) == 0 {
			continue
		}
		for _, part := range clip.MultiPolygon(box, orb.MultiPolygon{q}) {
			if len(part) == 0 {
				continue
			}
			if a := math.Abs(signedArea(part[0])); a > bestArea {
				best, bestArea = part, a
			}
		}
	}
	if best == nil {
		return nil, 0, false
	}
	b := best.Bound()
	if b.Max[0]-b.Min[0] < size || b.Max[1]-b.Min[1] < size {
		return nil, 0, false
	}
	// The search's cost is its cells times the part's vertices: it runs
	// on the part simplified to within a pixel.
	if s, ok := simplify.DouglasPeucker(1).Simplify(best.Clone()).(orb.Polygon); ok && len(s) > 0 && len(s[0]) >= 4 {
		best = s
	}
	// A circle inside the part has an area below the outer ring's (half
	// the absolute signedArea): a part too small for one as high as the
	// label is spared the search.
	area := math.Abs(signedArea(best[0])) / 2
	if math.Pi*size*size/4 > area {
		return nil, 0, false
	}
	b = best.Bound()
	return best, min(b.Max[0]-b.Min[0], b.Max[1]-b.Min[1], 2*math.Sqrt(area/math.Pi)) / 2, true
}

// Draw places the labels gathered, most important first, and draws those
// that fit onto img: the halo, then the text. It returns the boxes of the
// labels drawn (with their halos), in pixels.
//
// An area's pole is searched for only when its turn comes: areas wait in
// a queue by a bound on their pole's distance until searched, then by
// the distance, which gives the order of searching them all first. An
// area whose label would collide or leave the image wherever its pole
// lies (doomed) is dropped unsearched.
func (l *Labeller) Draw(img *image.RGBA) []image.Rectangle {
	slices.SortStableFunc(l.cands, func(a, b labelCandidate) int {
		if c := cmp.Compare(a.kind(), b.kind()); c != 0 {
			return c
		}
		if c := cmp.Compare(b.priority, a.priority); c != 0 {
			return c
		}
		return cmp.Compare(a.order, b.order)
	})
	var placed, drawn []image.Rectangle
	areas := areaQueue(slices.DeleteFunc(slices.Clone(l.cands), func(c labelCandidate) bool { return c.kind() != 2 }))
	for _, c := range l.cands {
		if c.kind() == 2 {
			break
		}
		if box, ok := l.place(img, &c, &placed); ok {
			drawn = append(drawn, box)
		}
	}
	heap.Init(&areas)
	for areas.Len() > 0 {
		c := heap.Pop(&areas).(labelCandidate)
		if c.searched {
			if box, ok := l.place(img, &c, &placed); ok {
				drawn = append(drawn, box)
			}
			continue
		}
		run := l.layout(c.text, c.sym, c.size)
		if run == nil || l.doomed(&c, run, placed, img.Rect) {
			continue
		}
		at, r := l.pole(&c)
		if r < c.size/2 {
			continue
		}
		c.at, c.priority, c.part, c.searched = at, r, nil, true
		heap.Push(&areas, c)
	}
	return drawn
}

// pole is area candidate c's pole and its distance (see polylabel): the
// cache's, else searched for (and cached).
func (l *Labeller) pole(c *labelCandidate) (orb.Point, float64) {
	if c.pole.searched {
		return l.view.mapPixel(c.pole.at), c.pole.r
	}
	part := c.part
	if part == nil {
		p, _, ok := l.visiblePart(c.geom, c.size)
		if !ok {
			return orb.Point{}, 0
		}
		part = p
	}
	at, r := polylabel(part, 1, c.size/2)
	if c.cached {
		e := c.pole
		e.searched, e.at, e.r = true, l.view.mapPoint(at), r
		l.Cache.poles.put(c.key, e)
	}
	return at, r
}

// areaQueue is a heap of area candidates, greatest priority first, then
// first added.
type areaQueue []labelCandidate

func (q areaQueue) Len() int { return len(q) }
func (q areaQueue) Less(i, j int) bool {
	if q[i].priority != q[j].priority {
		return q[i].priority > q[j].priority
	}
	return q[i].order < q[j].order
}
func (q areaQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *areaQueue) Push(x any)   { *q = append(*q, x.(labelCandidate)) }
func (q *areaQueue) Pop() any {
	old := *q
	c := old[len(old)-1]
	*q = old[:len(old)-1]
	return c
}

// place places c's label, at its anchor or along its line, if it is within
// the image and clear of the labels placed (whose padded boxes it adds
// to), and draws it; it returns the label's box with its halo.
func (l *Labeller) place(img *image.RGBA, c *labelCandidate, placed *[]image.Rectangle) (image.Rectangle, bool) {
	run := l.layout(c.text, c.sym, c.size)
	if run == nil {
		return image.Rectangle{}, false
	}
	if c.spots != nil {
		return l.placeAlong(img, c, run, placed)
	}
	dx, dy := c.anchorOffset(run)
	x, y := c.at[0]+dx, c.at[1]+dy
	w, h := run.width, run.ascent+run.descent
	halo := math.Ceil(c.sym.HaloWidth)
	box := image.Rect(int(math.Floor(x-halo)), int(math.Floor(y-halo)), int(math.Ceil(x+w+halo)), int(math.Ceil(y+h+halo)))
	if !box.In(img.Rect) {
		return image.Rectangle{}, false
	}
	padded := box.Inset(-labelPadding)
	if slices.ContainsFunc(*placed, padded.Overlaps) {
		return image.Rectangle{}, false
	}
	*placed = append(*placed, padded)
	// The baseline starts on a quarter of a pixel, so that a text's raster
	// is cached for 16 positions and found again on maps panned by any
	// amount.
	base := fixed.Point26_6{X: fixed.Int26_6(math.Round(x*4) * 16), Y: fixed.Int26_6(math.Round((y+run.ascent)*4) * 16)}
	text, haloCover := l.raster(c, run, base)
	drawCoverage(img, text, haloCover, paint(c.sym.Colour, 1), paint(c.sym.Halo, 1))
	return box, true
}

// anchorOffset is where the top left corner of c's text (without its
// halo) lies from its anchor, by the symbol's anchor and offset.
func (c *labelCandidate) anchorOffset(run *textRun) (dx, dy float64) {
	w, h, em := run.width, run.ascent+run.descent, c.size
	dx, dy = c.sym.Offset[0]*em-w/2, c.sym.Offset[1]*em-h/2
	switch c.sym.Anchor {
	case "top":
		dy = c.sym.Offset[1] * em
	case "bottom":
		dy = c.sym.Offset[1]*em - h
	case "left":
		dx = c.sym.Offset[0] * em
	case "right":
		dx = c.sym.Offset[0]*em - w
	}
	return dx, dy
}

// doomed tells whether area candidate c's label would be left out wherever
// in its part its pole lies: a pole as far as the label needs (half its
// height) lies in the part's box shrunk by that much, and every point of
// that box puts the label across the edge of the image (bounds) or over a
// label placed. It answers false when it cannot tell cheaply.
func (l *Labeller) doomed(c *labelCandidate, run *textRun, placed []image.Rectangle, bounds image.Rectangle) bool {
	b := c.partBound
	need := c.size / 2
	r := orb.Bound{Min: orb.Point{b.Min[0] + need, b.Min[1] + need}, Max: orb.Point{b.Max[0] - need, b.Max[1] - need}}
	if r.Min[0] > r.Max[0] || r.Min[1] > r.Max[1] {
		return false
	}
	dx, dy := c.anchorOffset(run)
	halo := math.Ceil(c.sym.HaloWidth)
	// The label's box about a pole p is [p + lo, p + hi] before rounding
	// outwards: floor(p + lo) ≤ p + lo and ceil(p + hi) ≥ p + hi.
	lo := orb.Point{dx - halo, dy - halo}
	hi := orb.Point{dx + run.width + halo, dy + run.ascent + run.descent + halo}
	const far = 1e18
	// The poles that surely fail, as open boxes: off each edge of the
	// image, and over each label placed (its box padded, as placed holds
	// them, against the label's padded box).
	forbidden := []orb.Bound{
		{Min: orb.Point{-far, -far}, Max: orb.Point{float64(bounds.Min.X) - lo[0], far}},
		{Min: orb.Point{float64(bounds.Max.X) - hi[0], -far}, Max: orb.Point{far, far}},
		{Min: orb.Point{-far, -far}, Max: orb.Point{far, float64(bounds.Min.Y) - lo[1]}},
		{Min: orb.Point{-far, float64(bounds.Max.Y) - hi[1]}, Max: orb.Point{far, far}},
	}
	for _, q := range placed {
		const pad = labelPadding
		f := orb.Bound{
			Min: orb.Point{float64(q.Min.X) - hi[0] - pad, float64(q.Min.Y) - hi[1] - pad},
			Max: orb.Point{float64(q.Max.X) - lo[0] + pad, float64(q.Max.Y) - lo[1] + pad},
		}
		if f.Min[0] < r.Max[0] && f.Max[0] > r.Min[0] && f.Min[1] < r.Max[1] && f.Max[1] > r.Min[1] {
			forbidden = append(forbidden, f)
		}
	}
	if len(forbidden) > 4+16 {
		return false
	}
	return covered(r, forbidden)
}

// covered tells whether the closed box r lies within the union of the open
// boxes fs. The edges of fs that cross r cut each of its sides into
// points and open spans between them; r is covered when each product of
// two of these lies within one box of fs.
func covered(r orb.Bound, fs []orb.Bound) bool {
	type piece struct {
		lo, hi float64
		open   bool
	}
	pieces := func(axis int) []piece {
		c := []float64{r.Min[axis], r.Max[axis]}
		for _, f := range fs {
			for _, v := range []float64{f.Min[axis], f.Max[axis]} {
				if v > r.Min[axis] && v < r.Max[axis] {
					c = append(c, v)
				}
			}
		}
		slices.Sort(c)
		c = slices.Compact(c)
		out := []piece{{c[0], c[0], false}}
		for k := 1; k < len(c); k++ {
			out = append(out, piece{c[k-1], c[k], true}, piece{c[k], c[k], false})
		}
		return out
	}
	within := func(p piece, lo, hi float64) bool {
		if p.open {
			return lo <= p.lo && p.hi <= hi
		}
		return lo < p.lo && p.lo < hi
	}
	xs, ys := pieces(0), pieces(1)
	for _, x := range xs {
		for _, y := range ys {
			if !slices.ContainsFunc(fs, func(f orb.Bound) bool {
				return within(x, f.Min[0], f.Max[0]) && within(y, f.Min[1], f.Max[1])
			}) {
				return false
			}
		}
	}
	return true
}

// textRun is a label's text laid out: each character with the face that
// draws it and its advance.
type textRun struct {
	glyphs                 []runGlyph
	width, ascent, descent float64
}

type runGlyph struct {
	r    rune
	face font.Face
	x    fixed.Int26_6 // from the run's start
}

// layout lays text out in the symbol's fonts; nil when no font of the
// symbol is served or none draws any of its characters. A font after the
// first served one is opened only when a character needs it, so that a
// Latin label never reads the CJK fonts at the end of the list.
func (l *Labeller) layout(text string, sym *styles.TextSymbol, size float64) *textRun {
	k := runKey{text, sym, size}
	if run, ok := l.runs[k]; ok {
		return run
	}
	run := l.layoutOnce(text, sym, size)
	l.runs[k] = run
	return run
}

// layoutOnce is layout, without the labeller's memory of texts laid out.
func (l *Labeller) layoutOnce(text string, sym *styles.TextSymbol, size float64) *textRun {
	first := -1
	for i, name := range sym.Fonts {
		if l.face(name, size) != nil {
			first = i
			break
		}
	}
	if first < 0 {
		return nil
	}
	primary := l.face(sym.Fonts[first], size)
	run := &textRun{}
	m := primary.Metrics()
	run.ascent, run.descent = float64(m.Ascent)/64, float64(m.Descent)/64
	var x fixed.Int26_6
	var prev rune
	var prevFace font.Face
	drawn := false
	for _, r := range text {
		face := primary
		adv, ok := face.GlyphAdvance(r)
		for _, name := range sym.Fonts[first+1:] {
			if ok {
				break
			}
			if f := l.face(name, size); f != nil {
				if a, found := f.GlyphAdvance(r); found {
					face, adv, ok = f, a, true
				}
			}
		}
		if face == prevFace {
			x += face.Kern(prev, r)
		}
		run.glyphs = append(run.glyphs, runGlyph{r: r, face: face, x: x})
		drawn = drawn || ok
		x += adv
		prev, prevFace = r, face
	}
	if !drawn {
		return nil
	}
	run.width = float64(x) / 64
	return run
}

// face is the face of the font named name at size pixels, made once per
// labeller; nil when the font is not served or cannot be read.
func (l *Labeller) face(name string, size float64) font.Face {
	k := faceKey{name, size}
	if f, ok := l.faces[k]; ok {
		return f
	}
	var face font.Face
	if f, ok, err := l.fonts(name); ok && err == nil {
		face, err = opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
		if err != nil {
			face = nil
		}
	}
	l.faces[k] = face
	return face
}

// raster is c's run's coverage and its halo's (see coverage) with its
// baseline starting at base: the cache's, when the labeller has one and it
// holds them.
func (l *Labeller) raster(c *labelCandidate, run *textRun, base fixed.Point26_6) (text, halo *image.Alpha) {
	if l.Cache == nil {
		return run.coverage(base, c.sym.HaloWidth)
	}
	// Glyphs drawn a whole pixel away are the same pixels moved: the
	// raster is cached at the base's subpixel offset and moved.
	k := textKeyOf(c.text, c.sym.Fonts, c.size, c.sym.HaloWidth, base)
	at := image.Point{base.X.Floor(), base.Y.Floor()}
	t, ok := l.Cache.texts.get(k)
	if !ok {
		t.text, t.halo = run.coverage(fixed.Point26_6{X: base.X & 63, Y: base.Y & 63}, c.sym.HaloWidth)
		l.Cache.texts.put(k, t)
	}
	return t.at(at)
}

// drawCoverage composites colour through coverage text onto img, over
// haloColour through coverage h (either nil for none).
func drawCoverage(img *image.RGBA, text, h *image.Alpha, colour, haloColour color.RGBA) {
	if h != nil {
		draw.DrawMask(img, h.Rect, image.NewUniform(haloColour), image.Point{}, h, h.Rect.Min, draw.Over)
	}
	if text != nil {
		draw.DrawMask(img, text.Rect, image.NewUniform(colour), image.Point{}, text, text.Rect.Min, draw.Over)
	}
}

// coverage is the run's coverage with its baseline starting at base, and
// its halo's of radius halo (nil for 0); nil when no glyph draws ink. The
// glyphs are drawn once into the text's coverage; the halo's is that
// coverage laid at 16 points round a circle of radius halo and at its
// centre, which widens every stroke by halo.
func (run *textRun) coverage(base fixed.Point26_6, halo float64) (text, haloCover *image.Alpha) {
	var t alphaMask
	for _, g := range run.glyphs {
		dr, mask, mp, _, ok := g.face.Glyph(fixed.Point26_6{X: base.X + g.x, Y: base.Y}, g.r)
		if !ok || dr.Empty() {
			continue
		}
		a, ok := mask.(*image.Alpha)
		if !ok {
			continue
		}
		t.over(dr, a, mp)
	}
	if t.a == nil || !(halo > 0) {
		return t.a, nil
	}
	offsets := []image.Point{{}}
	for i := range 16 {
		a := float64(i) * math.Pi / 8
		offsets = append(offsets, image.Point{int(math.Round(halo * math.Cos(a))), int(math.Round(halo * math.Sin(a)))})
	}
	slices.SortFunc(offsets, func(a, b image.Point) int { return cmp.Or(cmp.Compare(a.X, b.X), cmp.Compare(a.Y, b.Y)) })
	offsets = slices.Compact(offsets)
	h := alphaMask{a: image.NewAlpha(t.a.Rect.Inset(-int(math.Ceil(halo))))}
	for _, o := range offsets {
		h.over(t.a.Rect.Add(o), t.a, t.a.Rect.Min)
	}
	return t.a, h.a
}

// alphaMask is a coverage image that masks are laid over as draw.Over lays
// an opaque colour through them: coverage a over d gives a + d(1-a).
type alphaMask struct {
	a *image.Alpha
}

// over lays mask m, its point mp at r.Min, over the coverage within r,
// growing the image to hold r.
func (t *alphaMask) over(r image.Rectangle, m *image.Alpha, mp image.Point) {
	if t.a == nil {
		t.a = image.NewAlpha(r)
	} else if !r.In(t.a.Rect) {
		grown := image.NewAlpha(t.a.Rect.Union(r))
		for y := t.a.Rect.Min.Y; y < t.a.Rect.Max.Y; y++ {
			copy(grown.Pix[grown.PixOffset(t.a.Rect.Min.X, y):], t.a.Pix[t.a.PixOffset(t.a.Rect.Min.X, y):t.a.PixOffset(t.a.Rect.Max.X, y)])
		}
		t.a = grown
	}
	for y := 0; y < r.Dy(); y++ {
		dst := t.a.Pix[t.a.PixOffset(r.Min.X, r.Min.Y+y):]
		src := m.Pix[m.PixOffset(mp.X, mp.Y+y):]
		for x := 0; x < r.Dx(); x++ {
			a := uint32(src[x])
			dst[x] = uint8(a + (uint32(dst[x])*(255-a)+127)/255)
		}
	}
}
