package synth

import (
	"bytes"
	"encoding/binary"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"
)

// geologyFeatures builds a map and collects its features.
func geologyFeatures(t testing.TB, opts GeologyOptions) []*geojson.Feature {
	t.Helper()
	seq, err := Geology(opts)
	if err != nil {
		t.Fatalf("Geology(%+v): %v", opts, err)
	}
	var fs []*geojson.Feature
	for f := range seq {
		fs = append(fs, f)
	}
	return fs
}

// demoMap returns the map `outcrop synth geology` writes by default, built
// once for all tests.
func demoMap(t testing.TB) []*geojson.Feature {
	t.Helper()
	fs, err := buildDemoMap()
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

var buildDemoMap = sync.OnceValues(func() ([]*geojson.Feature, error) {
	seq, err := Geology(GeologyOptions{})
	if err != nil {
		return nil, err
	}
	return slices.Collect(seq), nil
})

// ringKey identifies a ring by its exact vertices, in order.
func ringKey(r orb.Ring) string {
	b := make([]byte, 0, 16*len(r))
	for _, p := range r {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(p[0]))
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(p[1]))
	}
	return string(b)
}

func multiPolygon(t testing.TB, f *geojson.Feature) orb.MultiPolygon {
	t.Helper()
	mp, ok := f.Geometry.(orb.MultiPolygon)
	if !ok {
		t.Fatalf("feature %v: geometry is %T, want orb.MultiPolygon", f.ID, f.Geometry)
	}
	return mp
}

func TestGeologyHasExactlyTheUnitsAskedFor(t *testing.T) {
	for _, n := range []int{10, 11, 57, 333} {
		fs := geologyFeatures(t, GeologyOptions{Units: n, VerticesPerEdge: 4, Seed: uint64(n)})
		if len(fs) != n {
			t.Errorf("Units %d: got %d features", n, len(fs))
		}
		for i, f := range fs {
			if f.ID != i+1 {
				t.Errorf("Units %d: feature %d has id %v, want %d", n, i, f.ID, i+1)
				break
			}
		}
	}
	if got := len(demoMap(t)); got != DefaultUnits {
		t.Errorf("default map has %d units, want %d", got, DefaultUnits)
	}
}

// TestGeologyIsACoverage checks that units tile the region exactly: every
// segment inside the region is walked once each way (by the units either
// side of it), every segment on the frame once, and the areas add up.
func TestGeologyIsACoverage(t *testing.T) {
	cases := map[string][]*geojson.Feature{
		"demo":          demoMap(t),
		"coarse":        geologyFeatures(t, GeologyOptions{Units: 40, VerticesPerEdge: 3, Seed: 99}),
		"many units":    geologyFeatures(t, GeologyOptions{Units: 3000, VerticesPerEdge: 6, Seed: 5}),
		"straight only": geologyFeatures(t, GeologyOptions{Units: 25, VerticesPerEdge: 1, Seed: 2}),
	}
	for name, fs := range cases {
		t.Run(name, func(t *testing.T) {
			segments := make(map[[2]orb.Point]int)
			area := 0.0
			for _, f := range fs {
				for _, poly := range multiPolygon(t, f) {
					for i, ring := range poly {
						if !ring.Closed() {
							t.Fatalf("unit %v: ring %d is not closed", f.ID, i)
						}
						// Outer rings anticlockwise, holes clockwise (RFC 7946).
						if a := planar.Area(ring); (i == 0) != (a > 0) {
							t.Fatalf("unit %v: ring %d has signed area %g", f.ID, i, a)
						}
						for k := 1; k < len(ring); k++ {
							if ring[k-1] == ring[k] {
								t.Fatalf("unit %v: ring %d repeats vertex %v", f.ID, i, ring[k])
							}
							segments[[2]orb.Point{ring[k-1], ring[k]}]++
						}
					}
				}
				area += planar.Area(f.Geometry)
			}
			for s, n := range segments {
				if n != 1 {
					t.Fatalf("segment %v is walked %d times the same way: units overlap", s, n)
				}
				back := segments[[2]orb.Point{s[1], s[0]}]
				if onFrame(s) {
					if back != 0 {
						t.Fatalf("frame segment %v is walked both ways", s)
					}
				} else if back != 1 {
					t.Fatalf("segment %v has no neighbour walking it back: a gap or a mismatched border", s)
				}
			}
			want := region.Max.X() - region.Min.X()
			want *= region.Max.Y() - region.Min.Y()
			if rel := math.Abs(area-want) / want; rel > 1e-6 {
				t.Errorf("units cover %.0f m², region is %.0f m² (relative difference %g)", area, want, rel)
			}
		})
	}
}

// onFrame reports whether a segment runs along the region's edge.
func onFrame(s [2]orb.Point) bool {
	p, q := s[0], s[1]
	return (p[0] == q[0] && (p[0] == region.Min[0] || p[0] == region.Max[0])) ||
		(p[1] == q[1] && (p[1] == region.Min[1] || p[1] == region.Max[1]))
}

func TestGeologyHasIntrusionHolesAndMultiPartUnits(t *testing.T) {
	fs := demoMap(t)
	islands := make(map[string]*geojson.Feature) // single-ring units, by their ring
	for _, f := range fs {
		if mp := multiPolygon(t, f); len(mp) == 1 && len(mp[0]) == 1 {
			islands[ringKey(mp[0][0])] = f
		}
	}
	intrusions, multiPart := 0, 0
	for _, f := range fs {
		mp := multiPolygon(t, f)
		if len(mp) > 1 {
			multiPart++
			seen := make(map[orb.Point]int)
			for i, poly := range mp {
				for _, ring := range poly {
					for _, p := range ring {
						if j, ok := seen[p]; ok && j != i {
							t.Errorf("unit %v: parts %d and %d touch at %v; parts must be apart", f.ID, j, i, p)
						}
						seen[p] = i
					}
				}
			}
		}
		for _, poly := range mp {
			for _, hole := range poly[1:] {
				back := append(orb.Ring(nil), hole...)
				back.Reverse()
				in, ok := islands[ringKey(back)]
				if !ok || in.Properties["rock_type"] != "plutonic" {
					continue
				}
				intrusions++
				// An intrusion cannot be older than the rock it intrudes.
				if in.Properties["max_age_ma"].(float64) > f.Properties["max_age_ma"].(float64) ||
					in.Properties["min_age_ma"].(float64) > f.Properties["min_age_ma"].(float64) {
					t.Errorf("intrusion %v (%v) is older than its host %v (%v)", in.ID, in.Properties["age"], f.ID, f.Properties["age"])
				}
			}
		}
	}
	t.Logf("%d intrusions, %d multi-part units", intrusions, multiPart)
	if want := len(fs) / 20; intrusions < want {
		t.Errorf("%d intrusions are holes of their hosts with the very same vertices, want at least %d", intrusions, want)
	}
	if want := len(fs) / 40; multiPart < want {
		t.Errorf("%d units have several parts, want at least %d", multiPart, want)
	}
}

func TestGeologyHasThousandsOfVerticesPerUnit(t *testing.T) {
	var counts []int
	total := 0
	for _, f := range demoMap(t) {
		n := 0
		for _, poly := range multiPolygon(t, f) {
			for _, ring := range poly {
				n += len(ring)
			}
		}
		counts = append(counts, n)
		total += n
	}
	slices.Sort(counts)
	if median := counts[len(counts)/2]; median < 1000 {
		t.Errorf("median unit has %d vertices, want thousands", median)
	}
	if mean := total / len(counts); mean < 2000 {
		t.Errorf("mean unit has %d vertices, want thousands", mean)
	}
}

func TestGeologyVerticesPerEdgeSetsDetail(t *testing.T) {
	count := func(perEdge int) int {
		n := 0
		for _, f := range geologyFeatures(t, GeologyOptions{Units: 30, VerticesPerEdge: perEdge, Seed: 4}) {
			for _, poly := range multiPolygon(t, f) {
				for _, ring := range poly {
					n += len(ring)
				}
			}
		}
		return n
	}
	coarse, fine := count(10), count(40)
	if ratio := float64(fine) / float64(coarse); ratio < 3.5 || ratio > 4.1 {
		t.Errorf("4× the vertices per edge gave %.2f× the vertices (%d → %d)", ratio, coarse, fine)
	}
}

func TestGeologyAttributesReadLikeASurveyLegend(t *testing.T) {
	legend, err := Legend()
	if err != nil {
		t.Fatal(err)
	}
	byCode := make(map[string]LegendUnit)
	for _, u := range legend {
		byCode[u.Code] = u
	}
	perCode := make(map[string]int)
	for _, f := range demoMap(t) {
		p := f.Properties
		code, _ := p["code"].(string)
		u, ok := byCode[code]
		if !ok {
			t.Fatalf("unit %v: code %q is not in the legend", f.ID, code)
		}
		perCode[code]++
		want := map[string]any{
			"name": u.Name, "name_th": u.NameTH, "lithology": u.Lithology, "rock_type": u.RockType,
			"age": u.Age, "min_age_ma": u.MinAgeMa, "max_age_ma": u.MaxAgeMa, "source": Source,
		}
		for k, v := range want {
			if p[k] != v {
				t.Errorf("unit %v (%s): %s = %v, want %v", f.ID, code, k, p[k], v)
			}
		}
		if d, _ := p["domain"].(string); d == "" {
			t.Errorf("unit %v: no domain", f.ID)
		}
		if th := p["name_th"].(string); !strings.ContainsFunc(th, func(r rune) bool { return unicode.Is(unicode.Thai, r) }) {
			t.Errorf("unit %v: name_th %q has no Thai script", f.ID, th)
		}
	}
	repeated := 0
	for _, n := range perCode {
		if n >= 3 {
			repeated++
		}
	}
	if len(perCode) < 20 || repeated < 12 {
		t.Errorf("%d codes used, %d of them by 3 units or more; want a rich legend with several units per code", len(perCode), repeated)
	}
}

func TestGeologyIsDeterministic(t *testing.T) {
	write := func(opts GeologyOptions) []byte {
		var b bytes.Buffer
		if err := WriteGeology(&b, opts); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	opts := GeologyOptions{Units: 120, VerticesPerEdge: 40, Seed: 42}
	first, again := write(opts), write(opts)
	if !bytes.Equal(first, again) {
		t.Fatal("the same options wrote different bytes")
	}
	opts.Seed++
	if bytes.Equal(first, write(opts)) {
		t.Fatal("a different seed wrote the same map")
	}
}

func TestGeologyRejectsBadOptions(t *testing.T) {
	for _, opts := range []GeologyOptions{
		{Units: 9}, {Units: -1}, {Units: maxUnits + 1},
		{Units: 50, VerticesPerEdge: -1}, {Units: 50, VerticesPerEdge: maxVerticesPerEdge + 1},
	} {
		_, err := Geology(opts)
		if err == nil {
			t.Errorf("Geology(%+v) succeeded, want an error", opts)
			continue
		}
		msg := err.Error()
		if strings.Contains(msg, "\n") || !(strings.Contains(msg, "units") || strings.Contains(msg, "vertices per edge")) {
			t.Errorf("Geology(%+v): error %q should be one line naming the option", opts, msg)
		}
	}
}

// BenchmarkGeology50k generates and writes the benchmark coverage: 50,000
// units, about 6 million vertices.
func BenchmarkGeology50k(b *testing.B) {
	for b.Loop() {
		var w countingWriter
		if err := WriteGeology(&w, GeologyOptions{Units: 50000, Seed: 1}); err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(w))
	}
}

type countingWriter int

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}
