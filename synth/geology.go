package synth

import (
	"fmt"
	"iter"
	"math"
	"math/rand/v2"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// GeologyOptions sets the size, detail and randomness of a synthetic
// geological map. The zero value gives the demo map.
type GeologyOptions struct {
	// Units is the number of map units, that is of features: 0 means
	// DefaultUnits. About one in twelve is an intrusion, drawn as a hole in
	// its host, and about one in twenty has two separate parts.
	Units int
	// VerticesPerEdge is the number of segments in each contact between two
	// neighbouring cells of the underlying grid (a unit's boundary has about
	// fourteen such contacts). 0 picks a detail that keeps the whole map near
	// a million vertices, at least 8 per contact: about 2,500 vertices per
	// unit at the default size, about 6 million in all for 50,000 units.
	VerticesPerEdge int
	// Seed selects the map; the same options always give the same map.
	Seed uint64
}

// DefaultUnits is the number of units of the demo map.
const DefaultUnits = 400

// Limits on the options: below minUnits a map cannot hold both holes and
// multi-part units; above maxUnits memory would run to gigabytes.
const (
	minUnits           = 10
	maxUnits           = 1_000_000
	maxVerticesPerEdge = 4096
	// vertexBudget is the map's vertex count that VerticesPerEdge 0 aims at.
	vertexBudget    = 1_000_000
	minAutoVertices = 8
	maxAutoVertices = 512
	cellsPerCluster = 4
)

// Independent random streams, so that changing how one stage draws does not
// reshuffle the others.
const (
	streamLayout uint64 = 0x6c61796f7574 + iota
	streamContacts
	streamIntrusions
)

// geology is a built map: a cell grid, the unit of every cell, and the
// fractal geometry of every contact between different units.
type geology struct {
	g        *grid
	legend   *legend
	cellUnit []int32
	codes    []string // by unit; intrusions follow the grown units
	domains  []int    // by unit
	// unitCells[unitStart[u]:unitStart[u+1]] are the cells of grown unit u.
	unitStart []int32
	unitCells []int32
	intrusion []placement
	cellIntr  []int32     // the intrusion in each cell, or -1
	rings     []orb.Ring  // by intrusion, anticlockwise
	contactAt []int32     // offset of each edge's interior vertices, or -1
	vertices  []orb.Point // interior vertices of all contacts
	perEdge   int         // segments per contact
}

// Geology builds a synthetic geological map of northern Thailand and returns
// its units, one feature each, in a deterministic order. Building holds the
// map's topology and each contact's vertices once in memory (some 75 MB for
// 50,000 units); a feature's rings are assembled only when the sequence
// reaches it, so a large map streams to a writer without being held twice.
// The sequence may be walked any number of times, concurrently.
func Geology(opts GeologyOptions) (iter.Seq[*geojson.Feature], error) {
	m, err := buildGeology(opts)
	if err != nil {
		return nil, err
	}
	return m.features, nil
}

func buildGeology(opts GeologyOptions) (*geology, error) {
	if opts.Units == 0 {
		opts.Units = DefaultUnits
	}
	if opts.Units < minUnits || opts.Units > maxUnits {
		return nil, fmt.Errorf("synth geology: units %d is out of range; use %d to %d", opts.Units, minUnits, maxUnits)
	}
	if opts.VerticesPerEdge < 0 || opts.VerticesPerEdge > maxVerticesPerEdge {
		return nil, fmt.Errorf("synth geology: vertices per edge %d is out of range; use 1 to %d, or 0 for automatic", opts.VerticesPerEdge, maxVerticesPerEdge)
	}
	l, err := loadLegend()
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(opts.Seed, streamLayout))
	lay := newLayout(l, rng)

	// Plan: grow enough clusters that, after pairing some into multi-part
	// units, adding intrusions brings the count to exactly opts.Units.
	n := opts.Units
	wantIntrusions := max(1, int(math.Round(0.08*float64(n))))
	wantMerges := max(1, int(math.Round(0.05*float64(n))))
	clusters := n - wantIntrusions + wantMerges
	g := newGrid(clusters*cellsPerCluster, rng)
	owner, seeds := growClusters(g, clusters, rng)
	unitOf, grown := mergeClusters(groupAdjacency(g, owner, clusters), clusters, wantMerges, rng)

	m := &geology{g: g, legend: l, cellUnit: make([]int32, g.cells())}
	for c, k := range owner {
		m.cellUnit[c] = unitOf[k]
	}
	anchor := make([]int32, grown)
	for i := range anchor {
		anchor[i] = -1
	}
	for k, u := range unitOf {
		if anchor[u] < 0 {
			anchor[u] = seeds[k]
		}
	}
	m.codes, m.domains = assignCodes(lay, groupAdjacency(g, m.cellUnit, grown), anchor, g, rng)
	m.indexUnits(grown)

	m.intrusion = placeIntrusions(lay, g, m.cellUnit, m.codes, n-grown, rng)
	if len(m.intrusion) != n-grown {
		return nil, fmt.Errorf("synth geology: found room for %d of %d intrusions; choose another seed or more units", len(m.intrusion), n-grown)
	}
	m.cellIntr = make([]int32, g.cells())
	for i := range m.cellIntr {
		m.cellIntr[i] = -1
	}
	for i, p := range m.intrusion {
		m.cellIntr[p.cell] = int32(i)
		m.codes = append(m.codes, p.code)
		m.domains = append(m.domains, p.domain)
	}

	m.perEdge = opts.VerticesPerEdge
	if m.perEdge == 0 {
		m.perEdge = m.autoDetail()
	}
	m.drawContacts(opts.Seed)
	m.drawIntrusions(opts.Seed)
	return m, nil
}

// indexUnits lists the cells of each grown unit.
func (m *geology) indexUnits(units int) {
	m.unitStart = make([]int32, units+1)
	for _, u := range m.cellUnit {
		m.unitStart[u+1]++
	}
	for u := 0; u < units; u++ {
		m.unitStart[u+1] += m.unitStart[u]
	}
	m.unitCells = make([]int32, len(m.cellUnit))
	fill := append([]int32(nil), m.unitStart[:units]...)
	for c, u := range m.cellUnit {
		m.unitCells[fill[u]] = int32(c)
		fill[u]++
	}
}

// isContact reports whether edge e separates two different units inside the
// map, and so is drawn as a fractal; the map's frame stays straight.
func (m *geology) isContact(e edge) bool {
	return e.left != outside && e.right != outside && m.cellUnit[e.left] != m.cellUnit[e.right]
}

// autoDetail picks the segments per contact that spend the vertex budget:
// every contact is written twice, once in each neighbouring unit.
func (m *geology) autoDetail() int {
	contacts := 0
	for _, e := range m.g.edges {
		if m.isContact(e) {
			contacts++
		}
	}
	return min(maxAutoVertices, max(minAutoVertices, vertexBudget/(2*max(contacts, 1))))
}

// drawContacts draws every contact. Each is seeded by its end nodes, so it
// does not depend on the order contacts are drawn in.
func (m *geology) drawContacts(seed uint64) {
	g := m.g
	m.contactAt = make([]int32, len(g.edges))
	count := 0
	for i, e := range g.edges {
		m.contactAt[i] = -1
		if m.isContact(e) {
			m.contactAt[i] = int32(count * (m.perEdge - 1))
			count++
		}
	}
	m.vertices = make([]orb.Point, 0, count*(m.perEdge-1))
	pcg := rand.NewPCG(0, 0)
	rng := rand.New(pcg)
	scratch := make([]float64, m.perEdge+1)
	for i, e := range g.edges {
		if m.contactAt[i] < 0 {
			continue
		}
		pcg.Seed(seed^streamContacts, uint64(e.a)<<32|uint64(e.b))
		m.vertices = contact(m.vertices, g.nodes[e.a], g.nodes[e.b], g.center[e.left], g.center[e.right], m.perEdge, rng, scratch)
	}
}

// drawIntrusions draws each intrusion's ring inside its cell.
func (m *geology) drawIntrusions(seed uint64) {
	g := m.g
	pcg := rand.NewPCG(0, 0)
	rng := rand.New(pcg)
	vertices := min(2048, max(24, 3*m.perEdge))
	scratch := make([]float64, vertices+1)
	m.rings = make([]orb.Ring, len(m.intrusion))
	for i, p := range m.intrusion {
		var bounds [][2]orb.Point
		for _, e := range g.edgesOf(p.cell) {
			bounds = append(bounds, [2]orb.Point{g.nodes[g.edges[e].a], g.nodes[g.edges[e].b]})
		}
		pcg.Seed(seed^streamIntrusions, uint64(p.cell))
		m.rings[i] = intrusion(g.center[p.cell], bounds, vertices, rng, scratch)
	}
}

// features yields every unit as a feature: grown units first, then
// intrusions, with ids from 1.
func (m *geology) features(yield func(*geojson.Feature) bool) {
	a := m.newAssembler()
	for u := range m.codes {
		var geom orb.MultiPolygon
		if u < len(m.unitStart)-1 {
			geom = a.unit(int32(u))
		} else {
			geom = orb.MultiPolygon{{m.rings[u-len(m.unitStart)+1]}}
		}
		if !yield(m.feature(u, geom)) {
			return
		}
	}
}

// feature wraps a unit's geometry with its legend attributes.
func (m *geology) feature(u int, geom orb.MultiPolygon) *geojson.Feature {
	lu := m.legend.unit(m.codes[u])
	f := geojson.NewFeature(geom)
	f.ID = u + 1
	f.Properties["code"] = lu.Code
	f.Properties["name"] = lu.Name
	f.Properties["name_th"] = lu.NameTH
	f.Properties["lithology"] = lu.Lithology
	f.Properties["rock_type"] = lu.RockType
	f.Properties["age"] = lu.Age
	f.Properties["min_age_ma"] = lu.MinAgeMa
	f.Properties["max_age_ma"] = lu.MaxAgeMa
	f.Properties["domain"] = m.legend.Domains[m.domains[u]].Name
	f.Properties["source"] = Source
	return f
}
