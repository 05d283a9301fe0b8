package synth

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

func occurrenceFeatures(t testing.TB, opts OccurrenceOptions) []*geojson.Feature {
	t.Helper()
	seq, err := Occurrences(opts)
	if err != nil {
		t.Fatalf("Occurrences(%+v): %v", opts, err)
	}
	return slices.Collect(seq)
}

func TestOccurrencesAreInsideTheMapAndNumbered(t *testing.T) {
	for _, n := range []int{1, 7, 5000} {
		fs := occurrenceFeatures(t, OccurrenceOptions{Count: n, Seed: 3})
		if len(fs) != n {
			t.Fatalf("Count %d: got %d occurrences", n, len(fs))
		}
		for i, f := range fs {
			p, ok := f.Geometry.(orb.Point)
			if !ok {
				t.Fatalf("occurrence %d is a %T, want a point", i, f.Geometry)
			}
			if !region.Contains(p) {
				t.Fatalf("occurrence %d at %v is outside the map %v", i, p, region)
			}
			if f.ID != i+1 {
				t.Fatalf("occurrence %d has id %v", i, f.ID)
			}
		}
	}
	if got := len(occurrenceFeatures(t, OccurrenceOptions{})); got != DefaultOccurrences {
		t.Errorf("default gives %d occurrences, want %d", got, DefaultOccurrences)
	}
}

// TestOccurrencesAreClustered compares counts in 10 km squares with what
// points scattered at random would give: for random points the variance of
// the counts equals their mean; real occurrences crowd into districts.
func TestOccurrencesAreClustered(t *testing.T) {
	const cell = 10000
	counts := make(map[[2]int]int)
	fs := occurrenceFeatures(t, OccurrenceOptions{Count: 20000, Seed: 8})
	for _, f := range fs {
		p := f.Geometry.(orb.Point)
		counts[[2]int{int((p[0] - region.Min[0]) / cell), int((p[1] - region.Min[1]) / cell)}]++
	}
	nx := int((region.Max[0]-region.Min[0])/cell) + 1
	ny := int((region.Max[1]-region.Min[1])/cell) + 1
	mean := float64(len(fs)) / float64(nx*ny)
	variance := 0.0
	for i := 0; i < nx; i++ {
		for j := 0; j < ny; j++ {
			d := float64(counts[[2]int{i, j}]) - mean
			variance += d * d
		}
	}
	variance /= float64(nx * ny)
	if dispersion := variance / mean; dispersion < 5 {
		t.Errorf("index of dispersion %.1f; random points give 1, clustered data far more", dispersion)
	}
}

func TestOccurrencesFitTheirDomain(t *testing.T) {
	l, err := loadLegend()
	if err != nil {
		t.Fatal(err)
	}
	profiles := make(map[string]map[string]string) // domain → commodities → deposit type
	for _, d := range l.Domains {
		profiles[d.Name] = make(map[string]string)
		for _, p := range d.Occurrences {
			profiles[d.Name][p.Commodities] = p.DepositType
		}
	}
	kinds := make(map[string]int)
	for _, f := range occurrenceFeatures(t, OccurrenceOptions{Count: 3000, Seed: 5}) {
		p := f.Properties
		dom, _ := p["domain"].(string)
		list, _ := p["commodities"].(string)
		deposit, ok := profiles[dom][list]
		if !ok {
			t.Fatalf("occurrence %v: %q is not mineralisation of the %q domain", f.ID, list, dom)
		}
		if p["deposit_type"] != deposit {
			t.Errorf("occurrence %v: %s as %v, want %s", f.ID, list, p["deposit_type"], deposit)
		}
		if main, _, _ := strings.Cut(list, ","); p["commodity"] != main {
			t.Errorf("occurrence %v: main commodity %v, want the first of %q", f.ID, p["commodity"], list)
		}
		if p["source"] != Source {
			t.Errorf("occurrence %v: source %v", f.ID, p["source"])
		}
		name, _ := p["name"].(string)
		th, _ := p["name_th"].(string)
		if name == "" || !strings.ContainsFunc(th, func(r rune) bool { return unicode.Is(unicode.Thai, r) }) {
			t.Errorf("occurrence %v: names %q and %q, want a romanised and a Thai name", f.ID, name, th)
		}
		kind, _ := p["occurrence_type"].(string)
		kinds[kind]++
	}
	if len(kinds) < 4 {
		t.Errorf("occurrence types %v, want every kind of the gazetteer", kinds)
	}
}

func TestOccurrencesAreDeterministic(t *testing.T) {
	write := func(opts OccurrenceOptions) []byte {
		var b bytes.Buffer
		if err := WriteOccurrences(&b, opts); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	opts := OccurrenceOptions{Count: 500, Seed: 11}
	if !bytes.Equal(write(opts), write(opts)) {
		t.Fatal("the same options wrote different bytes")
	}
	if bytes.Equal(write(opts), write(OccurrenceOptions{Count: 500, Seed: 12})) {
		t.Fatal("a different seed wrote the same occurrences")
	}
}

func TestOccurrencesRejectBadCount(t *testing.T) {
	for _, n := range []int{-1, maxOccurrences + 1} {
		_, err := Occurrences(OccurrenceOptions{Count: n})
		if err == nil || !strings.Contains(err.Error(), "count") {
			t.Errorf("Count %d: error %v, want one naming the count", n, err)
		}
	}
}

// BenchmarkOccurrences200k generates and writes the benchmark's 200,000
// occurrences.
func BenchmarkOccurrences200k(b *testing.B) {
	for b.Loop() {
		var w countingWriter
		if err := WriteOccurrences(&w, OccurrenceOptions{Count: 200000, Seed: 1}); err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(w))
	}
}
