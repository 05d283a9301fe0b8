package compile

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/paulmach/orb/geo"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/project"
	"github.com/twpayne/go-geos"

	"github.com/outcrop/outcrop/compile/qa"
	"github.com/outcrop/outcrop/tileset"
)

// qaFields is the schema of the {id}-qa tileset.
var qaFields = []tileset.Field{
	{Name: "kind", Type: "string"}, {Name: "class", Type: "string"}, {Name: "countries", Type: "string"},
	{Name: "country", Type: "string"}, {Name: "onto", Type: "string"},
	{Name: "layer", Type: "string"}, {Name: "length_m", Type: "real"}, {Name: "area_km2", Type: "real"},
	{Name: "end_lon", Type: "real"}, {Name: "end_lat", Type: "real"},
	{Name: "a_country", Type: "string"}, {Name: "a_identifier", Type: "string"}, {Name: "a_name", Type: "string"},
	{Name: "a_age_uri", Type: "string"}, {Name: "a_age", Type: "string"},
	{Name: "a_lithology_uri", Type: "string"}, {Name: "a_lithology", Type: "string"},
	{Name: "b_country", Type: "string"}, {Name: "b_identifier", Type: "string"}, {Name: "b_name", Type: "string"},
	{Name: "b_age_uri", Type: "string"}, {Name: "b_age", Type: "string"},
	{Name: "b_lithology_uri", Type: "string"}, {Name: "b_lithology", Type: "string"},
}

// fillSteps is in how many rings a sliver between a map and the border is
// shared out among the units beside it: each takes what lies within
// k/fillSteps of the tolerance before the next ring, so a sliver goes to the
// nearest unit to within tolerance/fillSteps.
const fillSteps = 5

// pair analyses the border between countries a and b (a's code first): it
// snaps both maps to the border, then returns the report of the border, or
// nil when the two do not meet where their maps are. Only the units near the
// border are looked at: gaps and overlaps are measured within
// 2 × gapReachM of it, and the units are found through the sides' indexes.
func (c *compiler) pair(a, b *side) (*qa.Pair, error) {
	border := lineal(a.poly.Boundary().Intersection(b.poly.Buffer(c.eps, 4)))
	if border.IsEmpty() || border.Length() < 10*c.eps {
		return nil, nil
	}
	reach := c.frame.dist(gapReachM(c.cfg.ToleranceM))
	domain := border.Buffer(2*reach, 8)
	// Within domain each map is covered by its polygons near the border,
	// and a closing of width reach there depends on nothing farther out.
	coverA, coverB := c.coverNear(a, border, 3*reach), c.coverNear(b, border, 3*reach)
	region := closing(polygonal(coverA.Union(coverB)), reach)
	active := lineal(border.Intersection(region.Buffer(c.eps, 4)))
	if active.IsEmpty() || active.Length() < 10*c.eps {
		return nil, nil
	}
	activePrep := active.Prepare()
	p := &qa.Pair{Countries: [2]string{a.src.Country, b.src.Country}}
	pairName := p.Countries[0] + "-" + p.Countries[1]
	var gaps, overlaps []*geojson.Feature
	for _, s := range [][2]*side{{a, b}, {b, a}} {
		own, other := s[0], s[1]
		cover := coverA
		if own == b {
			cover = coverB
		}
		uncovered := polygonal(region.Intersection(own.poly).Intersection(domain).Difference(cover))
		wide := opening(uncovered, c.tol)
		for _, g := range parts(wide, 2) {
			if !activePrep.DistanceWithin(g, c.tol) {
				continue // a hole inside the map, not at the border
			}
			f, err := c.qaPolygon(g, qa.KindGap, pairName, own.src.Country, "")
			if err != nil {
				return nil, err
			}
			gaps = append(gaps, f)
		}
		c.fill(own, polygonal(uncovered.Difference(wide)), activePrep)

		spill := opening(polygonal(cover.Intersection(other.poly).Intersection(domain)), c.tol)
		for _, g := range parts(spill, 2) {
			f, err := c.qaPolygon(g, qa.KindOverlap, pairName, own.src.Country, other.src.Country)
			if err != nil {
				return nil, err
			}
			overlaps = append(overlaps, f)
		}
	}
	segs, err := c.segments(a, b, active, pairName)
	if err != nil {
		return nil, err
	}
	p.SnappedLineEnds = c.snapLines(a, b, active, activePrep)
	var dangling []*geojson.Feature
	for _, name := range lineNames(a, b) {
		for _, s := range [][2]*side{{a, b}, {b, a}} {
			fs, err := c.dangling(s[0], s[1], name, active, activePrep, pairName)
			if err != nil {
				return nil, err
			}
			dangling = append(dangling, fs...)
		}
	}
	p.Dangling = len(dangling)
	for _, f := range segs {
		cl := f.Properties["class"].(string)
		km := f.Properties["length_m"].(float64) / 1000
		p.BorderKm += km
		p.BorderKmByClass.Add(cl, km)
	}
	for _, f := range gaps {
		p.Gaps.Count++
		p.Gaps.AreaKm2 += f.Properties["area_km2"].(float64)
	}
	for _, f := range overlaps {
		p.Overlaps.Count++
		p.Overlaps.AreaKm2 += f.Properties["area_km2"].(float64)
	}
	p.SetShares()
	for _, group := range [][]*geojson.Feature{segs, gaps, overlaps, dangling} {
		for _, f := range group {
			f.ID = uint64(len(c.qa) + 1)
			c.qa = append(c.qa, f)
			if f.Properties["class"] == qa.ClassMatch {
				continue
			}
			p.Issues = append(p.Issues, issueOf(f))
		}
	}
	return p, nil
}

// lineNames are the names of the line layers of a or b, sorted.
func lineNames(a, b *side) []string {
	var out []string
	for _, s := range []*side{a, b} {
		for n := range s.lines {
			if !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
	}
	slices.Sort(out)
	return out
}

// coverNear is what s's map covers within d of border, and perhaps more.
func (c *compiler) coverNear(s *side, border *geos.Geom, d float64) *geos.Geom {
	ids := s.byRaw.nearLine(border, d)
	gs := make([]*geos.Geom, len(ids))
	for i, id := range ids {
		gs[i] = s.raw[id]
	}
	return polygonal(union(gs))
}

// fill shares the slivers between own's map and the border out among the
// units beside them, nearest first, so that the compiled map reaches the
// border without a gap or an overlap.
func (c *compiler) fill(own *side, narrow *geos.Geom, border *geos.PrepGeom) {
	for _, g := range parts(narrow, 2) {
		if border.DistanceWithin(g, c.eps) {
			c.fillSliver(own, g)
		}
	}
}

// fillPieceTol is how many tolerances wide a piece of a sliver fillSliver
// shares out at once, at most.
const fillPieceTol = 40

// fillSliver shares a sliver out among the units within the tolerance of
// it. A sliver along a whole border is cut into pieces first, halving its
// box until a piece is at most fillPieceTol tolerances wide: the units share
// each piece as they would share the whole, and each step then touches a few
// units and a short piece, not every unit along the border and the whole
// sliver.
func (c *compiler) fillSliver(own *side, rest *geos.Geom) {
	b := rest.Bounds()
	if w, h := b.MaxX-b.MinX, b.MaxY-b.MinY; max(w, h) > fillPieceTol*c.tol {
		halves := [2][4]float64{{b.MinX, b.MinY, b.MinX + w/2, b.MaxY}, {b.MinX + w/2, b.MinY, b.MaxX, b.MaxY}}
		if h > w {
			halves = [2][4]float64{{b.MinX, b.MinY, b.MaxX, b.MinY + h/2}, {b.MinX, b.MinY + h/2, b.MaxX, b.MaxY}}
		}
		for _, r := range halves {
			for _, piece := range parts(rest.ClipByRect(r[0], r[1], r[2], r[3]), 2) {
				c.fillSliver(own, piece)
			}
		}
		return
	}
	prep := rest.Prepare()
	var near []*unit
	for _, i := range own.byBox.within(rest, c.tol) {
		if u := own.units[i]; prep.DistanceWithin(u.clip, c.tol) {
			near = append(near, u)
		}
	}
	for k := 1; k <= fillSteps && !rest.IsEmpty(); k++ {
		r := c.tol * float64(k) / fillSteps * 1.01
		for _, u := range near {
			if rest.IsEmpty() {
				break
			}
			// Only the unit's part within r of the piece's box can reach it.
			part := u.clip.ClipByRect(b.MinX-2*r, b.MinY-2*r, b.MaxX+2*r, b.MaxY+2*r)
			take := polygonal(part.Buffer(r, 4).Intersection(rest))
			if take.IsEmpty() || take.Area() == 0 {
				continue
			}
			u.fill = append(u.fill, take)
			u.geom = nil
			rest = polygonal(rest.Difference(take))
		}
	}
}

// interval is a stretch of a border line, by distance along it, and the
// unit facing it on one side.
type interval struct {
	from, to float64
	u        *unit
}

// segments splits the border where the unit on either side changes and
// classifies each stretch.
func (c *compiler) segments(a, b *side, border *geos.Geom, pairName string) ([]*geojson.Feature, error) {
	var out []*geojson.Feature
	for _, line := range parts(border, 1) {
		total := line.Length()
		sides := [2][]interval{c.intervals(a, line), c.intervals(b, line)}
		cuts := []float64{0, total}
		for _, iv := range append(slices.Clone(sides[0]), sides[1]...) {
			cuts = append(cuts, iv.from, iv.to)
		}
		slices.Sort(cuts)
		type run struct {
			from, to float64
			ua, ub   *unit
		}
		var runs []run
		for i := 0; i+1 < len(cuts); i++ {
			x, y := cuts[i], cuts[i+1]
			if y-x <= 0 {
				continue
			}
			ua, ub := facing(sides[0], (x+y)/2), facing(sides[1], (x+y)/2)
			n := len(runs)
			switch {
			case n > 0 && sameUnit(runs[n-1].ua, ua) && sameUnit(runs[n-1].ub, ub):
				runs[n-1].to = y
			case n > 0 && y-x < 3*c.eps:
				runs[n-1].to = y // a seam between two units' snapped edges
			default:
				runs = append(runs, run{x, y, ua, ub})
			}
		}
		runs = absorbShort(runs, c.tol, func(x, y run) bool { return sameUnit(x.ua, y.ua) && sameUnit(x.ub, y.ub) },
			func(r run) float64 { return r.to - r.from }, func(into *run, r run) {
				into.from, into.to = min(into.from, r.from), max(into.to, r.to)
			})
		coords, err := frameLine(line)
		if err != nil {
			return nil, err
		}
		for _, r := range runs {
			if r.ua == nil && r.ub == nil {
				continue // beyond both maps
			}
			ls := substring(coords, r.from, r.to)
			project.LineString(ls, func(p orb.Point) orb.Point { return orb.Point{p[0] / c.frame.k, p[1]} })
			var ia, ib *qa.Unit
			if r.ua != nil {
				ia = &r.ua.info
			}
			if r.ub != nil {
				ib = &r.ub.info
			}
			props := geojson.Properties{
				"kind": qa.KindSegment, "class": classify(ia, ib), "countries": pairName,
				"length_m": round(geo.Length(ls), 1),
			}
			setUnit(props, "a_", ia)
			setUnit(props, "b_", ib)
			f := geojson.NewFeature(ls)
			f.Properties = props
			out = append(out, f)
		}
	}
	return out, nil
}

// absorbShort merges every run shorter than tol into its longer neighbour,
// shortest first, then joins neighbours that face the same units: a change
// of unit closer than the tolerance to another is the maps' misalignment,
// snapped like any other, not a stretch of border of its own.
func absorbShort[R any](runs []R, tol float64, same func(R, R) bool, length func(R) float64, merge func(into *R, r R)) []R {
	for len(runs) > 1 {
		i := -1
		for j, r := range runs {
			if length(r) < tol && (i < 0 || length(r) < length(runs[i])) {
				i = j
			}
		}
		if i < 0 {
			break
		}
		k := i - 1
		if k < 0 || i+1 < len(runs) && length(runs[i+1]) > length(runs[k]) {
			k = i + 1
		}
		merge(&runs[k], runs[i])
		runs = slices.Delete(runs, i, i+1)
		// Rejoin neighbours now facing the same units.
		for j := 0; j+1 < len(runs); {
			if same(runs[j], runs[j+1]) {
				merge(&runs[j], runs[j+1])
				runs = slices.Delete(runs, j+1, j+2)
			} else {
				j++
			}
		}
	}
	return runs
}

// intervals finds the stretches of line each unit of s faces.
func (c *compiler) intervals(s *side, line *geos.Geom) []interval {
	var out []interval
	prep := line.Prepare()
	// A unit's fill reaches up to the tolerance beyond its clip's box.
	for _, i := range s.byBox.nearLine(line, c.tol+2*c.eps) {
		u := s.units[i]
		g := u.settled()
		if !prep.DistanceWithin(g, c.eps) {
			continue
		}
		b := g.Bounds()
		near := line.ClipByRect(b.MinX-2*c.eps, b.MinY-2*c.eps, b.MaxX+2*c.eps, b.MaxY+2*c.eps)
		piece := lineal(near.Intersection(g.Buffer(c.eps, 4)))
		for _, q := range parts(piece, 1) {
			x, y := line.Project(q.StartPoint()), line.Project(q.EndPoint())
			if x > y {
				x, y = y, x
			}
			if y-x > c.eps {
				out = append(out, interval{x, y, u})
			}
		}
	}
	return out
}

// facing returns the unit facing position at, the one of longest stretch
// where snapped edges overlap, or nil.
func facing(ivs []interval, at float64) *unit {
	var best *interval
	for i := range ivs {
		iv := &ivs[i]
		if iv.from <= at && at <= iv.to && (best == nil || iv.to-iv.from > best.to-best.from) {
			best = iv
		}
	}
	if best == nil {
		return nil
	}
	return best.u
}

// sameUnit reports whether two facing units are one map unit: the border
// is split where the unit changes, not at every polygon.
func sameUnit(x, y *unit) bool {
	if x == nil || y == nil {
		return x == y
	}
	return x.info == y.info
}

func setUnit(props geojson.Properties, prefix string, u *qa.Unit) {
	if u == nil {
		return
	}
	for k, v := range map[string]string{"country": u.Country, "identifier": u.Identifier, "name": u.Name,
		"age_uri": u.AgeURI, "age": u.Age, "lithology_uri": u.LithologyURI, "lithology": u.Lithology} {
		if v != "" {
			props[prefix+k] = v
		}
	}
}

// qaPolygon makes a gap or overlap feature of polygon g.
func (c *compiler) qaPolygon(g *geos.Geom, kind, pairName, country, onto string) (*geojson.Feature, error) {
	o, err := c.frame.toOrb(g)
	if err != nil {
		return nil, err
	}
	props := geojson.Properties{"kind": kind, "countries": pairName, "country": country, "area_km2": round(geo.Area(o)/1e6, 4)}
	if onto != "" {
		props["onto"] = onto
	}
	f := geojson.NewFeature(o)
	f.Properties = props
	return f, nil
}

// issueOf is the report's entry for a qa feature.
func issueOf(f *geojson.Feature) qa.Issue {
	p := f.Properties
	str := func(k string) string { s, _ := p[k].(string); return s }
	num := func(k string) float64 { x, _ := p[k].(float64); return x }
	is := qa.Issue{Kind: str("kind"), FeatureID: f.ID.(uint64), Class: str("class"), Country: str("country"), Onto: str("onto"),
		Layer: str("layer"), LengthM: num("length_m"), AreaKm2: num("area_km2")}
	unitOf := func(prefix string) *qa.Unit {
		if str(prefix+"country") == "" {
			return nil
		}
		return &qa.Unit{Country: str(prefix + "country"), Identifier: str(prefix + "identifier"), Name: str(prefix + "name"),
			AgeURI: str(prefix + "age_uri"), Age: str(prefix + "age"), LithologyURI: str(prefix + "lithology_uri"), Lithology: str(prefix + "lithology")}
	}
	is.A, is.B = unitOf("a_"), unitOf("b_")
	b := f.Geometry.Bound()
	var at orb.Point
	if _, ok := p["end_lon"]; ok {
		at = orb.Point{num("end_lon"), num("end_lat")} // a dangling line's end at the border
	} else if ls, ok := f.Geometry.(orb.LineString); ok {
		at = substringPoint(ls, geo.Length(ls)/2)
	} else {
		at = b.Center()
	}
	is.Center = [2]float64{round(at[0], 6), round(at[1], 6)}
	span := max(b.Max[0]-b.Min[0], b.Max[1]-b.Min[1], 1e-4)
	is.Zoom = int(max(4, min(16, math.Floor(math.Log2(360/span))-1)))
	return is
}

func round(x float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(x*p) / p
}

// frameLine returns a GEOS line's coordinates as they are, in the frame.
func frameLine(g *geos.Geom) (orb.LineString, error) {
	o, err := wkb.Unmarshal(g.ToWKB())
	if err != nil {
		return nil, err
	}
	ls, _ := o.(orb.LineString)
	return ls, nil
}

// substring returns the part of ls from distance from to distance to,
// measured in its own (planar) units, as GEOS's Project measures. It is
// linear referencing, which go-geos does not expose for GEOS 3.11.
func substring(ls orb.LineString, from, to float64) orb.LineString {
	var out orb.LineString
	pos := 0.0
	for i := 0; i+1 < len(ls); i++ {
		p, q := ls[i], ls[i+1]
		d := math.Hypot(q[0]-p[0], q[1]-p[1])
		next := pos + d
		if next >= from && pos <= to && d > 0 {
			if len(out) == 0 {
				out = append(out, lerp(p, q, (max(from, pos)-pos)/d))
			}
			if next <= to {
				out = append(out, q)
			} else {
				out = append(out, lerp(p, q, (to-pos)/d))
				break
			}
		}
		pos = next
	}
	return out
}

// substringPoint returns the point at distance at along ls, in metres on the
// sphere.
func substringPoint(ls orb.LineString, at float64) orb.Point {
	pos := 0.0
	for i := 0; i+1 < len(ls); i++ {
		d := geo.Distance(ls[i], ls[i+1])
		if pos+d >= at && d > 0 {
			return lerp(ls[i], ls[i+1], (at-pos)/d)
		}
		pos += d
	}
	return ls[len(ls)-1]
}

func lerp(p, q orb.Point, t float64) orb.Point {
	return orb.Point{p[0] + (q[0]-p[0])*t, p[1] + (q[1]-p[1])*t}
}
