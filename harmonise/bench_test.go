package harmonise

import (
	"testing"

	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/synth"
)

// BenchmarkApplySyntheticMap harmonises a 10,000-unit synthetic map: label,
// age and span lookups over a legend's few values, per feature.
func BenchmarkApplySyntheticMap(b *testing.B) {
	m, err := Load("../data/mappings/sea-geology.yaml")
	if err != nil {
		b.Fatal(err)
	}
	seq, err := synth.Geology(synth.GeologyOptions{Units: 10_000, VerticesPerEdge: 1})
	if err != nil {
		b.Fatal(err)
	}
	var src []geojson.Properties
	for f := range seq {
		src = append(src, f.Properties)
	}
	fs := make([]*geojson.Feature, len(src))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		for i, p := range src {
			fs[i] = &geojson.Feature{Properties: p.Clone()}
		}
		b.StartTimer()
		m.Apply(fs)
	}
	b.ReportMetric(float64(len(fs)*b.N)/b.Elapsed().Seconds(), "features/s")
}
