package e2e

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// BenchmarkPortal times the public portal in headless Chromium against a
// running server (OUTCROP_BENCH_URL, as bench/portal.sh starts it on the
// demo store): the catalogue home page's and the map page's load
// (navigation timing, loadEventEnd), the map's first paint and its
// readiness, each with an empty browser cache and again with a warm one.
// It reports the medians in milliseconds, and the CPU time Chromium spent
// (every process of it: browser, renderer, GPU with SwiftShader, network)
// from navigation to the map's readiness, since on a shared machine wall
// time says as much about the neighbours as about the page.
//
// The first frame (outcrop:first-frame) is the first frame MapLibre drew
// with a tile in it, basemap or data: what a reader first sees of the map.
// The first paint is the performance mark outcrop:first-idle: MapLibre's
// first "idle" event after the map's sources and layers were added, that
// is the first frame drawn with every tile in view loaded (basemap and
// data), in the viewer's colours or the tilesets' preferred styles where
// they came first. Readiness (outcrop:ready, <body data-state=ready>) is
// when the map has settled with every preferred style applied.
//
// OUTCROP_BENCH_CHROMIUM_FLAGS adds Chromium flags (space separated), to
// compare WebGL back ends, e.g. --ignore-gpu-blocklist.
func BenchmarkPortal(b *testing.B) {
	base := os.Getenv("OUTCROP_BENCH_URL")
	if base == "" {
		b.Skip("OUTCROP_BENCH_URL is not set: run make bench-portal")
	}
	chromium := viewerNeeds(b)
	if extra := strings.Fields(os.Getenv("OUTCROP_BENCH_CHROMIUM_FLAGS")); len(extra) > 0 {
		saved := viewerChromiumFlags
		viewerChromiumFlags = append(slices.Clone(saved[:len(saved)-1]), append(extra, saved[len(saved)-1])...)
		defer func() { viewerChromiumFlags = saved }()
	}
	br := startViewerBrowser(b, chromium, 1280, 800)
	br.call(br.session, "Network.enable", nil, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	// load opens url (with an empty cache when cold) and returns the page's
	// navigation timing and, for the map, its marks, in ms from navigation,
	// and Chromium's CPU time in ms from navigation to the page's end.
	var gpu, renderer float64
	load := func(url string, cold, viewer bool) (page, frame, paint, ready, cpu, frames float64) {
		if cold {
			br.call(br.session, "Network.clearBrowserCache", nil, nil)
		}
		before := processTreeCPU(br.cmd.Process.Pid)
		if viewer {
			br.open(ctx, url)
		} else {
			br.navigate(url)
			br.waitFor(ctx, `document.readyState === 'complete' && performance.getEntriesByType('navigation')[0]?.loadEventEnd > 0 ? 'done' : ''`)
		}
		after := processTreeCPU(br.cmd.Process.Pid)
		cpu = float64((after.total() - before.total()).Milliseconds())
		gpu = float64((after["gpu-process"] - before["gpu-process"]).Milliseconds())
		renderer = float64((after["renderer"] - before["renderer"]).Milliseconds())
		var t struct{ Page, Frame, Paint, Ready, Frames float64 }
		br.eval(`(() => { const m = (n) => performance.getEntriesByName(n)[0]?.startTime || 0;
			return { page: performance.getEntriesByType('navigation')[0].loadEventEnd, frame: m('outcrop:first-frame'),
				paint: m('outcrop:first-idle'), ready: m('outcrop:ready'), frames: window.outcrop?.frames || 0 }; })()`, &t)
		return t.Page, t.Frame, t.Paint, t.Ready, cpu, t.Frames
	}
	metrics := map[string][]float64{}
	add := func(name string, v float64) { metrics[name] = append(metrics[name], v) }
	b.ResetTimer()
	for range b.N {
		for _, cold := range []bool{true, false} {
			tag := map[bool]string{true: "cold", false: "warm"}[cold]
			home, _, _, _, _, _ := load(base+"/", cold, false)
			add("home-"+tag+"-ms", home)
			// Blank the page between loads: a same-document hash change
			// would not reload the viewer.
			br.navigate("about:blank")
			page, frame, paint, ready, cpu, frames := load(base+"/map/", cold, true)
			add("frames-"+tag+"-n", frames)
			add("map-"+tag+"-ms", page)
			add("frame-"+tag+"-ms", frame)
			add("paint-"+tag+"-ms", paint)
			add("ready-"+tag+"-ms", ready)
			add("cpu-"+tag+"-ms", cpu)
			// Of which the GPU process (WebGL drawn by SwiftShader) and the
			// page's renderer (script, MapLibre's workers parsing tiles).
			add("cpugpu-"+tag+"-ms", gpu)
			add("cpurenderer-"+tag+"-ms", renderer)
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

// cpuByType is CPU time by Chromium process type (its --type= flag:
// renderer, gpu-process, utility…; "browser" for the browser itself).
type cpuByType map[string]time.Duration

func (c cpuByType) total() time.Duration {
	var t time.Duration
	for _, d := range c {
		t += d
	}
	return t
}

// processTreeCPU is the user and system CPU time of process pid and of
// every process under it, by Chromium process type, as /proc has them now
// (Linux; nothing elsewhere). The time of a process that has exited is not
// counted.
func processTreeCPU(pid int) cpuByType {
	parent := map[int]int{}
	ticks := map[int]int64{}
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, f := range stats {
		raw, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		// pid (comm) state ppid … utime stime: fields after the command's
		// closing parenthesis, which the command itself may hold.
		s := string(raw)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		fields := strings.Fields(s[i+1:])
		if len(fields) < 13 {
			continue
		}
		p, _ := strconv.Atoi(strings.TrimSpace(s[:strings.IndexByte(s, ' ')]))
		parent[p], _ = strconv.Atoi(fields[1])
		user, _ := strconv.ParseInt(fields[11], 10, 64)
		sys, _ := strconv.ParseInt(fields[12], 10, 64)
		ticks[p] = user + sys
	}
	out := cpuByType{}
	for p, t := range ticks {
		for q := p; q > 1; q = parent[q] {
			if q == pid {
				// Linux counts in USER_HZ, 100 a second on every
				// architecture Go runs on.
				out[processType(p)] += time.Duration(t) * (time.Second / 100)
				break
			}
		}
	}
	return out
}

// processType is a Chromium process's --type=, or "browser".
func processType(pid int) string {
	raw, _ := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "cmdline"))
	// Chromium rewrites its command line as one line of words.
	for _, arg := range strings.FieldsFunc(string(raw), func(r rune) bool { return r == 0 || r == ' ' }) {
		if t, ok := strings.CutPrefix(arg, "--type="); ok {
			return t
		}
	}
	return "browser"
}
