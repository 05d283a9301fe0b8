package tiles

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// TileTooLargeError reports a tile that cannot be brought within the tile
// limits: below the max zoom, its largest line or polygon alone is over
// Options.MaxTileBytes; at the max zoom, which keeps every line and
// polygon, they are over Options.MaxTileBytes or Options.MaxTileFeatures
// together. Cut stops at the first one rather than write a tile clients
// would choke on.
type TileTooLargeError struct {
	Z, X, Y int
	Bytes   int // compressed size of the tile, with its largest feature alone below the max zoom
	Limit   int // Options.MaxTileBytes in effect
	// Features and FeatureLimit are the tile's feature count and
	// Options.MaxTileFeatures, when the count is what is over (max zoom).
	Features, FeatureLimit int
	// MinZoom and MaxZoom are the zoom range being cut, to suggest a fix.
	MinZoom, MaxZoom int
	// ID is the id of the feature too large alone, if known.
	ID any
}

// Error names the tile and the ways out. At the max zoom, a deeper max zoom
// cuts tiles a quarter the size. Below it, zooms are cut in ascending
// order, so every zoom below Z is known to fit: lowering --maxzoom below Z
// always works; when Z is the lowest zoom, the features are too crowded
// there and raising --minzoom skips it.
func (e *TileTooLargeError) Error() string {
	if e.Z == e.MaxZoom {
		deeper := ""
		if e.Z < MaxZoomLimit {
			deeper = fmt.Sprintf("raise --maxzoom to %d, whose tiles cover a quarter of the ground, or ", e.Z+1)
		}
		if e.Features > e.FeatureLimit && e.FeatureLimit > 0 {
			return fmt.Sprintf("tile %d/%d/%d (zoom %d, the max zoom, which keeps every line and polygon) holds %d features, over the limit of %d; %sraise --max-tile-features to at least %d",
				e.Z, e.X, e.Y, e.Z, e.Features, e.FeatureLimit, deeper, e.Features)
		}
		return fmt.Sprintf("tile %d/%d/%d (zoom %d, the max zoom, which keeps every line and polygon) is %s compressed%s, over the %s limit; %sraise --max-tile-bytes to at least %d",
			e.Z, e.X, e.Y, e.Z, kib(e.Bytes), e.alone(), kib(e.Limit), deeper, e.Bytes)
	}
	var fix []string
	if e.Z > e.MinZoom {
		fix = append(fix, fmt.Sprintf("lower --maxzoom to %d", e.Z-1))
	} else if e.Z < e.MaxZoom {
		fix = append(fix, fmt.Sprintf("raise --minzoom above %d", e.Z))
	}
	fix = append(fix, fmt.Sprintf("raise --max-tile-bytes to at least %d", e.Bytes))
	return fmt.Sprintf("tile %d/%d/%d (zoom %d) is %s compressed%s, over the %s limit; %s",
		e.Z, e.X, e.Y, e.Z, kib(e.Bytes), e.alone(), kib(e.Limit), strings.Join(fix, " or "))
}

func (e *TileTooLargeError) alone() string {
	if e.ID == nil {
		return ""
	}
	return fmt.Sprintf(" with feature %v alone", e.ID)
}

func kib(n int) string {
	switch { // not "0.0 KiB over the 0.0 KiB limit" for --max-tile-bytes 1
	case n == 1:
		return "1 byte"
	case n < 1024:
		return fmt.Sprintf("%d bytes", n)
	}
	return fmt.Sprintf("%.1f KiB", float64(n)/1024)
}

// maxMergeSteps is how many times a tile too large may merge its polygons
// at four times the area threshold before polygons are dropped instead:
// up to regions of 64×64 pixels.
const maxMergeSteps = 6

// tileFeature is a piece quantised for its tile.
type tileFeature struct {
	p *piece
	g orb.Geometry
}

// fit encodes a tile's features within the tile limits, dropping what it
// must, in this order:
//
//  1. thin the points on ever coarser grids, which takes points from the
//     densest cells first and moves their counts to the points kept;
//  2. below the max zoom, merge polygons at four, sixteen, ... times the
//     area threshold, which keeps the coverage whole within the tile;
//  3. below the max zoom, drop lines and polygons, smallest first.
//
// It fails when a single line or polygon is over MaxTileBytes by itself,
// and at the max zoom when the lines and polygons, which are all kept
// there, are over the limits together. It marks the features kept and merged, and returns the tile and
// its feature count.
func (c *cutter) fit(n node, tf []tileFeature) ([]byte, int, error) {
	s := c.s
	b := &tileBuild{c: c, n: n}
	for _, f := range tf {
		if f.p.pt >= 0 {
			b.points = append(b.points, f)
		} else {
			b.rest = append(b.rest, f)
		}
	}
	fits := func(data []byte) bool {
		return b.count() <= s.maxTileFeatures && len(data) <= s.maxTileBytes
	}

	var data []byte
	var err error
	if b.count() <= s.maxTileFeatures {
		if data, err = b.encode(); err != nil || fits(data) {
			return data, b.count(), b.mark(err)
		}
	}

	// 1. Thin the points: from the coarsening whose point count fits the
	// feature limit and, at the size per feature seen so far, the byte
	// limit.
	if len(b.points) > 0 {
		b.sortPoints()
		perFeature := 0.0
		if data != nil {
			perFeature = float64(len(data)) / float64(b.count())
		}
		for k := 1; k <= b.maxCoarser(); k++ {
			total := b.groups(k) + len(b.rest)
			if total > s.maxTileFeatures || perFeature*float64(total) > 0.95*float64(s.maxTileBytes) && k < b.maxCoarser() {
				continue
			}
			b.thin(k)
			if data, err = b.encode(); err != nil {
				return nil, 0, err
			}
			if fits(data) {
				return data, b.count(), b.mark(nil)
			}
			perFeature = float64(len(data)) / float64(b.count())
		}
	}

	// At the max zoom every line and polygon is kept.
	if n.level == s.maxZoom {
		return nil, 0, b.tooLarge(data)
	}

	// 2. Merge polygons further.
	if c.cov != nil && b.hasPolygons() {
		t := c.l.pixelArea(n.level)
		for range maxMergeSteps {
			t *= 4
			if t <= c.cov.threshold {
				continue
			}
			b.remerge(t)
			if b.count() > s.maxTileFeatures {
				continue
			}
			if data, err = b.encode(); err != nil {
				return nil, 0, err
			}
			if fits(data) {
				return data, b.count(), b.mark(nil)
			}
		}
	}

	// 3. Drop lines and polygons, smallest first: the fewest that make the
	// tile fit. With no points, the largest must stay: a tile with nothing
	// left would not be a tile of the data.
	order := make([]int, len(b.rest))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(i, j int) int {
		return cmp.Compare(b.rest[i].p.f.size, b.rest[j].p.f.size)
	})
	b.dropped = make([]bool, len(b.rest))
	drop := func(d int) {
		for k, i := range order {
			b.dropped[i] = k < d
		}
	}
	hi := len(order)
	if len(b.points) == 0 {
		hi--
	}
	lo := min(max(0, b.count()-s.maxTileFeatures), hi)
	var best []byte
	for lo < hi {
		mid := (lo + hi) / 2
		drop(mid)
		if data, err = b.encode(); err != nil {
			return nil, 0, err
		}
		if fits(data) {
			hi, best = mid, data
		} else {
			lo = mid + 1
		}
	}
	drop(lo)
	if best == nil {
		if data, err = b.encode(); err != nil {
			return nil, 0, err
		}
		if fits(data) {
			best = data
		}
	}
	if best == nil {
		e := &TileTooLargeError{Z: n.level, X: n.x, Y: n.y, Bytes: len(data), Limit: s.maxTileBytes,
			MinZoom: s.minZoom, MaxZoom: s.maxZoom}
		if len(order) > 0 {
			e.ID = b.rest[order[len(order)-1]].p.f.id
		}
		return nil, 0, e
	}
	return best, b.count(), b.mark(nil)
}

// tooLarge is the error for a max-zoom tile that is over the limits
// with its points thinned as far as they go; data is its last encoding,
// if any.
func (b *tileBuild) tooLarge(data []byte) error {
	s := b.c.s
	e := &TileTooLargeError{Z: b.n.level, X: b.n.x, Y: b.n.y, Limit: s.maxTileBytes,
		MinZoom: s.minZoom, MaxZoom: s.maxZoom, Features: b.count(), FeatureLimit: s.maxTileFeatures}
	if data == nil {
		data, _ = b.encode()
	}
	e.Bytes = len(data)
	if len(b.rest) == 1 && b.count() == 1 {
		e.ID = b.rest[0].p.f.id
	}
	return e
}

// tileBuild is a tile being fitted: its points, as thinned so far, and its
// other features, as merged and dropped so far.
type tileBuild struct {
	c      *cutter
	n      node
	points []tileFeature
	rest   []tileFeature // lines, multipoints and polygons
	// dropped marks the features of rest left out.
	dropped []bool

	// After sortPoints: the points in Z order of their cells, and their
	// cells at the tile's zoom.
	order  []int
	cx, cy []uint64
	// After thin: the point standing for each point, and what each kept
	// point stands for.
	into     []int
	clusters map[int]*cluster

	// After remerge: the polygon features the merges took into others'.
	mergedAway []int32
}

func (b *tileBuild) maxCoarser() int {
	// Down to one cell per tile.
	return b.c.l.points.gridBits
}

// sortPoints orders the tile's points as the point set is: in Z order of
// the finest cells, where every coarser cell is a run.
func (b *tileBuild) sortPoints() {
	ps := b.c.l.points
	shift := uint(ps.gridZoom - b.n.level)
	b.order = make([]int, len(b.points))
	for i := range b.order {
		b.order[i] = i
	}
	slices.SortFunc(b.order, func(i, j int) int { return cmp.Compare(b.points[i].p.pt, b.points[j].p.pt) })
	b.cx, b.cy = make([]uint64, len(b.order)), make([]uint64, len(b.order))
	for k, i := range b.order {
		pt := b.points[i].p.pt
		b.cx[k], b.cy[k] = ps.cx[pt]>>shift, ps.cy[pt]>>shift
	}
}

// groups counts the cells occupied k levels coarser.
func (b *tileBuild) groups(k int) int {
	n := 0
	for i := range b.order {
		if i == 0 || b.cx[i]>>k != b.cx[i-1]>>k || b.cy[i]>>k != b.cy[i-1]>>k {
			n++
		}
	}
	return n
}

// thin keeps, k levels coarser, the point of lowest rank in each cell (the
// one the zoom's own thinning would keep) and adds up what the others
// stand for.
func (b *tileBuild) thin(k int) {
	ps := b.c.l.points
	b.into = make([]int, len(b.points))
	b.clusters = map[int]*cluster{}
	for lo := 0; lo < len(b.order); {
		hi := lo + 1
		for hi < len(b.order) && b.cx[hi]>>k == b.cx[lo]>>k && b.cy[hi]>>k == b.cy[lo]>>k {
			hi++
		}
		keep := b.order[lo]
		for _, i := range b.order[lo+1 : hi] {
			if ps.rank[b.points[i].p.pt] < ps.rank[b.points[keep].p.pt] {
				keep = i
			}
		}
		if hi-lo > 1 {
			cl := &cluster{}
			for _, i := range b.order[lo:hi] {
				p := b.points[i].p
				cl.add(p.c, ps.valueOf(p.pt))
			}
			b.clusters[keep] = cl
		}
		for _, i := range b.order[lo:hi] {
			b.into[i] = keep
		}
		lo = hi
	}
}

func (b *tileBuild) hasPolygons() bool {
	for _, f := range b.rest {
		if f.p.f.kind == kindPolygon {
			return true
		}
	}
	return false
}

// remerge replaces the tile's polygons by those of the coverage merged at
// threshold, clipped to the tile and quantised. The faces drawn in the tile
// are those of the polygons drawn at the zoom's own threshold, with the
// faces merged into them; their regions at the new threshold may belong to
// features not in the tile before.
func (b *tileBuild) remerge(threshold float64) {
	c, l := b.c, b.c.l
	base := c.cov
	cov := c.coarser(threshold)
	t := l.topo

	var orig []int32 // polygon features drawn in the tile at the zoom's threshold
	for _, f := range b.rest {
		if f.p.f.kind == kindPolygon {
			orig = append(orig, f.p.f.index)
		}
	}
	for _, f := range b.mergedAway {
		orig = append(orig, f) // from an earlier, smaller threshold
	}
	slices.Sort(orig)
	orig = slices.Compact(orig)
	var feats []int32
	for _, i := range orig {
		for f := t.faceStart[i]; f < t.faceStart[i+1]; f++ {
			if base.root[f] != f {
				continue
			}
			members := base.regionMembers(f)
			if members == nil {
				members = []int32{f}
			}
			for _, m := range members {
				feats = append(feats, t.faces[cov.root[m]].feature)
			}
		}
	}
	slices.Sort(feats)
	feats = slices.Compact(feats)

	// Keep the other kinds, replace the polygons.
	rest := b.rest[:0:0]
	for _, f := range b.rest {
		if f.p.f.kind != kindPolygon {
			rest = append(rest, f)
		}
	}
	size := float64(c.s.extent)
	buf := c.s.buffer
	bound := orb.Bound{
		Min: orb.Point{float64(b.n.x)*size - buf, float64(b.n.y)*size - buf},
		Max: orb.Point{float64(b.n.x+1)*size + buf, float64(b.n.y+1)*size + buf},
	}
	drawn := map[int32]bool{}
	for _, i := range feats {
		g, _, _, _ := cov.featureGeometry(int(i))
		if g == nil {
			continue
		}
		g = clipGeometry(g, geomBound(g), bound)
		if g == nil {
			continue
		}
		p := newPiece(&l.feats[i], g)
		q := validTileGeometry(g, float64(b.n.x)*size, float64(b.n.y)*size, size)
		if q == nil {
			continue
		}
		rest = append(rest, tileFeature{p: &p, g: q})
		drawn[i] = true
	}
	b.rest = rest
	b.mergedAway = b.mergedAway[:0]
	for _, i := range orig {
		if !drawn[i] {
			b.mergedAway = append(b.mergedAway, i)
		}
	}
}

// coarser is the zoom's coverage merged at threshold, made once for all the
// tiles that need it.
func (c *cutter) coarser(threshold float64) *coverage {
	c.coarseMu.Lock()
	defer c.coarseMu.Unlock()
	if cov, ok := c.coarse[threshold]; ok {
		return cov
	}
	cov := c.cov.withThreshold(c.l.merges, threshold)
	if c.coarse == nil {
		c.coarse = map[float64]*coverage{}
	}
	c.coarse[threshold] = cov
	return cov
}

// features lists what is left, in feature order, but features with
// specks last, so that they are drawn on top of their neighbours.
func (b *tileBuild) features() []*geojson.Feature {
	ps := b.c.l.points
	type indexed struct {
		speck bool
		i     int32
		f     *geojson.Feature
	}
	out := make([]indexed, 0, len(b.points)+len(b.rest))
	for i, f := range b.points {
		c := f.p.c
		if b.into != nil {
			if b.into[i] != i {
				continue
			}
			if cl, ok := b.clusters[i]; ok {
				c = cl
			}
		}
		props := ps.properties(f.p.f.props, c)
		out = append(out, indexed{false, f.p.f.index, &geojson.Feature{ID: f.p.f.id, Geometry: f.g, Properties: props}})
	}
	for i, f := range b.rest {
		if b.dropped != nil && b.dropped[i] {
			continue
		}
		out = append(out, indexed{f.p.speck, f.p.f.index, &geojson.Feature{ID: f.p.f.id, Geometry: f.g, Properties: f.p.f.props}})
	}
	slices.SortStableFunc(out, func(a, b indexed) int {
		if a.speck != b.speck {
			if a.speck {
				return 1
			}
			return -1
		}
		return cmp.Compare(a.i, b.i)
	})
	fs := make([]*geojson.Feature, len(out))
	for i, o := range out {
		fs[i] = o.f
	}
	return fs
}

func (b *tileBuild) count() int {
	n := 0
	for i := range b.points {
		if b.into == nil || b.into[i] == i {
			n++
		}
	}
	for i := range b.rest {
		if b.dropped == nil || !b.dropped[i] {
			n++
		}
	}
	return n
}

func (b *tileBuild) encode() ([]byte, error) {
	return encodeTile(b.c.s.layer, b.c.s.extent, b.features())
}

// mark records what became of the tile's features, passing err through.
func (b *tileBuild) mark(err error) error {
	if err != nil {
		return err
	}
	st := b.c.status
	for i, f := range b.points {
		if b.into != nil && b.into[i] != i {
			st.merged.set(int(f.p.f.index))
		} else {
			st.kept.set(int(f.p.f.index))
		}
	}
	for i, f := range b.rest {
		if b.dropped == nil || !b.dropped[i] {
			st.kept.set(int(f.p.f.index))
		}
	}
	for _, i := range b.mergedAway {
		st.merged.set(int(i))
	}
	return nil
}
