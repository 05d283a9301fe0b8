package compile

import (
	"cmp"
	"math"
	"slices"

	"github.com/twpayne/go-geos"
)

// A fault or contact that crosses a border is one line to a geologist, so
// compile joins the two countries' halves at the border: where an end of a
// line of one country and an end of a line of the same layer name of the
// neighbour both lie within the tolerance of the border and of each other,
// both are brought to the point of the border nearest the end nearer to it
// (so that an end drawn on the border stays where it is, and the other
// joins it there, rather than both sliding along the border). An
// end is extended to it by a new segment, so the survey's own line is kept
// as drawn; an end within snapM of it is moved onto it. An end with no
// counterpart is left where it is (it is reported as dangling): with nothing
// across the border to join, extending it would invent geology.

// lineEnd is one end of a line.
type lineEnd struct {
	ln    *line
	start bool
	at    *geos.Geom // the point
}

// endKey names one end of a line.
type endKey struct {
	ln    *line
	start bool
}

func (e lineEnd) key() endKey { return endKey{e.ln, e.start} }

// borderEnds are the ends of the set's lines within d of border.
func (s *lineSet) borderEnds(border *geos.Geom, borderPrep *geos.PrepGeom, d float64) []lineEnd {
	var out []lineEnd
	for _, i := range s.ends.nearLine(border, d) {
		e := lineEnd{ln: s.endsOf[i], start: i%2 == 0}
		if e.start {
			e.at = e.ln.geom.StartPoint()
		} else {
			e.at = e.ln.geom.EndPoint()
		}
		if borderPrep.DistanceWithin(e.at, d) {
			out = append(out, e)
		}
	}
	return out
}

// moveTo brings the end to p, by a new segment if it lies farther than eps
// from it, and reports whether it did so.
func (e lineEnd) moveTo(p []float64, eps float64) bool {
	coords := e.ln.geom.CoordSeq().ToCoords()
	k := len(coords) - 1
	if e.start {
		k = 0
	}
	d := math.Hypot(coords[k][0]-p[0], coords[k][1]-p[1])
	switch {
	case d == 0:
		return false
	case d <= eps:
		coords[k] = []float64{p[0], p[1]}
	case e.start:
		coords = append([][]float64{{p[0], p[1]}}, coords...)
	default:
		coords = append(coords, []float64{p[0], p[1]})
	}
	e.ln.geom = geos.NewLineString(coords)
	return d > eps
}

// reindex rebuilds the set's indexes after its lines moved.
func (s *lineSet) reindex() {
	gs := make([]*geos.Geom, len(s.lines))
	ends := make([]*geos.Geom, 0, 2*len(s.lines))
	for i, ln := range s.lines {
		gs[i] = ln.geom
		ends = append(ends, ln.geom.StartPoint(), ln.geom.EndPoint())
	}
	s.byBox, s.ends = newIndex(gs), newIndex(ends)
}

// snapLines joins the lines of a and b that meet across their border (see
// above), the closest pairs of ends first, each end at most once in the
// whole compilation (at a junction of three countries an end may lie near
// two borders; it joins the first line it meets), and
// returns the number of ends extended to the border.
func (c *compiler) snapLines(a, b *side, border *geos.Geom, borderPrep *geos.PrepGeom) int {
	snapped := 0
	for _, name := range lineNames(a, b) {
		la, lb := a.lines[name], b.lines[name]
		if la == nil || lb == nil {
			continue
		}
		ea, eb := la.borderEnds(border, borderPrep, c.tol), lb.borderEnds(border, borderPrep, c.tol)
		if len(ea) == 0 || len(eb) == 0 {
			continue
		}
		pts := make([]*geos.Geom, len(eb))
		for j, e := range eb {
			pts[j] = e.at
		}
		byPt := newIndex(pts)
		type match struct {
			i, j int
			d    float64
		}
		var ms []match
		for i, e := range ea {
			for _, j := range byPt.within(e.at, c.tol) {
				if d := e.at.Distance(eb[j].at); d <= c.tol {
					ms = append(ms, match{i, j, d})
				}
			}
		}
		slices.SortFunc(ms, func(x, y match) int {
			return cmp.Or(cmp.Compare(x.d, y.d), cmp.Compare(x.i, y.i), cmp.Compare(x.j, y.j))
		})
		moved := false
		for _, m := range ms {
			if c.joined[ea[m.i].key()] || c.joined[eb[m.j].key()] {
				continue
			}
			c.joined[ea[m.i].key()], c.joined[eb[m.j].key()] = true, true
			nearer := ea[m.i].at
			if q := eb[m.j].at; border.Distance(q) < border.Distance(nearer) {
				nearer = q
			}
			target := border.NearestPoints(nearer)[0]
			for _, e := range []lineEnd{ea[m.i], eb[m.j]} {
				if e.moveTo(target, c.eps) {
					snapped++
				}
			}
			moved = true
		}
		if moved {
			la.reindex()
			lb.reindex()
		}
	}
	return snapped
}
