package synth

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"iter"
	"math"
	"math/rand/v2"
	"strings"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// OccurrenceOptions sets the size and randomness of a synthetic mineral
// occurrence database.
type OccurrenceOptions struct {
	// Count is the number of occurrences: 0 means DefaultOccurrences.
	Count int
	// Seed selects the data; with the same Seed as a geological map, the
	// occurrences follow that map's tectonic domains.
	Seed uint64
}

// DefaultOccurrences is the number of occurrences of the demo data.
const DefaultOccurrences = 2000

const (
	maxOccurrences = 50_000_000
	// background is the share of occurrences outside any district.
	background = 0.1
	// perDistrict is the mean number of occurrences in a mining district.
	perDistrict = 50
)

// More random streams, after those in geology.go.
const (
	streamDistricts uint64 = streamIntrusions + 1 + iota
	streamPoints
)

//go:embed gazetteer.json
var gazetteerJSON []byte

type placeName struct {
	EN string `json:"en"`
	TH string `json:"th"`
}

type gazetteer struct {
	OccurrenceTypes []weighted  `json:"occurrence_types"`
	Prefixes        []placeName `json:"prefixes"`
	Words           []placeName `json:"words"`
}

var loadGazetteer = sync.OnceValues(func() (*gazetteer, error) {
	var g gazetteer
	if err := json.Unmarshal(gazetteerJSON, &g); err != nil {
		return nil, fmt.Errorf("synth: embedded gazetteer.json: %w", err)
	}
	if len(g.OccurrenceTypes) == 0 || len(g.Prefixes) == 0 || len(g.Words) == 0 {
		return nil, fmt.Errorf("synth: embedded gazetteer.json needs occurrence_types, prefixes and words")
	}
	return &g, nil
})

// district is a cluster of occurrences around one mineralising system: an
// elongate Gaussian cloud with one or two styles of mineralisation.
type district struct {
	center   orb.Point
	axes     [2]float64 // standard deviations along and across its strike, m
	strike   float64    // radians from north
	domain   int
	profiles []occurrenceProfile
}

// occurrenceSet is everything needed to replay the points.
type occurrenceSet struct {
	count     int
	seed      uint64
	layout    *layout
	gaz       *gazetteer
	districts []district
	sizes     []float64 // cumulative district weights
}

// Occurrences generates synthetic mineral occurrences over the region of the
// geological map, clustered into districts as real occurrence data is, with
// the commodities and deposit types of the tectonic domain they lie in. Each
// pass over the sequence generates the points afresh and identically, so
// memory does not grow with Count.
func Occurrences(opts OccurrenceOptions) (iter.Seq[*geojson.Feature], error) {
	if opts.Count == 0 {
		opts.Count = DefaultOccurrences
	}
	if opts.Count < 1 || opts.Count > maxOccurrences {
		return nil, fmt.Errorf("synth occurrences: count %d is out of range; use 1 to %d", opts.Count, maxOccurrences)
	}
	l, err := loadLegend()
	if err != nil {
		return nil, err
	}
	gaz, err := loadGazetteer()
	if err != nil {
		return nil, err
	}
	// The layout draws first from the same stream as Geology's, so both
	// share their domains' wandering boundaries.
	s := &occurrenceSet{count: opts.Count, seed: opts.Seed, gaz: gaz,
		layout: newLayout(l, rand.New(rand.NewPCG(opts.Seed, streamLayout)))}
	rng := rand.New(rand.NewPCG(opts.Seed, streamDistricts))
	n := max(4, opts.Count/perDistrict)
	weights := make([]float64, n)
	for i := range n {
		c := s.randomPoint(rng)
		d := s.layout.domainAt(c)
		along := 1500 + min(20000, 5000*rng.ExpFloat64())
		di := district{
			center: c,
			axes:   [2]float64{along, along * (0.25 + 0.5*rng.Float64())},
			strike: (rng.Float64() - 0.5) * math.Pi / 3, // belts trend near north
			domain: d,
		}
		di.profiles = append(di.profiles, pickProfile(rng, l.Domains[d].Occurrences))
		if rng.Float64() < 0.3 {
			di.profiles = append(di.profiles, pickProfile(rng, l.Domains[d].Occurrences))
		}
		s.districts = append(s.districts, di)
		weights[i] = math.Exp(rng.NormFloat64()) // a few rich districts, many small
	}
	s.sizes = cumulative(weights)
	return s.features, nil
}

func pickProfile(rng *rand.Rand, ps []occurrenceProfile) occurrenceProfile {
	w := make([]float64, len(ps))
	for i, p := range ps {
		w[i] = p.Weight
	}
	return ps[drawCumulative(rng, cumulative(w))]
}

func (s *occurrenceSet) randomPoint(rng *rand.Rand) orb.Point {
	return orb.Point{
		region.Min[0] + rng.Float64()*(region.Max[0]-region.Min[0]),
		region.Min[1] + rng.Float64()*(region.Max[1]-region.Min[1]),
	}
}

// features yields the occurrences, ids from 1.
func (s *occurrenceSet) features(yield func(*geojson.Feature) bool) {
	l := s.layout.legend
	rng := rand.New(rand.NewPCG(s.seed, streamPoints))
	for i := range s.count {
		var p orb.Point
		var profile occurrenceProfile
		var dom int
		if rng.Float64() < background {
			p = s.randomPoint(rng)
			dom = s.layout.domainAt(p)
			profile = pickProfile(rng, l.Domains[dom].Occurrences)
		} else {
			d := &s.districts[drawCumulative(rng, s.sizes)]
			p = d.scatter(rng)
			dom = d.domain
			profile = d.profiles[rng.IntN(len(d.profiles))]
		}
		f := geojson.NewFeature(orb.Point{roundCM(p[0]), roundCM(p[1])})
		f.ID = i + 1
		en, th := s.name(rng)
		kind, _ := pickWeighted(rng, s.gaz.OccurrenceTypes, nil)
		main, _, _ := strings.Cut(profile.Commodities, ",")
		f.Properties["name"] = en
		f.Properties["name_th"] = th
		f.Properties["commodity"] = main
		f.Properties["commodities"] = profile.Commodities
		f.Properties["deposit_type"] = profile.DepositType
		f.Properties["occurrence_type"] = kind
		f.Properties["domain"] = l.Domains[dom].Name
		f.Properties["source"] = Source
		if !yield(f) {
			return
		}
	}
}

// scatter draws a point of the district, inside the region.
func (d *district) scatter(rng *rand.Rand) orb.Point {
	sin, cos := math.Sincos(d.strike)
	var p orb.Point
	for range 8 {
		a, c := rng.NormFloat64()*d.axes[0], rng.NormFloat64()*d.axes[1]
		// along the strike (north rotated by strike) and across it
		p = orb.Point{d.center[0] + a*sin + c*cos, d.center[1] + a*cos - c*sin}
		if region.Contains(p) {
			return p
		}
	}
	return d.center
}

// name makes a northern Thai place name, romanised and in Thai script.
func (s *occurrenceSet) name(rng *rand.Rand) (en, th string) {
	g := s.gaz
	pre := g.Prefixes[rng.IntN(len(g.Prefixes))]
	w := g.Words[rng.IntN(len(g.Words))]
	en, th = pre.EN+" "+w.EN, pre.TH+w.TH
	if rng.Float64() < 0.4 {
		w2 := g.Words[rng.IntN(len(g.Words))]
		en, th = en+" "+w2.EN, th+w2.TH
	}
	return en, th
}
