package glyphs

import "testing"

// BenchmarkRange draws whole ranges, as a cold cache does: Latin-1, Thai
// (through a two-font stack) and the first range of CJK ideographs.
func BenchmarkRange(b *testing.B) {
	l, err := openNoto()
	if err != nil {
		b.Skip(err)
	}
	for _, c := range []struct {
		name, stack string
		start       rune
	}{
		{"latin", "Noto Sans Regular", 0},
		{"thai", "Noto Sans Regular,Noto Sans Thai Regular", 0x0e00},
		{"cjk", "Noto Sans CJK SC Regular", 0x4e00},
	} {
		b.Run(c.name, func(b *testing.B) {
			var size int
			for b.Loop() {
				pbf, err := l.Range(c.stack, c.start)
				if err != nil {
					b.Fatal(err)
				}
				size = len(pbf)
			}
			b.ReportMetric(float64(size), "bytes")
		})
	}
}

// BenchmarkRangeCold draws 0-255 of the region's stack from a library
// none of whose fonts is read yet, as the first request after a start does.
func BenchmarkRangeCold(b *testing.B) {
	if _, err := openNoto(); err != nil {
		b.Skip(err)
	}
	for b.Loop() {
		b.StopTimer()
		l, err := openNoto()
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := l.Range(regionStack, 0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRangeCJKCold draws a range of Chinese characters (9100-91FF, 金)
// of the region's stack from a library none of whose fonts is read yet: what
// the first map with a Chinese label waits for when the range is not drawn
// ahead. BenchmarkRange/cjk is a further range once the CJK font is read.
func BenchmarkRangeCJKCold(b *testing.B) {
	if _, err := openNoto(); err != nil {
		b.Skip(err)
	}
	for b.Loop() {
		b.StopTimer()
		l, err := openNoto()
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := l.Range(regionStack, 0x9100); err != nil {
			b.Fatal(err)
		}
	}
}
