package synth

import (
	"math"
	"math/rand/v2"

	"github.com/paulmach/orb"
)

// outside is the cell index of everything beyond the mapped rectangle.
const outside = -1

// edge is a straight contact between two nodes with a cell on each side:
// left and right as seen walking from a to b.
type edge struct {
	a, b        int32
	left, right int32
	vertical    bool // separates cells of one row, rather than two rows
}

// grid is a partition of the region into cells: a staggered "brick" layout
// drawn as jittered hexagons. Every node inside the region joins exactly
// three edges, so no two cells meet at a single point; any union of cells
// then has simple, non-touching boundary rings, which keeps every polygon
// built from cells valid without any geometric repair.
type grid struct {
	nodes  []orb.Point
	edges  []edge
	center []orb.Point // a point each cell is star-shaped around
	// cellEdges[cellStart[c]:cellStart[c+1]] are the edges around cell c.
	cellStart []int32
	cellEdges []int32
}

// Jitter, as fractions of the node spacing: bounded so that every cell stays
// star-shaped around the mean of its nodes.
const (
	jitterX = 0.3
	jitterY = 0.15
	// zigzag is how far, as a fraction of a row's height, inner nodes move
	// up or down to turn bricks into hexagons: a sixth for regular ones.
	zigzag = 1.0 / 6
	// elongation is a cell's height over its width: northern Thailand's
	// geology is drawn out north-south, and so are the units grown from cells.
	elongation = 1.6
)

// newGrid partitions the region into about n cells, each with jittered
// corners.
func newGrid(n int, rng *rand.Rand) *grid {
	W, H := region.Max[0]-region.Min[0], region.Max[1]-region.Min[1]
	cols := max(2, int(math.Round(math.Sqrt(float64(n)*elongation*W/H))))
	rows := max(2, int(math.Round(float64(n)/float64(cols))))
	w, h := W/float64(cols), H/float64(rows)
	stride := 2*cols + 1 // node positions per line, in half-brick steps

	// A line l (y = l·h) holds a node at half-brick step m where a row
	// touching it has a vertical boundary: even rows at even m, odd rows at
	// odd m and at both ends.
	hasNode := func(l, m int) bool {
		if m == 0 || m == 2*cols {
			return true
		}
		if l == 0 {
			return m%2 == 0
		}
		if l == rows {
			return (rows-1)%2 == m%2
		}
		return true
	}
	g := &grid{}
	bend := newWarp(rng)
	nodeID := make([]int32, (rows+1)*stride)
	for l := 0; l <= rows; l++ {
		for m := 0; m < stride; m++ {
			if !hasNode(l, m) {
				nodeID[l*stride+m] = -1
				continue
			}
			x := region.Min[0] + float64(m)*w/2
			y := region.Min[1] + float64(l)*h
			// Zigzag the inner lines into hexagons: a node that is a corner
			// of the row above is the apex of the brick below, and so sits
			// higher, and the other way round. Cells then meet at about 120°,
			// like a Voronoi diagram, rather than as a wall of bricks.
			if l > 0 && l < rows && m > 0 && m < 2*cols {
				if isBoundary(l, m, cols) {
					y += zigzag * h
				} else {
					y -= zigzag * h
				}
			}
			// Boundary nodes slide only along the boundary, so the region
			// stays an exact rectangle.
			if m > 0 && m < 2*cols {
				x += (2*rng.Float64() - 1) * jitterX * w / 2
			}
			if l > 0 && l < rows {
				y += (2*rng.Float64() - 1) * jitterY * h
			}
			nodeID[l*stride+m] = int32(len(g.nodes))
			g.nodes = append(g.nodes, bend.apply(orb.Point{x, y}))
		}
	}

	rowStart := make([]int32, rows+1)
	for j := 0; j < rows; j++ {
		rowStart[j+1] = rowStart[j] + int32(bricksInRow(j, cols))
	}
	// brickFrom is the cell of row j whose bottom or top spans the half-brick
	// step starting at m.
	brickFrom := func(j, m int) int32 {
		if j < 0 || j >= rows {
			return outside
		}
		if j%2 == 0 {
			return rowStart[j] + int32(m/2)
		}
		return rowStart[j] + int32((m+1)/2)
	}
	// Horizontal edges: consecutive nodes of a line, the row above on the left.
	for l := 0; l <= rows; l++ {
		prev := -1
		for m := 0; m < stride; m++ {
			if nodeID[l*stride+m] < 0 {
				continue
			}
			if prev >= 0 {
				g.edges = append(g.edges, edge{
					a: nodeID[l*stride+prev], b: nodeID[l*stride+m],
					left: brickFrom(l, prev), right: brickFrom(l-1, prev),
				})
			}
			prev = m
		}
	}
	// Vertical edges: each row's brick boundaries, upwards, so the brick to
	// the west is on the left.
	for j := 0; j < rows; j++ {
		for m := 0; m < stride; m++ {
			if !isBoundary(j, m, cols) {
				continue
			}
			west, east := int32(outside), int32(outside)
			if m > 0 {
				west = brickFrom(j, m-1)
			}
			if m < 2*cols {
				east = brickFrom(j, m)
			}
			g.edges = append(g.edges, edge{
				a: nodeID[j*stride+m], b: nodeID[(j+1)*stride+m],
				left: west, right: east, vertical: true,
			})
		}
	}
	g.indexCells(int(rowStart[rows]))
	return g
}

// bricksInRow is the number of cells in row j: odd rows are offset by half a
// brick and so have a half brick at each end.
func bricksInRow(j, cols int) int {
	if j%2 == 0 {
		return cols
	}
	return cols + 1
}

// isBoundary reports whether row j has a vertical cell boundary at half-brick
// step m.
func isBoundary(j, m, cols int) bool {
	if m == 0 || m == 2*cols {
		return true
	}
	return m%2 == j%2
}

// indexCells lists each cell's edges and picks the point it is star-shaped
// around: the mean of its nodes.
func (g *grid) indexCells(cells int) {
	count := make([]int32, cells+1)
	for _, e := range g.edges {
		for _, c := range [2]int32{e.left, e.right} {
			if c != outside {
				count[c+1]++
			}
		}
	}
	g.cellStart = make([]int32, cells+1)
	for c := 0; c < cells; c++ {
		g.cellStart[c+1] = g.cellStart[c] + count[c+1]
	}
	g.cellEdges = make([]int32, g.cellStart[cells])
	fill := append([]int32(nil), g.cellStart[:cells]...)
	g.center = make([]orb.Point, cells)
	for i, e := range g.edges {
		// Each node of a cell starts exactly one of the cell's edges when
		// walked anticlockwise, so summing the start nodes sums each node once.
		if e.left != outside {
			g.cellEdges[fill[e.left]] = int32(i)
			fill[e.left]++
			g.center[e.left] = add(g.center[e.left], g.nodes[e.a])
		}
		if e.right != outside {
			g.cellEdges[fill[e.right]] = int32(i)
			fill[e.right]++
			g.center[e.right] = add(g.center[e.right], g.nodes[e.b])
		}
	}
	for c := range g.center {
		k := float64(g.cellStart[c+1] - g.cellStart[c])
		g.center[c] = orb.Point{g.center[c][0] / k, g.center[c][1] / k}
	}
}

// cells is the number of cells.
func (g *grid) cells() int { return len(g.center) }

// edgesOf returns the edges around cell c.
func (g *grid) edgesOf(c int32) []int32 { return g.cellEdges[g.cellStart[c]:g.cellStart[c+1]] }

// across returns the cell on the other side of edge e from cell c.
func (g *grid) across(e int32, c int32) int32 {
	if g.edges[e].left == c {
		return g.edges[e].right
	}
	return g.edges[e].left
}

func add(p, q orb.Point) orb.Point { return orb.Point{p[0] + q[0], p[1] + q[1]} }

// roundCM rounds a coordinate to the centimetre, a survey's precision, which
// also keeps the written file compact.
func roundCM(v float64) float64 { return math.Round(v*100) / 100 }

// warp bends the grid at the scale of the whole map, so that rows and
// columns of cells wander as a region's structural grain does instead of
// running ruler-straight. It is a sum of long sine waves, tapered to nothing
// at the region's edges so the frame stays a rectangle. Each wave's slope is
// at most 2π·4 km/180 km, so the bend's is below 0.3: gentle enough that
// every cell keeps its shape.
type warp struct {
	waves [4]wave
}

type wave struct {
	kx, ky, phase, amp float64
	alongX             bool // displaces x, otherwise y
}

func newWarp(rng *rand.Rand) warp {
	var w warp
	for i := range w.waves {
		length := 180000 + 140000*rng.Float64()
		dir := rng.Float64() * math.Pi
		w.waves[i] = wave{
			kx:     2 * math.Pi / length * math.Cos(dir),
			ky:     2 * math.Pi / length * math.Sin(dir),
			phase:  rng.Float64() * 2 * math.Pi,
			amp:    2500 + 1500*rng.Float64(),
			alongX: i%2 == 0,
		}
	}
	return w
}

// apply moves p, rounded to the centimetre.
func (w warp) apply(p orb.Point) orb.Point {
	u := (p[0] - region.Min[0]) / (region.Max[0] - region.Min[0])
	v := (p[1] - region.Min[1]) / (region.Max[1] - region.Min[1])
	taper := math.Sin(math.Pi*u) * math.Sin(math.Pi*v)
	q := p
	for _, wv := range w.waves {
		d := taper * wv.amp * math.Sin(wv.kx*p[0]+wv.ky*p[1]+wv.phase)
		if wv.alongX {
			q[0] += d
		} else {
			q[1] += d
		}
	}
	return orb.Point{roundCM(q[0]), roundCM(q[1])}
}
