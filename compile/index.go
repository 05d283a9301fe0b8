package compile

import (
	"slices"

	"github.com/twpayne/go-geos"

	"github.com/outcrop/outcrop/rtree"
)

// index finds geometries by their bounding boxes: a packed R-tree of the
// project's rtree package over the geometries' envelopes, so that a step of
// the analysis touches the units near a place instead of every unit.
type index struct {
	tree  []byte
	empty bool
}

// newIndex indexes gs by position in the slice.
func newIndex(gs []*geos.Geom) index {
	items := make([]rtree.Item, 0, len(gs))
	for i, g := range gs {
		if g == nil || g.IsEmpty() {
			continue
		}
		b := g.Bounds()
		items = append(items, rtree.Item{MinX: b.MinX, MinY: b.MinY, MaxX: b.MaxX, MaxY: b.MaxY, ID: uint64(i)})
	}
	if len(items) == 0 {
		return index{empty: true}
	}
	t, err := rtree.Build(items, 0)
	if err != nil {
		panic(err) // only for more than four billion items
	}
	return index{tree: t}
}

// within returns, in ascending order, the positions of the geometries whose
// boxes lie within d of g's box.
func (x index) within(g *geos.Geom, d float64) []int {
	if x.empty || g.IsEmpty() {
		return nil
	}
	b := g.Bounds()
	return x.box(b.MinX-d, b.MinY-d, b.MaxX+d, b.MaxY+d)
}

func (x index) box(minX, minY, maxX, maxY float64) []int {
	ids, err := rtree.SearchIDs(x.tree, minX, minY, maxX, maxY)
	if err != nil {
		panic(err) // the tree was built here
	}
	out := make([]int, len(ids))
	for i, id := range ids {
		out[i] = int(id)
	}
	return out
}

// nearLine returns, in ascending order, the positions of the geometries
// whose boxes lie within d of the line l: the boxes of l's stretches, each
// about d long, grown by d, are queried one by one, since a long border's own
// box holds most of a map.
func (x index) nearLine(l *geos.Geom, d float64) []int {
	if x.empty {
		return nil
	}
	seen := map[int]bool{}
	for _, part := range parts(l, 1) {
		coords, err := frameLine(part)
		if err != nil || len(coords) == 0 {
			continue
		}
		minX, minY, maxX, maxY := coords[0][0], coords[0][1], coords[0][0], coords[0][1]
		run := 0.0
		flush := func() {
			for _, i := range x.box(minX-d, minY-d, maxX+d, maxY+d) {
				seen[i] = true
			}
		}
		for i := 1; i < len(coords); i++ {
			p, q := coords[i-1], coords[i]
			minX, minY, maxX, maxY = min(minX, q[0]), min(minY, q[1]), max(maxX, q[0]), max(maxY, q[1])
			run += max(q[0]-p[0], p[0]-q[0], q[1]-p[1], p[1]-q[1])
			if run >= d {
				flush()
				minX, minY, maxX, maxY, run = q[0], q[1], q[0], q[1], 0
			}
		}
		flush()
	}
	out := make([]int, 0, len(seen))
	for i := range seen {
		out = append(out, i)
	}
	slices.Sort(out)
	return out
}
