package tiles

import (
	"context"
	"math"
	"math/bits"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/paulmach/orb"

	"github.com/outcrop/outcrop/tileset"
)

// layer is the input made ready once for every zoom: the features in world
// units, the polygons' coverage topology with its merge plan, and the single
// points in grid order.
type layer struct {
	s       settings
	feats   []feature
	topo    *topology
	merges  []merge
	points  *pointSet
	arcsBuf []orb.Point // scratch for the simplified arcs of a zoom
}

func newLayer(feats []feature, s settings) *layer {
	l := &layer{s: s, feats: feats}
	polygons := slices.ContainsFunc(feats, func(f feature) bool { return f.kind == kindPolygon })
	if polygons {
		l.topo = buildTopology(feats)
		for i := range feats {
			if feats[i].kind == kindPolygon {
				feats[i].geom = nil // the topology holds it now
			}
		}
		// Plan far enough for tiles too large to merge further.
		l.merges = l.topo.mergeOrder(l.pixelArea(s.minZoom) * math.Pow(4, maxMergeSteps))
	}
	l.points = newPointSet(feats, s)
	return l
}

// pixelArea is the area of a pixel at zoom z in world units².
func (l *layer) pixelArea(z int) float64 {
	px := l.s.pixel / (float64(l.s.extent) * math.Exp2(float64(z)))
	return px * px
}

// threshold is the area, in world units², below which polygons are not drawn
// on their own at zoom z: a pixel's, and none at the max zoom, where every
// feature is drawn.
func (l *layer) threshold(z int) float64 {
	if z >= l.s.maxZoom {
		return 0
	}
	return l.pixelArea(z)
}

// zoomPieces generalises the layer for zoom z: one piece per feature drawn,
// in feature order, in the zoom's world-pixel space.
func (l *layer) zoomPieces(ctx context.Context, z int) ([]piece, *coverage, *zoomStatus, error) {
	s := l.s
	status := newZoomStatus(len(l.feats))
	scale := float64(s.extent) * math.Exp2(float64(z))
	var cov *coverage
	if l.topo != nil {
		cov, l.arcsBuf = zoomCoverage(ctx, l.topo, l.merges, l.threshold(z), scale, s.tolerance, s.workers, l.arcsBuf)
	}
	pieces := make([]piece, len(l.feats))
	var mu sync.Mutex
	err := forEachChunk(ctx, len(l.feats), s.workers, func(lo, hi int) {
		var mergedArea, droppedArea float64
		for i := lo; i < hi; i++ {
			f := &l.feats[i]
			var g orb.Geometry
			switch f.kind {
			case kindPoint:
				continue // below
			case kindMultiPoint:
				g = zoomGeometry(f.geom, scale, 0)
			case kindLine:
				g = zoomGeometry(f.geom, scale, s.tolerance)
				if z < s.maxZoom {
					g = dropShortLines(g, s.pixel)
				}
			case kindPolygon:
				var merged bool
				var ma, da float64
				g, merged, ma, da = cov.featureGeometry(i)
				if merged {
					status.merged.set(i)
				}
				mergedArea += ma
				droppedArea += da
			}
			var speck bool
			if z == s.maxZoom && (f.kind == kindLine || f.kind == kindPolygon) {
				g, speck = keepSpecks(g)
			}
			if g != nil {
				pieces[i] = newPiece(f, g)
				pieces[i].speck = speck
				status.drawn.set(i)
			}
		}
		mu.Lock()
		status.mergedArea += mergedArea
		status.droppedArea += droppedArea
		mu.Unlock()
	})
	if err != nil {
		return nil, nil, nil, err
	}

	ps := l.points
	var kept []clusterPoint
	if z < s.maxZoom {
		kept = ps.thin(z)
		for k := range ps.feature {
			status.merged.set(int(ps.feature[k])) // unless kept, below
		}
	} else {
		kept = make([]clusterPoint, len(ps.feature))
		for k := range kept {
			kept[k].k = int32(k)
		}
	}
	for _, cp := range kept {
		i := ps.feature[cp.k]
		f := &l.feats[i]
		pt := f.geom.(orb.Point)
		p := newPiece(f, orb.Point{pt[0] * scale, pt[1] * scale})
		p.pt, p.c = cp.k, cp.c
		pieces[i] = p
		status.drawn.set(int(i))
	}

	out := pieces[:0]
	for _, p := range pieces {
		if p.g != nil {
			out = append(out, p)
		}
	}
	return out, cov, status, nil
}

// dropShortLines leaves out the lines of g shorter than least world pixels.
func dropShortLines(g orb.Geometry, least float64) orb.Geometry {
	switch g := g.(type) {
	case orb.LineString:
		if lineLength(g) < least {
			return nil
		}
	case orb.MultiLineString:
		out := g[:0]
		for _, ls := range g {
			if lineLength(ls) >= least {
				out = append(out, ls)
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	}
	return g
}

// zoomStatus records, for one zoom, what became of every feature, set
// concurrently by the workers.
type zoomStatus struct {
	drawn  bitset // given geometry at this zoom, before tiles' limits
	kept   bitset // encoded in at least one tile
	merged bitset // counted in another feature somewhere
	// World areas of polygons merged into other features and of those
	// dropped as isolated specks, before tiles' limits.
	mergedArea, droppedArea float64
}

func newZoomStatus(n int) *zoomStatus {
	return &zoomStatus{drawn: newBitset(n), kept: newBitset(n), merged: newBitset(n)}
}

// fill writes the zoom's feature accounting into stats.
func (st *zoomStatus) fill(stats *tileset.ZoomStats, l *layer) {
	var kept, merged int
	mergedArea, droppedArea := st.mergedArea, st.droppedArea
	for w := range st.kept {
		k, m, d := st.kept[w].Load(), st.merged[w].Load(), st.drawn[w].Load()
		kept += bits.OnesCount64(k)
		merged += bits.OnesCount64(m &^ k)
		// Polygons drawn for the zoom but in no tile were merged or dropped
		// to keep tiles within their limits, or rounded away.
		for lost := d &^ k; lost != 0; lost &= lost - 1 {
			f := &l.feats[w*64+bits.TrailingZeros64(lost)]
			if f.kind != kindPolygon {
				continue
			}
			if m&(1<<(f.index%64)) != 0 {
				mergedArea += f.size
			} else {
				droppedArea += f.size
			}
		}
	}
	stats.Kept = int64(kept)
	stats.Merged = int64(merged)
	stats.Dropped = int64(len(l.feats) - kept - merged)
	if l.topo != nil && l.topo.totalArea > 0 {
		stats.MergedArea = math.Min(1, mergedArea/l.topo.totalArea)
		stats.DroppedArea = math.Min(1, droppedArea/l.topo.totalArea)
	}
}

// bitset is a set of feature indices safe for concurrent setting.
type bitset []atomic.Uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (b bitset) set(i int) { b[i/64].Or(1 << (i % 64)) }

func (b bitset) has(i int) bool { return b[i/64].Load()&(1<<(i%64)) != 0 }
