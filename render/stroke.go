package render

import (
	"image/color"
	"math"

	"github.com/paulmach/orb"
)

// stroke draws the paths (in pixels) as lines of the given width, dashed
// by dash (pixels, on then off, repeated) when it has two or more entries,
// with round joins where the line is wide enough for a gap at a corner to
// show. x/image/vector only fills, so a stroke is filled as the union of
// one quad per segment and a disc per join, all wound the same way: the
// rasteriser's coverage is the absolute winding number clamped to one, so
// overlaps neither cancel nor darken.
func (c *Canvas) stroke(paths [][]orb.Point, width float64, dash []float64, colour color.RGBA) {
	if len(dash) >= 2 {
		var dashed [][]orb.Point
		for _, p := range paths {
			dashed = append(dashed, dashes(p, dash)...)
		}
		paths = dashed
	}
	h := width / 2
	joins := width >= 2
	// The quads' corners share one array, and the list of shapes is the
	// canvas's, reused: a map strokes some 50,000 segments.
	n := 0
	for _, p := range paths {
		n += max(len(p)-1, 0)
	}
	quads := make([]orb.Point, 0, 4*n)
	shapes := c.shapes[:0]
	for _, p := range paths {
		for i := 1; i < len(p); i++ {
			a, b := p[i-1], p[i]
			dx, dy := b[0]-a[0], b[1]-a[1]
			l := math.Hypot(dx, dy)
			if l == 0 {
				continue
			}
			nx, ny := -dy/l*h, dx/l*h
			k := len(quads)
			quads = append(quads,
				orb.Point{a[0] + nx, a[1] + ny}, orb.Point{b[0] + nx, b[1] + ny},
				orb.Point{b[0] - nx, b[1] - ny}, orb.Point{a[0] - nx, a[1] - ny})
			shapes = append(shapes, quads[k:k+4:k+4])
			if joins && i < len(p)-1 {
				shapes = append(shapes, circle(b, h))
			}
		}
	}
	c.shapes = shapes
	c.fillRuns(shapes, colour)
	clear(shapes) // let the corners go
}

// runSize is the largest side, in pixels, of the box of the stroke shapes
// rasterised together.
const runSize = 128

// fillRuns fills the shapes of a stroke in runs of consecutive shapes whose
// box stays within runSize: a stroke covers few of the pixels of its box
// (the outline of a unit as large as the map covers about none), and
// rasterising costs the pixels of the box. Shapes of one path are
// consecutive, so runs are compact. All are opaque or all the same colour,
// so a seam between runs cannot show but in the last bit of antialiasing.
func (c *Canvas) fillRuns(shapes [][]orb.Point, colour color.RGBA) {
	start := 0
	var box orb.Bound
	for i, sh := range shapes {
		b := orb.Bound{Min: sh[0], Max: sh[0]}
		for _, q := range sh[1:] {
			b.Min[0], b.Min[1] = min(b.Min[0], q[0]), min(b.Min[1], q[1])
			b.Max[0], b.Max[1] = max(b.Max[0], q[0]), max(b.Max[1], q[1])
		}
		if i > start {
			u := box.Union(b)
			if u.Max[0]-u.Min[0] > runSize || u.Max[1]-u.Min[1] > runSize {
				c.fill(shapes[start:i], colour)
				start, u = i, b
			}
			box = u
		} else {
			box = b
		}
	}
	if start < len(shapes) {
		c.fill(shapes[start:], colour)
	}
}

// dashes cuts a path into its dashes: pattern is on, off, on, off… in
// pixels, continued across vertices.
func dashes(p []orb.Point, pattern []float64) [][]orb.Point {
	var total float64
	for _, d := range pattern {
		total += max(d, 0)
	}
	if total <= 0 {
		return [][]orb.Point{p}
	}
	var out [][]orb.Point
	var cur []orb.Point
	k, left := 0, pattern[0] // index in the pattern, length left of it
	on := func() bool { return k%2 == 0 }
	if on() && len(p) > 0 {
		cur = []orb.Point{p[0]}
	}
	for i := 1; i < len(p); i++ {
		a, b := p[i-1], p[i]
		seg := math.Hypot(b[0]-a[0], b[1]-a[1])
		pos := 0.0
		for seg-pos > left {
			pos += left
			t := pos / seg
			q := orb.Point{a[0] + (b[0]-a[0])*t, a[1] + (b[1]-a[1])*t}
			if on() {
				out = append(out, append(cur, q))
				cur = nil
			} else {
				cur = []orb.Point{q}
			}
			k = (k + 1) % len(pattern)
			left = max(pattern[k], 0)
		}
		left -= seg - pos
		if on() {
			cur = append(cur, b)
		}
	}
	if on() && len(cur) >= 2 {
		out = append(out, cur)
	}
	return out
}
