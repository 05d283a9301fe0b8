package e2e

import (
	"context"
	"os"
	"slices"
	"testing"
	"time"
)

// BenchmarkPortal times the public portal in headless Chromium against a
// running server (OUTCROP_BENCH_URL, as bench/portal.sh starts it on the
// demo store): the catalogue home page's and the map page's load
// (navigation timing, loadEventEnd), the map's first paint of its layers
// (the performance mark outcrop:first-idle) and its readiness (every tile
// in view drawn, outcrop:ready), each with an empty browser cache and
// again with a warm one. It reports the medians in milliseconds.
func BenchmarkPortal(b *testing.B) {
	base := os.Getenv("OUTCROP_BENCH_URL")
	if base == "" {
		b.Skip("OUTCROP_BENCH_URL is not set: run make bench-portal")
	}
	chromium := viewerNeeds(b)
	br := startViewerBrowser(b, chromium, 1280, 800)
	br.call(br.session, "Network.enable", nil, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	// load opens url (with an empty cache when cold) and returns the page's
	// navigation timing and, for the map, its marks, in ms from navigation.
	load := func(url string, cold, viewer bool) (page, paint, ready float64) {
		if cold {
			br.call(br.session, "Network.clearBrowserCache", nil, nil)
		}
		if viewer {
			br.open(ctx, url)
		} else {
			br.navigate(url)
			br.waitFor(ctx, `document.readyState === 'complete' && performance.getEntriesByType('navigation')[0]?.loadEventEnd > 0 ? 'done' : ''`)
		}
		var t struct{ Page, Paint, Ready float64 }
		br.eval(`(() => { const m = (n) => performance.getEntriesByName(n)[0]?.startTime || 0;
			return { page: performance.getEntriesByType('navigation')[0].loadEventEnd, paint: m('outcrop:first-idle'), ready: m('outcrop:ready') }; })()`, &t)
		return t.Page, t.Paint, t.Ready
	}
	metrics := map[string][]float64{}
	add := func(name string, v float64) { metrics[name] = append(metrics[name], v) }
	b.ResetTimer()
	for range b.N {
		for _, cold := range []bool{true, false} {
			tag := map[bool]string{true: "cold", false: "warm"}[cold]
			home, _, _ := load(base+"/", cold, false)
			add("home-"+tag+"-ms", home)
			// Blank the page between loads: a same-document hash change
			// would not reload the viewer.
			br.navigate("about:blank")
			page, paint, ready := load(base+"/map/", cold, true)
			add("map-"+tag+"-ms", page)
			add("paint-"+tag+"-ms", paint)
			add("ready-"+tag+"-ms", ready)
			// What the map waited longest for, to see where the time goes.
			var slow []string
			br.eval(`performance.getEntriesByType('resource').sort((a, b) => b.duration - a.duration).slice(0, 3)
				.map(e => Math.round(e.duration) + ' ms ' + e.name.replace(location.origin, ''))`, &slow)
			b.Logf("slowest %s /map/ resources: %q", tag, slow)
			br.navigate("about:blank")
		}
	}
	b.StopTimer()
	for name, vs := range metrics {
		slices.Sort(vs)
		b.ReportMetric(vs[len(vs)/2], name)
	}
}
