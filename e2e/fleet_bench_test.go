package e2e

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/outcrop/outcrop/tileset"
)

// benchFleetID is the tileset BenchmarkFleet publishes.
const benchFleetID = "geology"

// BenchmarkFleet measures the fleet of TestFleet (SeaweedFS, three
// `outcrop serve --sync 1s` replicas, nginx with the documented cache in
// front) with a SYNTHETIC 50,000-unit geological map (outcrop synth):
//
//   - publish-to-served: from the start of `outcrop publish` of the map,
//     replacing a small version, until the first replica and then every
//     replica serves it (its TileJSON names it); the goal is under 10 s for
//     the first;
//   - the same list of the map's versioned tile URLs (every stored tile,
//     up to 5000) served by one replica direct and then through nginx,
//     starting cold, each by wrk for
//     BENCH_FLEET_DURATION (10s) with BENCH_FLEET_CONNECTIONS (64) on two
//     threads: requests/s of each, their ratio, and the cache's hit ratio
//     ($upstream_cache_status in nginx's access log);
//   - the same for overzoomed tiles, cut on request from the max-zoom
//     tiles (up to 1,250 at each of the four zooms past it), from another
//     replica, so that its caches start cold.
//
// The map is generated and ingested (minutes), unless
// OUTCROP_BENCH_FLEET_STORE names a store holding geology.tileset already.
//
//	make bench-fleet
//	go test ./e2e/ -run '^$' -bench '^BenchmarkFleet$' -benchtime 1x
func BenchmarkFleet(b *testing.B) {
	wrk := needTool(b, "wrk", "wrk")
	duration := envOr("BENCH_FLEET_DURATION", "10s")
	connections := envOr("BENCH_FLEET_CONNECTIONS", "64")
	work := b.TempDir()

	big := os.Getenv("OUTCROP_BENCH_FLEET_STORE")
	if big == "" {
		bin := outcropBinary(b)
		big = filepath.Join(work, "big")
		src := filepath.Join(work, "geology.geojson")
		mustRun(b, bin, "synth", "geology", "--units", "50000", "--out", src)
		mustRun(b, bin, "ingest", "--quiet", "--store", big, "--id", benchFleetID, src)
	}
	version, paths := benchFleetTiles(b, filepath.Join(big, benchFleetID+tileset.Ext), 5000)
	info, err := os.Stat(filepath.Join(big, benchFleetID+tileset.Ext))
	if err != nil {
		b.Fatal(err)
	}
	small, smallVersion := writeFleetEdition(b, work, benchFleetID, 0)
	f := startFleet(b, benchFleetID, 3, fleetSync, small)
	if took := f.waitVersion(benchFleetID, smallVersion, time.Now(), fleetSync+fleetAllowance); slices.Min(took) < 0 {
		b.Fatalf("the replicas did not start on the published version %s: %v", smallVersion, took)
	}

	b.ResetTimer()
	replicaCPU := make([]time.Duration, len(f.replicas))
	for i, r := range f.replicas {
		replicaCPU[i] = -processCPU(b, r.srv.cmd.Process.Pid)
	}
	weedCPU := -processCPU(b, f.s3.Pid())
	start := time.Now()
	publish := exec.Command(f.bin, "publish", "--store", big, "--id", benchFleetID, f.loc)
	if out, err := publish.CombinedOutput(); err != nil {
		b.Fatalf("outcrop publish: %v\n%s", err, out)
	}
	published := time.Since(start)
	publishCPU := publish.ProcessState.UserTime() + publish.ProcessState.SystemTime()
	weedPublishCPU := weedCPU + processCPU(b, f.s3.Pid())
	took := f.waitVersion(benchFleetID, version, start, time.Minute)
	if slices.Min(took) < 0 {
		b.Fatalf("a replica did not serve the %d MB version within a minute of its publish: %v", info.Size()>>20, took)
	}
	for i, r := range f.replicas {
		replicaCPU[i] += processCPU(b, r.srv.cmd.Process.Pid)
	}
	weedCPU += processCPU(b, f.s3.Pid())
	first, all := slices.Min(took), slices.Max(took)
	b.Logf("publish of the 50,000-unit map (%d MB): the command took %v (CPU %v, SeaweedFS's CPU meanwhile %v); the first replica served it %v after it began, every replica %v (%v; CPU of each replica %v, of SeaweedFS in all %v)",
		info.Size()>>20, published.Round(time.Millisecond), publishCPU, weedPublishCPU, first.Round(time.Millisecond), all.Round(time.Millisecond), took, replicaCPU, weedCPU)
	for i, r := range f.replicas {
		if m := pullTook.FindStringSubmatch(r.srv.stderr.String()); m != nil {
			b.Logf("replica %d: download and check took %s", i, m[1])
		}
	}
	if first >= 10*time.Second {
		b.Errorf("publish-to-served %v: the goal is under 10 s", first.Round(time.Millisecond))
	}

	list := filepath.Join(work, "paths.txt")
	if err := os.WriteFile(list, []byte(strings.Join(paths, "\n")+"\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	direct := benchWrk(b, wrk, "http://"+f.replicas[0].addr, list, duration, connections)
	logPath := filepath.Join(f.nginxDir, "access.log")
	before, err := os.Stat(logPath)
	if err != nil {
		b.Fatal(err)
	}
	cached := benchWrk(b, wrk, f.base, list, duration, connections)
	hits, requests := cacheHits(b, logPath, before.Size())

	// Overzoomed tiles, cut on request from the max-zoom tiles: first
	// requests to a replica, then through nginx, its cache cold for them.
	deep := benchFleetOverzoomed(b, filepath.Join(big, benchFleetID+tileset.Ext), 1250)
	deepList := filepath.Join(work, "overzoomed.txt")
	if err := os.WriteFile(deepList, []byte(strings.Join(deep, "\n")+"\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	deepDirect := benchWrk(b, wrk, "http://"+f.replicas[1].addr, deepList, duration, connections)
	deepCached := benchWrk(b, wrk, f.base, deepList, duration, connections)
	b.StopTimer()

	b.Logf("%d versioned tiles of the map (every stored tile), wrk -t2 -c%s -d%s: one replica direct %.0f requests/s, nginx's cache in front %.0f requests/s (%.2f×), cache hits %d of %d (%.1f%%, from cold)",
		len(paths), connections, duration, direct, cached, cached/direct, hits, requests, 100*float64(hits)/float64(requests))
	b.Logf("%d versioned overzoomed tiles, 1 to 4 zooms past the max zoom: one replica direct %.0f requests/s, nginx's cache in front %.0f requests/s (%.2f×)",
		len(deep), deepDirect, deepCached, deepCached/deepDirect)
	b.ReportMetric(first.Seconds(), "publish-to-served-s")
	b.ReportMetric(publishCPU.Seconds(), "publish-cpu-s")
	b.ReportMetric(all.Seconds(), "publish-to-all-s")
	b.ReportMetric(direct, "direct-req/s")
	b.ReportMetric(cached, "cached-req/s")
	b.ReportMetric(cached/direct, "cached/direct")
	b.ReportMetric(float64(hits)/float64(requests), "hit-ratio")
	b.ReportMetric(deepDirect, "overzoom-direct-req/s")
	b.ReportMetric(deepCached, "overzoom-cached-req/s")
}

// benchFleetOverzoomed returns the versioned URL paths of up to n tiles at
// each of the four zooms below the max zoom of the tileset file at path,
// below its max-zoom tiles, in a fixed shuffled order.
func benchFleetOverzoomed(b *testing.B, path string, n int) []string {
	b.Helper()
	r, err := tileset.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	m := r.Metadata()
	var tops [][2]int
	err = r.ForEach(func(z, x, y int, _ []byte) error {
		if z == m.MaxZoom {
			tops = append(tops, [2]int{x, y})
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	rnd := rand.New(rand.NewPCG(3, 4))
	var paths []string
	for depth := 1; depth <= 4; depth++ {
		var all []string
		for _, t := range tops {
			for dy := range 1 << depth {
				for dx := range 1 << depth {
					all = append(all, fmt.Sprintf("/tiles/%s@%s/%d/%d/%d.mvt", benchFleetID, m.Version, m.MaxZoom+depth, t[0]<<depth+dx, t[1]<<depth+dy))
				}
			}
		}
		rnd.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
		paths = append(paths, all[:min(n, len(all))]...)
	}
	rnd.Shuffle(len(paths), func(i, j int) { paths[i], paths[j] = paths[j], paths[i] })
	return paths
}

func envOr(name, value string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return value
}

// benchFleetTiles returns the version of the tileset file at path and the
// versioned URL paths of up to n of its tiles, in a fixed shuffled order.
func benchFleetTiles(b *testing.B, path string, n int) (version string, paths []string) {
	b.Helper()
	r, err := tileset.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	version = r.Metadata().Version
	err = r.ForEach(func(z, x, y int, _ []byte) error {
		paths = append(paths, fmt.Sprintf("/tiles/%s@%s/%d/%d/%d.mvt", benchFleetID, version, z, x, y))
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	rnd.Shuffle(len(paths), func(i, j int) { paths[i], paths[j] = paths[j], paths[i] })
	return version, paths[:min(n, len(paths))]
}

var benchResult = regexp.MustCompile(`RESULT requests=\d+ seconds=[\d.]+ rps=([\d.]+) .*errors=(\d+)`)

// benchWrk runs wrk with bench/serve.lua over the paths in list on base and
// returns its requests/s; an error or an answer other than 2xx or 3xx fails
// the benchmark.
func benchWrk(b *testing.B, wrk, base, list, duration, connections string) float64 {
	b.Helper()
	out, err := exec.Command(wrk, "-t2", "-c"+connections, "-d"+duration, "--timeout", "10s", "-s", "../bench/serve.lua", base, "--", list).CombinedOutput()
	if err != nil {
		b.Fatalf("wrk on %s: %v\n%s", base, err, out)
	}
	m := benchResult.FindSubmatch(out)
	if m == nil {
		b.Fatalf("wrk on %s printed no RESULT line:\n%s", base, out)
	}
	if string(m[2]) != "0" || wrkNon2xx.Match(out) {
		b.Errorf("wrk on %s: errors or answers other than 2xx or 3xx:\n%s", base, out)
	}
	rps, _ := strconv.ParseFloat(string(m[1]), 64)
	return rps
}

// cacheHits counts the lines of nginx's access log (format "STATUS
// CACHE-STATUS URI") from byte offset on, and those that were cache hits.
func cacheHits(b *testing.B, path string, offset int64) (hits, requests int) {
	b.Helper()
	file, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer file.Close()
	if _, err := file.Seek(offset, 0); err != nil {
		b.Fatal(err)
	}
	sc := bufio.NewScanner(file)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 {
			continue
		}
		requests++
		if fields[1] == "HIT" {
			hits++
		}
	}
	if err := sc.Err(); err != nil {
		b.Fatal(err)
	}
	if requests == 0 {
		b.Fatalf("%s logged no request", path)
	}
	return hits, requests
}

// pullTook is the time a replica's sync logs for a pull of the map.
var pullTook = regexp.MustCompile(`new version in place" id=` + benchFleetID + ` version=\S+ key=\S+ bytes=\d{6,} took=(\S+)`)

// processCPU is the CPU time process pid has used so far, from
// /proc/PID/stat (utime and stime, in clock ticks of 10 ms).
func processCPU(b *testing.B, pid int) time.Duration {
	b.Helper()
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		b.Fatal(err)
	}
	// The fields after the command's name, which is in parentheses.
	fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	utime, _ := strconv.Atoi(fields[11])
	stime, _ := strconv.Atoi(fields[12])
	return time.Duration(utime+stime) * 10 * time.Millisecond
}
