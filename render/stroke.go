package render

import (
	"image/color"
	"math"

	"github.com/paulmach/orb"
)

// stroke draws the paths (in pixels) as lines of the given width, dashed
// by dash (pixels, on then off, repeated) when it has two or more entries,
// with butt ends, and round joins where the line is wide enough for a gap
// at a corner to show (bevels otherwise; mitres at slight turns). Each path (each dash) is filled
// as one outline: along its left side, then back along its right side.
// Where the line turns, the inner side crosses itself in a loop wound
// like the rest, and the outline of a path that crosses itself overlaps
// itself: the rasteriser's coverage is the absolute winding number
// clamped to one, so overlaps neither cancel nor darken.
func (c *Canvas) stroke(paths [][]orb.Point, width float64, dash []float64, colour color.RGBA) {
	if colour.A == 0 {
		return
	}
	c.scanner().fill(colour, false)
	for _, p := range paths {
		c.strokePath(p, width, dash)
	}
}

// strokePath adds the outline of the path p (in pixels), dashed, to the
// shape the scanner last recorded, as stroke draws it.
func (c *Canvas) strokePath(p []orb.Point, width float64, dash []float64) {
	h := width / 2
	round := width >= 2
	b := c.buffers()
	if len(dash) < 2 {
		b.outline = strokeOutline(b.outline[:0], p, h, round)
		c.scan.path(b.outline, false)
		return
	}
	for _, d := range dashes(p, dash) {
		b.outline = strokeOutline(b.outline[:0], d, h, round)
		c.scan.path(b.outline, false)
	}
}

// strokeOutline appends to out the outline of the line p of half width h:
// the left side forward, the right side backward, each segment offset by
// h, consecutive offsets joined straight (a bevel, and inside the turn a
// small loop) or, when round, around an arc on the outer side of a turn.
func strokeOutline(out []orb.Point, p []orb.Point, h float64, round bool) []orb.Point {
	out = strokeSide(out, p, h, round, 1)
	return strokeSide(out, p, h, round, -1)
}

// strokeSide appends the left side of p offset by h (dir 1) or, going
// back, its right side (dir -1).
func strokeSide(out []orb.Point, p []orb.Point, h float64, round bool, dir int) []orb.Point {
	i, end := 0, len(p)-1
	if dir < 0 {
		i, end = len(p)-1, 0
	}
	var prevN, prevD, last orb.Point // the last segment's normal, direction and end
	started := false
	for ; i != end; i += dir {
		a, b := p[i], p[i+dir]
		dx, dy := b[0]-a[0], b[1]-a[1]
		l := math.Hypot(dx, dy)
		if l == 0 {
			continue
		}
		n := orb.Point{-dy / l * h, dx / l * h}
		switch cos := (n[0]*prevN[0] + n[1]*prevN[1]) / (h * h); {
		case !started:
			out = append(out, orb.Point{a[0] + n[0], a[1] + n[1]})
		case cos > minMiterCos || !round && mitreOverBevel(h, cos) <= maxMitreOverBevel:
			// a slight turn: both offsets meet at their mitre,
			// within a hundredth of a pixel of either offset's end
			k := 1 / (1 + cos)
			out = append(out, orb.Point{a[0] + (n[0]+prevN[0])*k, a[1] + (n[1]+prevN[1])*k})
		default:
			out = append(out, last)
			// the turn's outer side, where the offsets part: this
			// offset starts ahead of where the last one ended
			if round && n[0]*prevD[0]+n[1]*prevD[1] > 0 {
				out = arc(out, a, h, prevN[0]/h, prevN[1]/h, n[0]/h, n[1]/h)
			}
			out = append(out, orb.Point{a[0] + n[0], a[1] + n[1]})
		}
		last = orb.Point{b[0] + n[0], b[1] + n[1]}
		prevN, prevD, started = n, orb.Point{dx, dy}, true
	}
	if started {
		out = append(out, last)
	}
	return out
}

// minMiterCos is the cosine of the largest turn of a stroke drawn with a
// mitre join, rather than a bevel or round join: 1/(1+cos) is the factor
// of the mitre, and the mitre reaches h·(1/cos(θ/2) - 1) past the round
// join, under a hundredth of a pixel for lines up to 8 px wide.
const minMiterCos = 0.99

// maxMitreOverBevel is how far, in pixels, a thin line's mitre join may
// reach past its bevel join and be drawn instead (turns up to 50° for a
// line 1 px wide): a corner then costs its outline one vertex a side
// rather than two, and differs from the bevel by a sliver of at most a
// fiftieth of a pixel's area.
const maxMitreOverBevel = 0.1

// mitreOverBevel is how far the mitre join of two offsets at h whose
// normals' cosine is cos reaches past their bevel join:
// h·(1/cos(θ/2) - cos(θ/2)) with cos²(θ/2) = (1+cos)/2.
func mitreOverBevel(h, cos float64) float64 {
	c2 := (1 + cos) / 2
	if c2 <= 0 {
		return math.Inf(1)
	}
	return h * (1 - c2) / math.Sqrt(c2)
}

// arc appends the points strictly between the directions (ux, uy) and
// (vx, vy) (unit vectors, less than half a turn apart) of the circle of
// radius r around o, at the steps of circle's polygon.
func arc(out []orb.Point, o orb.Point, r, ux, uy, vx, vy float64) []orb.Point {
	angle := math.Atan2(ux*vy-uy*vx, ux*vx+uy*vy) // signed, from u to v
	n := max(8, min(64, int(math.Ceil(r*2))))
	k := int(math.Abs(angle) / (2 * math.Pi / float64(n)))
	a0 := math.Atan2(uy, ux)
	for i := 1; i <= k; i++ {
		a := a0 + angle*float64(i)/float64(k+1)
		out = append(out, orb.Point{o[0] + r*math.Cos(a), o[1] + r*math.Sin(a)})
	}
	return out
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
