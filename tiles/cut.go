package tiles

import (
	"context"
	"fmt"
	"math"
	"sync"

	"github.com/paulmach/orb"

	"github.com/outcrop/outcrop/tileset"
)

// splitWeight is the number of vertices above which a quadtree node is handed
// to the shared queue, where an idle worker can take it, rather than cut by
// the worker that made it. Smaller nodes are not worth the hand-over.
const splitWeight = 4096

// piece is the part of one feature's zoom geometry inside a quadtree node, in
// that zoom's world-pixel space.
type piece struct {
	f *feature
	g orb.Geometry
	b orb.Bound // g's bound
	// pt is the point's index in the layer's point set, or -1 for other
	// kinds; c is what a point stands for besides itself, or nil.
	pt int32
	c  *cluster
	// speck marks a feature drawn at the max zoom with parts too small for
	// the grid (see keepSpecks); tiles draw it after the others, on top.
	speck bool
}

func newPiece(f *feature, g orb.Geometry) piece {
	p := piece{f: f, g: g, pt: -1}
	if g != nil {
		p.b = geomBound(g)
	}
	return p
}

// clipped is p with its geometry clipped to g.
func (p piece) clipped(g orb.Geometry) piece {
	q := newPiece(p.f, g)
	q.pt, q.c, q.speck = p.pt, p.c, p.speck
	return q
}

// node is a square of the quadtree at level (zoom) level, holding the pieces
// clipped to its buffered bound; at the zoom being cut it is a tile.
type node struct {
	level, x, y int
	pieces      []piece
}

// encoded is a finished tile on its way to put, or the error that stopped it.
type encoded struct {
	z, x, y  int
	data     []byte
	features int
	err      error
}

// cutZoom cuts every tile of zoom z. The layer is generalised for the zoom in
// parallel, then split down the quadtree by the workers; finished tiles come
// back over a channel and are handed to put here, on the caller's goroutine.
func cutZoom(ctx context.Context, l *layer, z int, put func(tileset.Tile) error) (stats tileset.ZoomStats, err error) {
	s := l.s
	stats.Zoom = z
	pieces, cov, status, err := l.zoomPieces(ctx, z)
	if err != nil {
		return stats, err
	}
	defer func() { status.fill(&stats, l) }()
	if len(pieces) == 0 {
		return stats, nil
	}

	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	out := make(chan encoded, 2*s.workers)
	c := &cutter{ctx: cctx, s: s, l: l, cov: cov, zoom: z, out: out, status: status}
	c.cond = sync.NewCond(&c.mu)
	go func() {
		c.run(node{pieces: pieces})
		close(out)
	}()

	var failed error
	for t := range out {
		if failed != nil {
			continue // drain until the workers have stopped
		}
		err := t.err
		if err == nil {
			if err = put(tileset.Tile{Z: t.z, X: t.x, Y: t.y, Data: t.data}); err != nil {
				err = fmt.Errorf("tiles: storing tile %d/%d/%d: %w", t.z, t.x, t.y, err)
			}
		}
		if err != nil {
			failed = err
			cancel()
			continue
		}
		stats.Tiles++
		stats.Bytes += int64(len(t.data))
		stats.MaxBytes = max(stats.MaxBytes, int64(len(t.data)))
		stats.Features += int64(t.features)
	}
	if failed != nil {
		return stats, failed
	}
	return stats, ctx.Err()
}

// cutter splits one zoom's pieces down the quadtree on a pool of workers. A
// worker cuts a node's children itself, depth first, unless a child is big
// enough to be worth sharing; then it goes on a stack that idle workers pop.
// Depth first keeps memory to the pieces along a few paths of the tree.
type cutter struct {
	ctx    context.Context
	s      settings
	l      *layer
	cov    *coverage // the zoom's polygons, or nil
	zoom   int
	out    chan<- encoded
	status *zoomStatus

	mu     sync.Mutex
	cond   *sync.Cond
	stack  []node
	active int // nodes on the stack or being cut
	// coarse holds the zoom's coverage merged further, by threshold, for
	// tiles over their limits.
	coarseMu sync.Mutex
	coarse   map[float64]*coverage
}

func (c *cutter) run(root node) {
	c.push(root)
	var wg sync.WaitGroup
	for range c.s.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				n, ok := c.pop()
				if !ok {
					return
				}
				c.cut(n)
				c.done()
			}
		}()
	}
	wg.Wait()
}

func (c *cutter) push(n node) {
	c.mu.Lock()
	c.stack = append(c.stack, n)
	c.active++
	c.mu.Unlock()
	c.cond.Signal()
}

// pop waits for a node; it reports false once the stack is empty and no
// worker is cutting a node that could push more.
func (c *cutter) pop() (node, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for len(c.stack) == 0 && c.active > 0 {
		c.cond.Wait()
	}
	if len(c.stack) == 0 {
		return node{}, false
	}
	n := c.stack[len(c.stack)-1]
	c.stack[len(c.stack)-1] = node{}
	c.stack = c.stack[:len(c.stack)-1]
	return n, true
}

func (c *cutter) done() {
	c.mu.Lock()
	c.active--
	if c.active == 0 {
		c.cond.Broadcast()
	}
	c.mu.Unlock()
}

// cut encodes n if it is a tile, or clips its pieces to each of its four
// children and cuts those.
func (c *cutter) cut(n node) {
	if c.ctx.Err() != nil {
		return
	}
	if n.level == c.zoom {
		c.encode(n)
		return
	}
	level := n.level + 1
	size := float64(c.s.extent) * math.Exp2(float64(c.zoom-level))
	buf := c.s.buffer
	for i := range 4 {
		x, y := 2*n.x+i%2, 2*n.y+i/2
		b := orb.Bound{
			Min: orb.Point{float64(x)*size - buf, float64(y)*size - buf},
			Max: orb.Point{float64(x+1)*size + buf, float64(y+1)*size + buf},
		}
		child := node{level: level, x: x, y: y}
		weight := 0
		for _, p := range n.pieces {
			g := clipGeometry(p.g, p.b, b)
			switch {
			case g == nil:
				continue
			case within(p.b, b): // unchanged
				child.pieces = append(child.pieces, p)
			default:
				child.pieces = append(child.pieces, p.clipped(g))
			}
			weight += VertexCount(g)
		}
		switch {
		case len(child.pieces) == 0:
		case level < c.zoom && weight >= splitWeight:
			c.push(child)
		default:
			c.cut(child)
		}
	}
}

// encode quantises a tile's pieces, encodes those that survive, within the
// tile's limits, and sends the tile on; a tile left with no features is not
// sent.
func (c *cutter) encode(n node) {
	ox, oy := float64(n.x)*float64(c.s.extent), float64(n.y)*float64(c.s.extent)
	tf := make([]tileFeature, 0, len(n.pieces))
	for i := range n.pieces {
		p := &n.pieces[i]
		if g := validTileGeometry(p.g, ox, oy, float64(c.s.extent)); g != nil {
			tf = append(tf, tileFeature{p: p, g: g})
		}
	}
	if len(tf) == 0 {
		return
	}
	data, features, err := c.fit(n, tf)
	if err != nil {
		select {
		case c.out <- encoded{err: err}:
		case <-c.ctx.Done():
		}
		return
	}
	select {
	case c.out <- encoded{z: n.level, x: n.x, y: n.y, data: data, features: features}:
	case <-c.ctx.Done():
	}
}

// VertexCount is the number of vertices of g as stored, closing vertices of
// rings included: the measure of how much cutting work a geometry is, and of
// an input's size in benchmarks.
func VertexCount(g orb.Geometry) int {
	switch g := g.(type) {
	case orb.Point:
		return 1
	case orb.MultiPoint:
		return len(g)
	case orb.LineString:
		return len(g)
	case orb.MultiLineString:
		n := 0
		for _, ls := range g {
			n += len(ls)
		}
		return n
	case orb.Polygon:
		n := 0
		for _, r := range g {
			n += len(r)
		}
		return n
	case orb.MultiPolygon:
		n := 0
		for _, p := range g {
			for _, r := range p {
				n += len(r)
			}
		}
		return n
	case orb.Collection:
		n := 0
		for _, c := range g {
			n += VertexCount(c)
		}
		return n
	}
	return 0
}
