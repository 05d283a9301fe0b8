package render

import (
	"container/list"
	"image"
	"math"
	"strings"
	"sync"

	"github.com/paulmach/orb"
	"golang.org/x/image/math/fixed"
)

// LabelCache keeps, across maps, what placing and drawing labels costs
// most: each area's pole (the search of its visible part), and each
// label's text rasterised with its halo. A server makes one and gives it
// to each map's Labeller; it is safe for concurrent use, and bounded.
//
// An area's pole is kept by the feature's identity (given to AddKeyed),
// the map's CRS, its scale (map units a pixel, on both axes) and the
// label's size, in the map's CRS units, and taken again when the whole
// feature lies within the map: the visible part is then the whole feature
// moved by a translation, whose pole is the cached one moved the same
// way. A feature the map cuts is kept for that map's window alone (as a
// tiled client asks for again and again). Views of CRS Projected are not
// cached (their pixel grid is not a translation of another's). A text's raster is kept by its text,
// fonts, size, halo and the subpixel position of its baseline, so a cached
// raster is the same pixels as one drawn afresh.
type LabelCache struct {
	poles *boundedMap[poleKey, poleEntry]
	texts *boundedMap[textKey, textRaster]
}

// NewLabelCache returns a cache of at most poles areas' poles and texts
// rasterised labels.
func NewLabelCache(poles, texts int) *LabelCache {
	return &LabelCache{poles: newBoundedMap[poleKey, poleEntry](poles), texts: newBoundedMap[textKey, textRaster](texts)}
}

// poleKey names an area's pole: the caller's identity of its geometry and
// the map's CRS, scale and label size.
type poleKey struct {
	feature any
	crs     CRS
	sx, sy  float64
	size    float64
	// window is the map's box and size when it cuts the feature; zero
	// when the feature lies within it.
	window        orb.Bound
	width, height int
}

// poleEntry is what is known of an area's label at a scale: whether its
// visible part can hold it at all (ok), the bound on its pole's distance
// (pixels) and the part's box (map CRS units); once searched, its pole
// (map CRS units) and distance (pixels).
type poleEntry struct {
	ok        bool
	bound     float64
	partBound orb.Bound
	searched  bool
	at        orb.Point
	r         float64
}

// poleKeyOf is the key of the pole of feature's label of size size in view
// v, and whether one may be cached: the feature has a key and the view is
// not Projected. b is the feature's lon/lat box.
func poleKeyOf(v View, feature any, b orb.Bound, size float64) (poleKey, bool) {
	if feature == nil || v.CRS == Projected {
		return poleKey{}, false
	}
	sx, sy := v.scale()
	k := poleKey{feature: feature, crs: v.CRS, sx: coarse(sx), sy: coarse(sy), size: size}
	// LonLat and WebMercator map x from lon and y from lat alone, both
	// monotonically: the box's corners bound its pixels.
	lo, hi := v.Pixel(orb.Point{b.Min[0], b.Max[1]}), v.Pixel(orb.Point{b.Max[0], b.Min[1]})
	if !(lo[0] >= 0 && lo[1] >= 0 && hi[0] <= float64(v.Width) && hi[1] <= float64(v.Height)) {
		k.window, k.width, k.height = v.BBox, v.Width, v.Height
	}
	return k, true
}

// coarse is x to 30 significant bits (a relative 1e-9): the scales of two
// windows of the same size a client pans between differ in their last
// bits, by the rounding of their boxes' subtraction, and a pole found at
// one is the other's to far less than a thousandth of a pixel.
func coarse(x float64) float64 {
	return math.Float64frombits(math.Float64bits(x) &^ (1<<22 - 1))
}

// scale is the view's map units a pixel, across and down.
func (v View) scale() (sx, sy float64) {
	return (v.BBox.Max[0] - v.BBox.Min[0]) / float64(v.Width), (v.BBox.Max[1] - v.BBox.Min[1]) / float64(v.Height)
}

// mapPoint is the point in the view's CRS units at pixel px.
func (v View) mapPoint(px orb.Point) orb.Point {
	sx, sy := v.scale()
	return orb.Point{v.BBox.Min[0] + px[0]*sx, v.BBox.Max[1] - px[1]*sy}
}

// mapPixel is the pixel of point q in the view's CRS units.
func (v View) mapPixel(q orb.Point) orb.Point {
	sx, sy := v.scale()
	return orb.Point{(q[0] - v.BBox.Min[0]) / sx, (v.BBox.Max[1] - q[1]) / sy}
}

func (v View) mapBound(px orb.Bound) orb.Bound {
	a, b := v.mapPoint(px.Min), v.mapPoint(px.Max)
	return orb.Bound{Min: orb.Point{a[0], b[1]}, Max: orb.Point{b[0], a[1]}}
}

func (v View) pixelBound(q orb.Bound) orb.Bound {
	a, b := v.mapPixel(orb.Point{q.Min[0], q.Max[1]}), v.mapPixel(orb.Point{q.Max[0], q.Min[1]})
	return orb.Bound{Min: a, Max: b}
}

// textKey names a label's raster: its text, fonts, size, halo and the
// subpixel position of its baseline's start.
type textKey struct {
	text, fonts string
	size, halo  float64
	fx, fy      fixed.Int26_6
}

func textKeyOf(text string, fonts []string, size, halo float64, base fixed.Point26_6) textKey {
	return textKey{text: text, fonts: strings.Join(fonts, "\x00"), size: size, halo: halo, fx: base.X & 63, fy: base.Y & 63}
}

// textRaster is a label's text and halo coverage (nil where none), placed
// for a baseline starting at the pixel (0, 0) plus the key's subpixel
// offset. Its images are read-only once cached.
type textRaster struct {
	text, halo *image.Alpha
}

// at returns the raster's images moved to pixel p, sharing their pixels.
func (t textRaster) at(p image.Point) (text, halo *image.Alpha) {
	move := func(a *image.Alpha) *image.Alpha {
		if a == nil {
			return nil
		}
		return &image.Alpha{Pix: a.Pix, Stride: a.Stride, Rect: a.Rect.Add(p)}
	}
	return move(t.text), move(t.halo)
}

// boundedMap is a map of at most n entries, the least recently used
// dropped first, safe for concurrent use.
type boundedMap[K comparable, V any] struct {
	mu      sync.Mutex
	n       int
	hits    int
	order   *list.List // of *boundedEntry, most recently used first
	entries map[K]*list.Element
}

type boundedEntry[K comparable, V any] struct {
	key   K
	value V
}

func newBoundedMap[K comparable, V any](n int) *boundedMap[K, V] {
	return &boundedMap[K, V]{n: n, order: list.New(), entries: map[K]*list.Element{}}
}

func (m *boundedMap[K, V]) get(k K) (V, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	el, ok := m.entries[k]
	if !ok {
		var zero V
		return zero, false
	}
	m.hits++
	m.order.MoveToFront(el)
	return el.Value.(*boundedEntry[K, V]).value, true
}

func (m *boundedMap[K, V]) put(k K, v V) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if el, ok := m.entries[k]; ok {
		el.Value.(*boundedEntry[K, V]).value = v
		m.order.MoveToFront(el)
		return
	}
	if m.n <= 0 {
		return
	}
	m.entries[k] = m.order.PushFront(&boundedEntry[K, V]{k, v})
	for m.order.Len() > m.n {
		last := m.order.Back()
		delete(m.entries, last.Value.(*boundedEntry[K, V]).key)
		m.order.Remove(last)
	}
}
