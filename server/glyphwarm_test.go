package server

import (
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/glyphs"
	"github.com/outcrop/outcrop/store"
	"github.com/outcrop/outcrop/tileset"
)

// cjkFonts opens a library of Noto Sans and Noto Sans CJK, linked into a
// temporary directory. Without them the test fails in CI (make deps-test
// installs fonts-noto-core and fonts-noto-cjk) and skips elsewhere.
func cjkFonts(t *testing.T) *glyphs.Library {
	t.Helper()
	dir := t.TempDir()
	for _, src := range []string{
		filepath.Join(glyphs.DefaultDirs[0], "NotoSans-Regular.ttf"),
		filepath.Join(glyphs.DefaultDirs[1], "NotoSansCJK-Regular.ttc"),
	} {
		if _, err := os.Stat(src); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("a Noto font is not installed: %v", err)
			}
			t.Skipf("a Noto font is not installed: %v", err)
		}
		if err := os.Symlink(src, filepath.Join(dir, filepath.Base(src))); err != nil {
			t.Fatal(err)
		}
	}
	l, err := glyphs.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// TestWarmGlyphsDrawsTheDataRanges: after the common ranges, warmGlyphs
// draws the ranges of the Chinese characters of the served labels (金 in
// 9100-91FF, 山 in 5C00-5CFF, 矿 in 7700-77FF), most used first, and no CJK
// range the data does not use; a store without CJK text draws none.
func TestWarmGlyphsDrawsTheDataRanges(t *testing.T) {
	fonts := cjkFonts(t)
	const stack = "Noto Sans Regular,Noto Sans CJK SC Regular"
	for _, c := range []struct {
		name  string
		names []string
		want  []rune
	}{
		{"Chinese mine names", []string{"金矿", "金山", "Tambang emas"}, []rune{0x9100, 0x5c00, 0x7700}},
		{"Latin names only", []string{"Tambang emas", "Bukit Besi"}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			var features []*geojson.Feature
			for i, n := range c.names {
				f := geojson.NewFeature(orb.Point{101 + float64(i)/10, 3})
				f.ID = uint64(i + 1)
				f.Properties = geojson.Properties{"name": n}
				features = append(features, f)
			}
			writeFeatureTileset(t, dir, "mines", "Mines", []tileset.Field{{Name: "name", Type: "string"}}, features, "")
			st, err := store.Open(dir, store.Options{PollInterval: -1, Logger: slog.New(slog.DiscardHandler)})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			s := newServer(Config{Catalog: st, Fonts: fonts, Logger: slog.New(slog.DiscardHandler)})

			var cjk []rune
			for _, u := range s.dataRanges() {
				if u.fontstack != labelStack {
					t.Errorf("range %#x of fontstack %q, want the labels' %q", u.start, u.fontstack, labelStack)
				}
				if u.start >= 0x3000 && u.start < 0xa000 {
					cjk = append(cjk, u.start)
				}
			}
			if len(c.want) > 0 && !slices.Equal(cjk, c.want) {
				t.Errorf("CJK ranges %#x, want %#x (金 twice first)", cjk, c.want)
			}
			if len(c.want) == 0 && len(cjk) > 0 {
				t.Errorf("CJK ranges %#x of a store without CJK text", cjk)
			}

			s.warmGlyphs()
			for _, start := range c.want {
				if !cached(s, glyphKey{stack, start}) {
					t.Errorf("range %#x of %q not drawn ahead", start, stack)
				}
			}
			for _, start := range []rune{0x4e00, 0x6000} {
				if cached(s, glyphKey{stack, start}) {
					t.Errorf("range %#x drawn ahead, which the data does not use", start)
				}
			}
			if !cached(s, glyphKey{stack, 0}) {
				t.Error("range 0-255 not drawn ahead")
			}
		})
	}
}

// labelStack is the label fontstack of the generated styles.
const labelStack = "Noto Sans Regular,Noto Sans Thai Regular,Noto Sans Lao Regular,Noto Sans Khmer Regular,Noto Sans Myanmar Regular,Noto Sans CJK SC Regular"

// cached reports whether the glyph cache holds key.
func cached(s *server, key glyphKey) bool {
	s.glyphs.mu.Lock()
	defer s.glyphs.mu.Unlock()
	_, ok := s.glyphs.entries[key]
	return ok
}

// BenchmarkGlyphRangeWarm serves a range of Chinese characters (9100-91FF)
// drawn ahead: what a map with a Chinese label waits for once warmGlyphs
// has drawn it (against BenchmarkRangeCJKCold in package glyphs, drawing
// it on demand).
func BenchmarkGlyphRangeWarm(b *testing.B) {
	dir := b.TempDir()
	f := geojson.NewFeature(orb.Point{101, 3})
	f.ID = uint64(1)
	f.Properties = geojson.Properties{"name": "金矿"}
	writeFeatureTileset(b, dir, "mines", "Mines", []tileset.Field{{Name: "name", Type: "string"}}, []*geojson.Feature{f}, "")
	st, err := store.Open(dir, store.Options{PollInterval: -1, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	fonts, err := glyphs.Open(glyphs.DefaultDirs...)
	if err != nil || !fonts.Has("Noto Sans CJK SC Regular") {
		b.Skip("Noto Sans CJK is not installed")
	}
	s := newServer(Config{Catalog: st, Fonts: fonts, Logger: slog.New(slog.DiscardHandler)})
	s.warmGlyphs()
	h := s.routes()
	target := "/fonts/" + strings.ReplaceAll(labelStack, " ", "%20") + "/37120-37375.pbf"
	for b.Loop() {
		if w := serve(h, httptestRequest(http.MethodGet, target)); w.Code != http.StatusOK {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}
