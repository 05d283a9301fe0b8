package styles

import "testing"

// BenchmarkUnitStyle generates the Hamersley map's geology-unit style (19
// units, no survey colours), as the server does per request.
func BenchmarkUnitStyle(b *testing.B) {
	meta := hamersley(b, "")
	counts := geologyCounts()
	b.ResetTimer()
	for range b.N {
		if _, err := ForKind(meta, KindGeologyUnit, counts, Options{Base: testBase}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAgeStyle is the geology-age style of the same map, for scale.
func BenchmarkAgeStyle(b *testing.B) {
	meta := hamersley(b, "")
	counts := geologyCounts()
	b.ResetTimer()
	for range b.N {
		if _, err := ForKind(meta, KindGeologyAge, counts, Options{Base: testBase}); err != nil {
			b.Fatal(err)
		}
	}
}
