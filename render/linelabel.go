package render

import (
	"cmp"
	"image"
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/simplify"
	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/math/f64"
	"golang.org/x/image/math/fixed"
)

// Labels along lines (a river's name, a fault's) are set straight along a
// stretch of the line that stays within a third of the text's height of a
// straight segment (the line simplified by Douglas-Peucker to that
// tolerance), rotated to the segment's direction and turned to read left
// to right, centred on the segment; the longest stretch that holds the
// text and whose label collides with none placed before is taken, so each
// line is labelled once at most. The text is drawn level and rotated onto
// the map with bilinear sampling; its place among the other labels is a
// chain of boxes along it, each as high as the text.

// lineSpot is a straight stretch of a line, in pixels: its middle, its
// direction (a unit vector reading left to right) and its length.
type lineSpot struct {
	mid    orb.Point
	dir    orb.Point
	length float64
}

// lineSpots are the straight stretches of the visible parts of a lon/lat
// line at least minLength pixels long, longest first.
func (l *Labeller) lineSpots(ls []orb.LineString, size, minLength float64) []lineSpot {
	box := orb.Bound{Max: orb.Point{float64(l.view.Width), float64(l.view.Height)}}
	var spots []lineSpot
	for _, line := range ls {
		px := make(orb.LineString, len(line))
		for i, p := range line {
			px[i] = l.view.Pixel(p)
		}
		for _, part := range clip.MultiLineString(box, orb.MultiLineString{px}) {
			s, ok := simplify.DouglasPeucker(size / 3).Simplify(part).(orb.LineString)
			if !ok {
				continue
			}
			for i := 1; i < len(s); i++ {
				a, b := s[i-1], s[i]
				d := orb.Point{b[0] - a[0], b[1] - a[1]}
				n := math.Hypot(d[0], d[1])
				if n < minLength {
					continue
				}
				d = orb.Point{d[0] / n, d[1] / n}
				if d[0] < 0 || (d[0] == 0 && d[1] > 0) {
					d = orb.Point{-d[0], -d[1]} // read left to right, or upwards
				}
				spots = append(spots, lineSpot{mid: orb.Point{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2}, dir: d, length: n})
			}
		}
	}
	slices.SortStableFunc(spots, func(a, b lineSpot) int { return cmp.Compare(b.length, a.length) })
	return spots
}

// placeAlong places candidate c's run on the first of its stretches that
// holds it within the image, clear of the labels placed (whose padded
// boxes it adds to), and draws it; it returns the label's bounding box.
// On each stretch it tries the middle, then places a quarter and a half
// of the room to spare either side of it.
func (l *Labeller) placeAlong(img *image.RGBA, c *labelCandidate, run *textRun, placed *[]image.Rectangle) (image.Rectangle, bool) {
	halo := math.Ceil(c.sym.HaloWidth)
	w, h := run.width+2*halo, run.ascent+run.descent+2*halo
	for _, sp := range c.spots {
		spare := (sp.length - w) / 2
		if spare < 0 {
			break
		}
		for _, shift := range [...]float64{0, spare / 2, -spare / 2, spare, -spare} {
			mid := orb.Point{sp.mid[0] + sp.dir[0]*shift, sp.mid[1] + sp.dir[1]*shift}
			if box, ok := l.placeAt(img, c, run, placed, mid, sp.dir, w, h); ok {
				return box, true
			}
		}
	}
	return image.Rectangle{}, false
}

// placeAt places and draws c's run, w × h with its halo, centred on mid
// and turned to dir, if it is within the image and clear of the labels
// placed; its place among them is a chain of pieces half as long as the
// text is high, each by its bounding box.
func (l *Labeller) placeAt(img *image.RGBA, c *labelCandidate, run *textRun, placed *[]image.Rectangle, mid, dir orb.Point, w, h float64) (image.Rectangle, bool) {
	cos, sin := dir[0], dir[1]
	ex, ey := (math.Abs(cos)*w+math.Abs(sin)*h)/2, (math.Abs(sin)*w+math.Abs(cos)*h)/2
	bound := image.Rect(int(math.Floor(mid[0]-ex)), int(math.Floor(mid[1]-ey)), int(math.Ceil(mid[0]+ex)), int(math.Ceil(mid[1]+ey)))
	if !bound.In(img.Rect) {
		return image.Rectangle{}, false
	}
	n := int(math.Ceil(2 * w / h))
	step := w / float64(n)
	px, py := (math.Abs(cos)*step+math.Abs(sin)*h)/2, (math.Abs(sin)*step+math.Abs(cos)*h)/2
	pieces := make([]image.Rectangle, 0, n)
	for k := range n {
		s := -w/2 + step*(float64(k)+0.5)
		x, y := mid[0]+cos*s, mid[1]+sin*s
		p := image.Rect(int(math.Floor(x-px)), int(math.Floor(y-py)), int(math.Ceil(x+px)), int(math.Ceil(y+py))).Inset(-labelPadding)
		if slices.ContainsFunc(*placed, p.Overlaps) {
			return image.Rectangle{}, false
		}
		pieces = append(pieces, p)
	}
	*placed = append(*placed, pieces...)
	// The run laid out level with the middle of its box at the origin,
	// then turned to dir about it and moved to mid.
	base := fixed.Point26_6{X: fixed.Int26_6(math.Round(-run.width / 2 * 64)), Y: fixed.Int26_6(math.Round((run.ascent - run.descent) / 2 * 64))}
	text, haloCover := l.raster(c, run, base)
	s2d := f64.Aff3{cos, -sin, mid[0], sin, cos, mid[1]}
	for _, layer := range []struct {
		a      *image.Alpha
		colour string
	}{{haloCover, c.sym.Halo}, {text, c.sym.Colour}} {
		if layer.a == nil {
			continue
		}
		rotated := image.NewAlpha(bound)
		xdraw.BiLinear.Transform(rotated, s2d, layer.a, layer.a.Rect, xdraw.Src, nil)
		xdraw.DrawMask(img, bound, image.NewUniform(paint(layer.colour, 1)), image.Point{}, rotated, bound.Min, xdraw.Over)
	}
	return bound, true
}
