package tiles

import (
	"cmp"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// Attributes of a point that stands for others.
const (
	// PointCount is the number of input points a kept point stands for,
	// itself included; absent on a point that stands for itself alone.
	PointCount = "point_count"
	// PointCountPrefix starts the name of a count per value of
	// Options.ClusterField: point_count_Cu is the number of points with Cu
	// among those a point stands for.
	PointCountPrefix = "point_count_"
	// OtherValues is the value name under which the values of
	// Options.ClusterField beyond the MaxClusterValues most frequent are
	// counted together.
	OtherValues = "other"
	// MaxClusterValues is the number of distinct values of
	// Options.ClusterField counted one by one.
	MaxClusterValues = 32
)

// noValue marks a point with no value for the cluster field.
const noValue = math.MaxUint16

// pointSet holds a layer's single points in Z order of their cells on the
// finest grid used (the max zoom's), so that at every zoom the points of
// one cell are consecutive.
type pointSet struct {
	feature []int32 // feature index of each point, in Z order
	cx, cy  []uint64
	rank    []uint64 // priority of each point: the lowest in a cell is kept
	value   []uint16 // index into values, or noValue
	values  []string // names of the counted values; the last may be OtherValues
	// gridZoom is the zoom of the finest grid, whose cells are 1/grid of
	// its tiles; gridBits is log2(grid).
	gridZoom, gridBits int
	// spreadZoom and dropRate are the settings of thin.
	spreadZoom int
	dropRate   float64
}

// cluster is what a kept point stands for when it stands for others.
type cluster struct {
	count  uint64
	values []valueCount // by value index
}

type valueCount struct {
	value uint16
	n     uint64
}

// newPointSet gathers the single points of feats.
func newPointSet(feats []feature, s settings) *pointSet {
	ps := &pointSet{gridZoom: s.maxZoom, gridBits: bits.TrailingZeros(uint(s.clusterGrid)),
		spreadZoom: s.spreadZoom, dropRate: s.dropRate}
	for i := range feats {
		if feats[i].kind == kindPoint {
			ps.feature = append(ps.feature, int32(i))
		}
	}
	n := len(ps.feature)
	if n == 0 {
		return ps
	}
	side := math.Exp2(float64(ps.gridZoom + ps.gridBits))
	maxCell := uint64(side) - 1
	type entry struct {
		f      int32
		cx, cy uint64
		rank   uint64
	}
	es := make([]entry, n)
	for k, i := range ps.feature {
		pt := feats[i].geom.(orb.Point)
		es[k] = entry{
			f:    i,
			cx:   min(uint64(max(0, pt[0]*side)), maxCell),
			cy:   min(uint64(max(0, pt[1]*side)), maxCell),
			rank: splitmix(uint64(i)),
		}
	}
	slices.SortFunc(es, func(a, b entry) int {
		if c := zorder(a.cx, a.cy, b.cx, b.cy); c != 0 {
			return c
		}
		return cmp.Compare(a.f, b.f)
	})
	ps.cx, ps.cy, ps.rank = make([]uint64, n), make([]uint64, n), make([]uint64, n)
	for k, e := range es {
		ps.feature[k], ps.cx[k], ps.cy[k], ps.rank[k] = e.f, e.cx, e.cy, e.rank
	}
	if s.clusterField != "" {
		ps.countValues(feats, s.clusterField)
	}
	return ps
}

// countValues numbers the values of field among the points: the
// MaxClusterValues most frequent by themselves, the rest as OtherValues.
func (ps *pointSet) countValues(feats []feature, field string) {
	names := make([]string, len(ps.feature))
	freq := map[string]int{}
	for k, i := range ps.feature {
		v, ok := feats[i].props[field]
		if !ok || v == nil {
			continue
		}
		name, isString := v.(string)
		if !isString {
			name = fmt.Sprint(v)
		}
		if name == "" {
			continue
		}
		names[k] = name
		freq[name]++
	}
	distinct := make([]string, 0, len(freq))
	for v := range freq {
		distinct = append(distinct, v)
	}
	slices.SortFunc(distinct, func(a, b string) int { return cmp.Or(-cmp.Compare(freq[a], freq[b]), strings.Compare(a, b)) })
	index := map[string]uint16{}
	for i, v := range distinct {
		if i == MaxClusterValues {
			ps.values = append(ps.values, OtherValues)
			break
		}
		index[v] = uint16(i)
		ps.values = append(ps.values, v)
	}
	ps.value = make([]uint16, len(ps.feature))
	for k, name := range names {
		switch idx, ok := index[name]; {
		case name == "":
			ps.value[k] = noValue
		case ok:
			ps.value[k] = idx
		default:
			ps.value[k] = MaxClusterValues
		}
	}
}

// clusterPoint is a point kept at a zoom, as its index in the point set,
// and what it stands for.
type clusterPoint struct {
	k int32
	c *cluster // nil when the point stands for itself alone
}

// sparseDistrict is the most points a spread cell deeper than spreadZoom
// (a district) may hold and still be drawn as at its own zoom, one point
// per cell of the zoom's own grid. Sparse places, such as a survey's
// scattered prospects, thus keep every point that stands apart on screen;
// denser districts, where that would keep nearly every point at the zooms
// just below the max, keep one point and the drop rate's.
const sparseDistrict = 32

// thin picks the points drawn at zoom z, below the max zoom, in Z order,
// and what each stands for. A point is kept when either of two rules keeps
// it, so that the choice nests across zooms (a point kept at z is kept at
// every deeper zoom):
//
//   - spread: the point of lowest rank in its cell, so that every place with
//     data draws something. The cells are those of the zoom's own grid up
//     to spreadZoom; deeper, districts (see spreadShift) of at most
//     sparseDistrict points still use the zoom's own grid, and denser ones
//     are one cell each.
//   - rate: its rank is within the share dropRate^-(maxZoom-z) of all ranks,
//     tippecanoe's drop rate, so that dense places keep the density they
//     look to have.
//
// Whether a district is sparse depends only on its points, and a district's
// parts are districts or tiles of no more points, so the choice nests.
//
// Every point left out is counted on the kept point before it in Z order in
// the same cell, or on the cell's first kept point, so that counts stay near
// where their points are and add up to the number of points.
func (ps *pointSet) thin(z int) []clusterPoint {
	district, own := ps.spreadShift(z), uint(ps.gridZoom-z)
	limit := ps.rateLimit(z)
	var out []clusterPoint
	for lo := 0; lo < len(ps.feature); {
		hi := ps.runEnd(lo, district)
		if hi-lo > sparseDistrict {
			out = ps.keep(out, lo, hi, limit)
		} else {
			for l := lo; l < hi; {
				h := ps.runEnd(l, own)
				out = ps.keep(out, l, h, limit)
				l = h
			}
		}
		lo = hi
	}
	return out
}

// runEnd is the end of the run of points from lo that share lo's cell
// shift bits coarser than the finest.
func (ps *pointSet) runEnd(lo int, shift uint) int {
	cx, cy := ps.cx[lo]>>shift, ps.cy[lo]>>shift
	hi := lo + 1
	for hi < len(ps.feature) && ps.cx[hi]>>shift == cx && ps.cy[hi]>>shift == cy {
		hi++
	}
	return hi
}

// keep appends to out the points of one cell, the run lo to hi, that are
// drawn: the one of lowest rank and those with a rank below limit; and
// counts the others on them.
func (ps *pointSet) keep(out []clusterPoint, lo, hi int, limit uint64) []clusterPoint {
	best := lo
	for k := lo + 1; k < hi; k++ {
		if ps.rank[k] < ps.rank[best] {
			best = k
		}
	}
	first := len(out)
	for k := lo; k < hi; k++ {
		if k == best || ps.rank[k] < limit {
			out = append(out, clusterPoint{k: int32(k)})
		}
	}
	// Count each point left out on the kept point before it, or on the
	// first one when none is.
	kept := out[first:]
	j := 0
	for k := lo; k < hi; k++ {
		for j+1 < len(kept) && int(kept[j+1].k) <= k {
			j++
		}
		if int(kept[j].k) == k {
			continue
		}
		cp := &kept[j]
		if cp.c == nil {
			cp.c = &cluster{}
			cp.c.add(nil, ps.valueOf(cp.k))
		}
		cp.c.add(nil, ps.valueOf(int32(k)))
	}
	return out
}

// spreadShift is how many bits of the finest cells' coordinates to drop to
// get the spread cells of zoom z: the grid's cells of zoom z up to
// spreadZoom; deeper, districts: cells of the ground size the grid's have
// at spreadZoom (some 20 km, the scale of a mining district, at the default
// zoom 5), but never larger than a tile, so that every tile with data draws
// something.
func (ps *pointSet) spreadShift(z int) uint {
	zc := z
	if z > ps.spreadZoom {
		zc = max(ps.spreadZoom, z-ps.gridBits)
	}
	return uint(ps.gridZoom - zc)
}

// rateLimit is the rank below which a point is kept at zoom z by the drop
// rate: dropRate^-(maxZoom-z) of the ranks; 0 when there is no rate.
func (ps *pointSet) rateLimit(z int) uint64 {
	if ps.dropRate <= 0 {
		return 0
	}
	limit := math.Ldexp(math.Pow(ps.dropRate, -float64(ps.gridZoom-z)), 64)
	if limit >= math.Ldexp(1, 64) {
		return math.MaxUint64
	}
	return uint64(limit)
}

func (ps *pointSet) valueOf(k int32) uint16 {
	if ps.value == nil {
		return noValue
	}
	return ps.value[k]
}

// properties are the attributes of a kept point: its own, plus its counts
// when it stands for others.
func (ps *pointSet) properties(own geojson.Properties, c *cluster) geojson.Properties {
	if c == nil {
		return own
	}
	p := make(geojson.Properties, len(own)+1+len(c.values))
	for k, v := range own {
		p[k] = v
	}
	p[PointCount] = c.count
	for _, vc := range c.values {
		p[PointCountPrefix+ps.values[vc.value]] = vc.n
	}
	return p
}

// add counts into c what another point stands for: o, or when o is nil
// one point with value v.
func (c *cluster) add(o *cluster, v uint16) {
	if o == nil {
		c.count++
		if v != noValue {
			c.values = addValue(c.values, v, 1)
		}
		return
	}
	c.count += o.count
	for _, vc := range o.values {
		c.values = addValue(c.values, vc.value, vc.n)
	}
}

func addValue(vs []valueCount, v uint16, n uint64) []valueCount {
	i, found := slices.BinarySearchFunc(vs, v, func(vc valueCount, v uint16) int { return cmp.Compare(vc.value, v) })
	if found {
		vs[i].n += n
		return vs
	}
	return slices.Insert(vs, i, valueCount{v, n})
}

// zorder compares two cells in Z order (Morton order, y before x at each
// level) without interleaving their bits: the coordinate whose highest
// differing bit is higher decides.
func zorder(ax, ay, bx, by uint64) int {
	dx, dy := ax^bx, ay^by
	if !(dy < dx && dy < dx^dy) { // dy's highest bit is not below dx's
		return cmp.Compare(ay, by)
	}
	return cmp.Compare(ax, bx)
}

// splitmix is SplitMix64's finaliser: a fixed, well-mixed rank for each
// point, so that the point kept in a cell is an unbiased pick among its
// points and the same at every zoom where it is kept.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
