package render

import (
	"image"
	"slices"
	"sync"
	"testing"

	"github.com/paulmach/orb"
)

// TestLabelCacheSameLabels draws the Hamersley units' labels without a
// cache, then twice with one (the second map from what the first cached),
// and on a map panned by a fractional number of pixels at the same scale
// with the cache the first maps filled: the same boxes and the same
// pixels every time, and the cache was used.
func TestLabelCacheSameLabels(t *testing.T) {
	fonts := notoSans(t)
	v, units := hamersleyUnits(t)
	sym := unitLabel()
	draw := func(v View, cache *LabelCache) ([]image.Rectangle, *image.RGBA) {
		l := NewLabeller(v, fonts)
		l.Cache = cache
		for i, f := range units {
			l.AddKeyed(f.Geometry, f.Properties.MustString("code", ""), sym, 0, i)
		}
		img := image.NewRGBA(image.Rect(0, 0, v.Width, v.Height))
		return l.Draw(img), img
	}
	// A larger window, so that more units lie wholly within it, and the
	// same window moved by 37.4 × 12.7 pixels.
	sx, sy := v.scale()
	v.BBox.Min = orb.Point{v.BBox.Min[0] - 100*sx, v.BBox.Min[1] - 100*sy}
	v.Width, v.Height = v.Width+200, v.Height+200
	panned := v
	panned.BBox.Min = orb.Point{v.BBox.Min[0] + 37.4*sx, v.BBox.Min[1] - 12.7*sy}
	panned.BBox.Max = orb.Point{v.BBox.Max[0] + 37.4*sx, v.BBox.Max[1] - 12.7*sy}

	cache := NewLabelCache(1000, 1000)
	for i, view := range []View{v, v, panned} {
		poleHits, textHits := cache.poles.hits, cache.texts.hits
		want, wantImg := draw(view, nil)
		if len(want) < 20 {
			t.Fatalf("%d labels drawn without a cache, want at least 20", len(want))
		}
		got, gotImg := draw(view, cache)
		if !slices.Equal(got, want) {
			t.Errorf("boxes with the cache %v, without %v", got, want)
		}
		if !slices.Equal(gotImg.Pix, wantImg.Pix) {
			t.Error("pixels with the cache differ from those without")
		}
		// Texts are found again only at the same subpixel offsets: on the
		// same map.
		if i > 0 && (cache.poles.hits-poleHits < 40 || i == 1 && cache.texts.hits-textHits < 20) {
			t.Errorf("map %d: %d poles and %d texts from the cache", i, cache.poles.hits-poleHits, cache.texts.hits-textHits)
		}
	}
	if n := cache.poles.order.Len(); n < 40 {
		t.Errorf("%d poles cached, want at least 40 of the 61 units", n)
	}
	searched := 0
	for el := cache.poles.order.Front(); el != nil; el = el.Next() {
		if el.Value.(*boundedEntry[poleKey, poleEntry]).value.searched {
			searched++
		}
	}
	if searched == 0 || cache.texts.order.Len() == 0 {
		t.Errorf("%d searched poles and %d texts cached", searched, cache.texts.order.Len())
	}
}

// TestBoundedMap keeps the n most recently used entries.
func TestBoundedMap(t *testing.T) {
	m := newBoundedMap[int, string](2)
	m.put(1, "a")
	m.put(2, "b")
	m.get(1)
	m.put(3, "c")
	if _, ok := m.get(2); ok {
		t.Error("the least recently used entry was kept")
	}
	for k, want := range map[int]string{1: "a", 3: "c"} {
		if v, ok := m.get(k); !ok || v != want {
			t.Errorf("entry %d: %q, %v; want %q", k, v, ok, want)
		}
	}
}

// TestLabelCacheConcurrent draws the same map from four goroutines sharing
// a cache (run with -race): each gets the boxes a labeller without one
// places.
func TestLabelCacheConcurrent(t *testing.T) {
	fonts := notoSans(t)
	v, units := hamersleyUnits(t)
	sym := unitLabel()
	draw := func(cache *LabelCache) []image.Rectangle {
		l := NewLabeller(v, fonts)
		l.Cache = cache
		for i, f := range units {
			l.AddKeyed(f.Geometry, f.Properties.MustString("code", ""), sym, 0, i)
		}
		return l.Draw(image.NewRGBA(image.Rect(0, 0, v.Width, v.Height)))
	}
	want := draw(nil)
	cache := NewLabelCache(1000, 1000)
	got := make([][]image.Rectangle, 4)
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() {
			for range 2 {
				got[i] = draw(cache)
			}
		})
	}
	wg.Wait()
	for i, g := range got {
		if !slices.Equal(g, want) {
			t.Errorf("goroutine %d: boxes %v, want %v", i, g, want)
		}
	}
}
