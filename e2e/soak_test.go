package e2e

// The reliability soak (make soak): each part runs the real binary on
// loopback for a bounded time, prints its figures (go test -v) and passes
// only with zero failures. Under a plain go test each part runs its short
// form, a few seconds, so that it cannot rot; OUTCROP_SOAK=2m runs each for
// two minutes.

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"

	"github.com/outcrop/outcrop/tileset"
)

// soakTime is how long one soak part runs: OUTCROP_SOAK (a Go duration,
// set by make soak) or, when it is unset, short.
func soakTime(t *testing.T, short time.Duration) time.Duration {
	t.Helper()
	v := os.Getenv("OUTCROP_SOAK")
	if v == "" {
		return short
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		t.Fatalf("OUTCROP_SOAK=%q is not a positive Go duration such as 90s or 2m", v)
	}
	return d
}

// centreTiles returns the tile URLs of tileset id at zooms 4 and 5 over the
// GSWA map sheet's centre, where one tile holds the whole sheet: the
// geology and the faults both have data there.
func centreTiles(t *testing.T, base, id string) []string {
	t.Helper()
	tj := getTileJSON(t, base, id)
	var urls []string
	for _, z := range []maptile.Zoom{4, 5} {
		c := maptile.At(orb.Point{tj.Center[0], tj.Center[1]}, z)
		urls = append(urls, fmt.Sprintf("%s/tiles/%s/%d/%d/%d.mvt", base, id, c.Z, c.X, c.Y))
	}
	return urls
}

// tileKind says which GSWA version a vector tile holds: "polygons" (the
// geology) or "lines" (the faults); anything else is an error.
func tileKind(body []byte) (string, error) {
	layers, err := mvt.Unmarshal(body)
	if err != nil {
		return "", fmt.Errorf("not a vector tile: %v", err)
	}
	kinds := map[string]bool{}
	for _, l := range layers {
		for _, f := range l.Features {
			switch f.Geometry.(type) {
			case orb.Polygon, orb.MultiPolygon:
				kinds["polygons"] = true
			case orb.LineString, orb.MultiLineString:
				kinds["lines"] = true
			default:
				kinds[f.Geometry.GeoJSONType()] = true
			}
		}
	}
	if len(kinds) != 1 {
		return "", fmt.Errorf("a tile of one version holds %v", kinds)
	}
	for k := range kinds {
		return k, nil
	}
	return "", nil
}

// cutAfterOK is the status a loader's check is given for a 200 whose body
// was cut short: the server found damage after the status had gone out and
// closed the connection, which a client sees as a broken response.
const cutAfterOK = -1

// loader is a set of clients fetching URLs in a loop; check judges each
// response and returns "" for a good one, else what was wrong.
type loader struct {
	client   *http.Client
	check    func(url string, status int, body []byte) string
	requests atomic.Int64
	quit     chan struct{}
	wg       sync.WaitGroup
	once     sync.Once

	mu       sync.Mutex
	byStatus map[int]int
	failed   int
	fails    []string
}

func newLoader(urls []string, clients int, check func(url string, status int, body []byte) string) *loader {
	l := &loader{
		client:   &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: clients}},
		check:    check,
		quit:     make(chan struct{}),
		byStatus: map[int]int{},
	}
	for c := range clients {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			for i := c; ; i++ {
				select {
				case <-l.quit:
					return
				default:
				}
				l.fetch(urls[i%len(urls)])
			}
		}()
	}
	return l
}

func (l *loader) fetch(url string) {
	status, msg := 0, ""
	resp, err := l.client.Get(url)
	if err == nil {
		var body []byte
		body, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		status = resp.StatusCode
		if err != nil && status == http.StatusOK {
			// A body cut short after its 200: check decides whether
			// that is acceptable, told by status cutAfterOK.
			status, body, err = cutAfterOK, nil, nil
		}
		if err == nil {
			msg = l.check(url, status, body)
		}
	}
	if err != nil {
		msg = err.Error()
	}
	l.requests.Add(1)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.byStatus[status]++
	if msg != "" {
		l.failed++
		if len(l.fails) < 10 {
			l.fails = append(l.fails, fmt.Sprintf("GET %s: status %d: %s", url, status, msg))
		}
	}
}

// stop ends the clients and fails t for every bad response, listing the
// first ten; it returns the responses counted by status.
func (l *loader) stop(t *testing.T) map[int]int {
	t.Helper()
	l.once.Do(func() {
		close(l.quit)
		l.wg.Wait()
		l.client.CloseIdleConnections()
	})
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, f := range l.fails {
		t.Error(f)
	}
	if l.failed > len(l.fails) {
		t.Errorf("... %d bad responses in all", l.failed)
	}
	return l.byStatus
}

// soakStore ingests the GSWA geology as id into a new store.
func soakStore(t *testing.T, bin, id string) string {
	t.Helper()
	dir := t.TempDir()
	mustRun(t, bin, "ingest", "--quiet", "--store", dir, "--id", id, "--title", "geology", gswaGeology)
	return dir
}

// wrkFigures are the lines of wrk's report a soak reads.
var (
	wrkRate    = regexp.MustCompile(`Requests/sec:\s+([\d.]+)`)
	wrkNon2xx  = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
	wrkSockets = regexp.MustCompile(`Socket errors: .*`)
)

// TestSoakLoad: wrk holds 64 connections on a tile, a page of features and
// a TileJSON of the shared store; every response must be a 2xx.
func TestSoakLoad(t *testing.T) {
	wrk := needTool(t, "wrk", "wrk")
	s := sharedStore(t)
	srv := startServe(t, s.bin, s.dir)
	d := soakTime(t, 3*time.Second)
	targets := []string{
		centreTiles(t, srv.url, s.gswa.id)[1],
		srv.url + "/collections/" + s.deposits.id + "/items?limit=20",
		srv.url + "/tiles/" + s.synth.id + ".json",
	}
	for _, target := range targets {
		secs := max(1, int((d/time.Duration(len(targets))).Round(time.Second)/time.Second))
		out, err := exec.Command(wrk, "-t2", "-c64", fmt.Sprintf("-d%ds", secs), "--timeout", "10s", target).CombinedOutput()
		if err != nil {
			t.Fatalf("wrk %s: %v\n%s", target, err, out)
		}
		rate := wrkRate.FindSubmatch(out)
		if rate == nil {
			t.Fatalf("wrk %s: no Requests/sec in its report:\n%s", target, out)
		}
		t.Logf("load %s: %s requests/s over %d s, 64 connections", strings.TrimPrefix(target, srv.url), rate[1], secs)
		if m := wrkNon2xx.FindSubmatch(out); m != nil {
			t.Errorf("wrk %s: %s responses were not 2xx or 3xx", target, m[1])
		}
		if m := wrkSockets.Find(out); m != nil {
			t.Errorf("wrk %s: %s", target, m)
		}
	}
	if strings.Contains(srv.stderr.String(), "level=ERROR") || strings.Contains(srv.stderr.String(), "panic") {
		t.Errorf("the server logged errors under load:\n%.2000s", srv.stderr)
	}
}

// TestSoakHotSwap re-ingests a served tileset again and again, switching
// between two versions, under clients that must see no failed request, no
// tile mixing two versions and never the old version after the new one.
func TestSoakHotSwap(t *testing.T) {
	bin := outcropBinary(t)
	dir := soakStore(t, bin, "swap")
	srv := startServe(t, bin, dir, "--poll", "100ms")
	urls := centreTiles(t, srv.url, "swap")
	d := soakTime(t, 3*time.Second)
	sources := map[string]string{"polygons": gswaGeology, "lines": gswaFaults}
	next := "lines"
	swaps, requests, byKind := 0, int64(0), map[string]int{}
	for start := time.Now(); swaps < 2 || time.Since(start) < d; swaps++ {
		h := newHammerTo(urls, 4, next)
		h.waitRequests(t, 10)
		mustRun(t, bin, "ingest", "--quiet", "--store", dir, "--id", "swap", sources[next])
		if !poll(func() bool { return h.allSaw(next) }) {
			t.Errorf("swap %d: after %v, not every client has seen the new version (%s)", swaps+1, storeChangeWait, next)
		}
		h.stop()
		requests += h.requests.Load()
		for k, n := range h.counts() {
			byKind[k] += n
		}
		for _, f := range h.failures() {
			t.Errorf("swap %d: %s", swaps+1, f)
		}
		if t.Failed() {
			break
		}
		next = map[string]string{"polygons": "lines", "lines": "polygons"}[next]
	}
	t.Logf("hot swap: %d re-ingests under 4 clients, %d requests, whole tiles by version %v", swaps, requests, byKind)
}

// TestSoakInPlaceOverwrite truncates and overwrites a served file in place
// (as cp or scp onto it do) again and again under load: the other tileset
// never fails a request, the damaged one answers a whole tile of one
// version, a 503, or a 200 whose connection is closed mid-body (the file
// changed during the copy to the client; never a 500, never a body that
// stalls), and each new version is served once its copy is complete.
func TestSoakInPlaceOverwrite(t *testing.T) {
	bin := outcropBinary(t)
	dir := soakStore(t, bin, "victim")
	mustRun(t, bin, "ingest", "--quiet", "--store", dir, "--id", "steady", gswaFaults)
	versions := map[string][]byte{}
	for kind, src := range map[string]string{"polygons": gswaGeology, "lines": gswaFaults} {
		other := t.TempDir()
		mustRun(t, bin, "ingest", "--quiet", "--store", other, "--id", "victim", src)
		b, err := os.ReadFile(filepath.Join(other, "victim"+tileset.Ext))
		if err != nil {
			t.Fatal(err)
		}
		versions[kind] = b
	}
	srv := startServe(t, bin, dir, "--poll", "50ms")
	steady, victim := centreTiles(t, srv.url, "steady"), centreTiles(t, srv.url, "victim")
	var victimOK, victim503, victimCut atomic.Int64
	l := newLoader(append(steady, victim...), 4, func(url string, status int, body []byte) string {
		kind, err := "", error(nil)
		if status == http.StatusOK {
			kind, err = tileKind(body)
		}
		switch {
		case strings.Contains(url, "/steady/") && (status != http.StatusOK || err != nil || kind != "lines"):
			return fmt.Sprintf("the untouched tileset: %v %s", err, kind)
		case strings.Contains(url, "/steady/"):
		case status == http.StatusServiceUnavailable:
			victim503.Add(1)
		case status == cutAfterOK:
			victimCut.Add(1)
		case status != http.StatusOK || err != nil:
			return fmt.Sprintf("the overwritten tileset: want a whole tile or a 503: %v %.100q", err, body)
		default:
			victimOK.Add(1)
		}
		return ""
	})
	path := filepath.Join(dir, "victim"+tileset.Ext)
	d := soakTime(t, 3*time.Second)
	rng := rand.New(rand.NewPCG(15, 9))
	next, rounds := "lines", 0
	for start := time.Now(); rounds < 2 || time.Since(start) < d; rounds++ {
		if rounds%2 == 0 { // a truncation, long enough for the store to see it
			if err := os.Truncate(path, int64(4096*(1+rng.IntN(8)))); err != nil {
				t.Fatal(err)
			}
			time.Sleep(200 * time.Millisecond)
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
		if err != nil {
			t.Fatal(err)
		}
		b := versions[next]
		for off := 0; off < len(b); off += 64 << 10 {
			if _, err := f.Write(b[off:min(off+64<<10, len(b))]); err != nil {
				t.Fatal(err)
			}
			time.Sleep(time.Duration(rng.IntN(30)) * time.Millisecond)
		}
		f.Close()
		waitFor(t, "the copied version ("+next+") to be served", func() bool {
			resp, body := get(t, victim[0])
			kind, err := tileKind(body)
			return resp.StatusCode == http.StatusOK && err == nil && kind == next
		})
		next = map[string]string{"polygons": "lines", "lines": "polygons"}[next]
	}
	counts := l.stop(t)
	if t.Failed() {
		log := srv.stderr.String()
		t.Logf("the server logged (last 4000 bytes):\n%s", log[max(0, len(log)-4000):])
	}
	t.Logf("in-place overwrite: %d copies (%d after a truncation) under 4 clients; %d requests by status %v; overwritten tileset %d whole tiles, %d 503, %d cut after their 200",
		rounds, (rounds+1)/2, l.requests.Load(), counts, victimOK.Load(), victim503.Load(), victimCut.Load())
	if counts[http.StatusInternalServerError] != 0 || !srvAlive(srv) {
		t.Errorf("the server answered 500 or died:\n%.2000s", srv.stderr)
	}
}

// srvAlive reports whether the serve process is still running.
func srvAlive(s *binServer) bool {
	select {
	case <-s.done:
		return false
	default:
		return true
	}
}

// TestSoakKillDuringIngest kills ingest with SIGKILL at random moments while
// it replaces a served tileset: clients never see a failed request, the
// store always holds a whole version (verify passes), and the next ingest
// sweeps the temporary files the killed ones left (once a minute old).
func TestSoakKillDuringIngest(t *testing.T) {
	bin := outcropBinary(t)
	dir := soakStore(t, bin, "k")
	srv := startServe(t, bin, dir, "--poll", "100ms")
	urls := centreTiles(t, srv.url, "k")
	l := newLoader(urls, 4, func(url string, status int, body []byte) string {
		if status != http.StatusOK {
			return fmt.Sprintf("%.200s", body)
		}
		if _, err := tileKind(body); err != nil {
			return err.Error()
		}
		return ""
	})
	d := soakTime(t, 3*time.Second)
	rng := rand.New(rand.NewPCG(15, 7))
	kills, finished, rounds := 0, 0, 0
	for start := time.Now(); kills < 3 || time.Since(start) < d; rounds++ {
		src := []string{gswaGeology, gswaFaults}[rounds%2]
		cmd := exec.Command(bin, "ingest", "--quiet", "--store", dir, "--id", "k", "--maxzoom", "12", src)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		select {
		case err := <-exited:
			if err != nil {
				t.Fatalf("ingest round %d exited before the kill: %v", rounds, err)
			}
			finished++
		case <-time.After(time.Duration(20+rng.IntN(600)) * time.Millisecond):
			cmd.Process.Kill()
			<-exited
			kills++
		}
		if res := runBinary(t, bin, "verify", "--store", dir); res.code != 0 {
			t.Fatalf("after round %d (%d kills): verify exits %d:\n%s%s", rounds, kills, res.code, res.stdout, res.stderr)
		}
	}
	counts := l.stop(t)
	// An ingest spares temporary files younger than a minute (a live
	// writer creates its file a moment before it locks it): the kills'
	// files are dated two minutes back, as if the kills were that old.
	temps, _ := filepath.Glob(filepath.Join(dir, ".*tmp*"))
	for _, p := range temps {
		old := time.Now().Add(-2 * time.Minute)
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	mustRun(t, bin, "ingest", "--quiet", "--store", dir, "--id", "k", gswaFaults)
	left, _ := filepath.Glob(filepath.Join(dir, ".*tmp*"))
	t.Logf("kill -9 during ingest: %d rounds, %d killed, %d finished first; %d requests by status %v; %d temporary files left by the kills, %d after the next ingest",
		rounds, kills, finished, l.requests.Load(), counts, len(temps), len(left))
	if len(left) != 0 {
		t.Errorf("the next ingest left the killed ingests' temporary files: %q", left)
	}
	waitFor(t, "the last ingest (lines) to be served", func() bool {
		resp, body := get(t, urls[0])
		kind, _ := tileKind(body)
		return resp.StatusCode == http.StatusOK && kind == "lines"
	})
}

// deletedTilesets counts the replaced tileset files process pid still holds
// open ("(deleted)" in /proc/PID/fd).
func deletedTilesets(t *testing.T, pid int) int {
	t.Helper()
	fds, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	if err != nil {
		t.Fatalf("listing the server's open files: %v", err)
	}
	n := 0
	for _, fd := range fds {
		target, _ := os.Readlink(fmt.Sprintf("/proc/%d/fd/%s", pid, fd.Name()))
		if strings.Contains(target, tileset.Ext) && strings.HasSuffix(target, "(deleted)") {
			n++
		}
	}
	return n
}

// TestSoakSlowClients: clients that ask for an 8 MB page of features and
// then read a byte every 500 ms pin the version they began on; each time the
// tileset is replaced under them (copy, then rename), the server must close
// the replaced file within its write timeout and version grace, not hold it
// for ever. A round where the clients did not hold it does not count.
func TestSoakSlowClients(t *testing.T) {
	bin := outcropBinary(t)
	// Two versions of 4,000 points with 2 KB of notes each: a page of
	// them (8 MB) is more than the loopback socket buffers hold.
	var sources []string
	for v := range 2 {
		var b strings.Builder
		b.WriteString(`{"type":"FeatureCollection","features":[`)
		for i := range 4000 {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"type":"Feature","properties":{"note":%q},"geometry":{"type":"Point","coordinates":[%g,%g]}}`,
				strings.Repeat(fmt.Sprintf("version %d feature %d ", v, i), 200)[:2000], 100+float64(i%100)/10, 10+float64(i/100)/10)
		}
		b.WriteString("]}")
		src := filepath.Join(t.TempDir(), fmt.Sprintf("points%d.geojson", v))
		if err := os.WriteFile(src, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		sources = append(sources, src)
	}
	// Each version is ingested once; the rounds put them in place by
	// copy-then-rename, at once, so the slow clients are still reading.
	var versions [][]byte
	for _, src := range sources {
		other := t.TempDir()
		mustRun(t, bin, "ingest", "--quiet", "--store", other, "--id", "slow", "--maxzoom", "6", src)
		b, err := os.ReadFile(filepath.Join(other, "slow"+tileset.Ext))
		if err != nil {
			t.Fatal(err)
		}
		versions = append(versions, b)
	}
	dir := t.TempDir()
	putInPlace := func(b []byte) {
		tmp := filepath.Join(dir, ".slow.incoming")
		if err := os.WriteFile(tmp, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, filepath.Join(dir, "slow"+tileset.Ext)); err != nil {
			t.Fatal(err)
		}
	}
	putInPlace(versions[0])
	const writeTimeout, grace = 2 * time.Second, 3 * time.Second
	// --keep-replaced 0: a kept version (for clients holding an old
	// TileJSON) holds its file by design; this test bounds what slow
	// clients hold.
	srv := startServe(t, bin, dir, "--poll", "100ms", "--write-timeout", writeTimeout.String(), "--version-grace", grace.String(), "--keep-replaced", "0")
	d := soakTime(t, 3*time.Second)
	var worst time.Duration
	rounds, slow, pinned := 0, 0, 0
	for start := time.Now(); rounds < 2 || time.Since(start) < d; rounds++ {
		var conns []*slowReader
		for range 2 {
			conns = append(conns, startSlowReader(t, srv.url, "/collections/slow/items?limit=10000&f=json"))
			slow++
		}
		time.Sleep(300 * time.Millisecond) // the requests have begun on this version
		putInPlace(versions[(rounds+1)%2])
		replaced := time.Now()
		waitFor(t, "the new version to be served", func() bool {
			resp, body := get(t, srv.url+"/collections/slow/items/1?f=json")
			return resp.StatusCode == http.StatusOK && bytes.Contains(body, fmt.Appendf(nil, "version %d feature", (rounds+1)%2))
		})
		if deletedTilesets(t, srv.cmd.Process.Pid) != 0 {
			pinned++ // the slow clients hold the replaced file
		}
		bound := writeTimeout + grace + 3*time.Second
		for deletedTilesets(t, srv.cmd.Process.Pid) != 0 && time.Since(replaced) < bound {
			time.Sleep(50 * time.Millisecond)
		}
		took := time.Since(replaced)
		if n := deletedTilesets(t, srv.cmd.Process.Pid); n != 0 {
			t.Fatalf("round %d: %v after the replacement, the server still holds %d replaced tileset file(s) open for slow clients", rounds, took, n)
		}
		worst = max(worst, took)
		for _, c := range conns {
			c.close()
		}
	}
	if pinned == 0 {
		t.Errorf("in none of %d rounds did the slow clients hold the replaced version: the test does not exercise the write timeout", rounds)
	}
	resp, _ := get(t, srv.url+"/collections/slow/items?limit=5")
	if resp.StatusCode != http.StatusOK {
		t.Errorf("after the slow clients, a reading client gets %d", resp.StatusCode)
	}
	t.Logf("slow clients: %d replacements under %d slow readers, the replaced file held in %d; released at worst %v after the replacement (write timeout %v, grace %v)",
		rounds, slow, pinned, worst.Round(10*time.Millisecond), writeTimeout, grace)
}

// slowReader is a raw connection that sent a request and reads its answer
// one byte every 500 ms.
type slowReader struct {
	conn *net.TCPConn
	stop chan struct{}
}

func startSlowReader(t *testing.T, base, target string) *slowReader {
	t.Helper()
	conn := dialRaw(t, base)
	conn.SetReadBuffer(4 << 10)
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: outcrop\r\n\r\n", target)
	s := &slowReader{conn: conn, stop: make(chan struct{})}
	go func() {
		var b [1]byte
		for {
			select {
			case <-s.stop:
				return
			case <-time.After(500 * time.Millisecond):
			}
			if _, err := conn.Read(b[:]); err != nil {
				return
			}
		}
	}()
	return s
}

func (s *slowReader) close() { close(s.stop); s.conn.Close() }

// TestSoakCorruptFiles serves copies of a tileset with random bits flipped
// and crawls every tile and feature of each: no response is a 500, every
// 200 holds exactly the stored tile or valid JSON, every 503 is logged with
// the file's name, and the server stays up.
func TestSoakCorruptFiles(t *testing.T) {
	bin := outcropBinary(t)
	dir := soakStore(t, bin, "good")
	good := filepath.Join(dir, "good"+tileset.Ext)
	orig, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	r, err := tileset.Open(good)
	if err != nil {
		t.Fatal(err)
	}
	tiles := map[string][]byte{}
	r.ForEach(func(z, x, y int, gz []byte) error {
		tiles[fmt.Sprintf("%d/%d/%d", z, x, y)] = gunzipped(t, gz)
		return nil
	})
	var ids []uint64
	r.Features(tileset.FeatureQuery{Limit: 100000}, func(f tileset.RawFeature) error { ids = append(ids, f.ID); return nil })
	r.Close()
	srv := startServe(t, bin, dir, "--poll", "100ms")

	d := soakTime(t, 3*time.Second)
	rng := rand.New(rand.NewPCG(15, 2))
	files, requests, aborted, byStatus := 0, 0, 0, map[int]int{}
	for start := time.Now(); files < 2 || time.Since(start) < d; files++ {
		id := fmt.Sprintf("flipped%d", files)
		data := bytes.Clone(orig)
		for range 1 + rng.IntN(40) {
			data[rng.IntN(len(data))] ^= 1 << rng.IntN(8)
		}
		tmp := filepath.Join(dir, ".incoming")
		if err := os.WriteFile(tmp, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, filepath.Join(dir, id+tileset.Ext)); err != nil {
			t.Fatal(err)
		}
		// Served, or skipped with a log line naming it.
		waitFor(t, id+" to be served or refused", func() bool {
			resp, _ := get(t, srv.url+"/tiles/"+id+".json")
			return resp.StatusCode != http.StatusNotFound || strings.Contains(srv.stderr.String(), id+tileset.Ext)
		})
		saw503 := false
		check := func(target string, status int, body []byte, want []byte) {
			requests++
			byStatus[status]++
			switch {
			case status == http.StatusServiceUnavailable:
				saw503 = true
			case status == http.StatusOK && want != nil && !bytes.Equal(body, want):
				t.Errorf("%s: a 200 with other bytes than the stored tile (%d bytes, want %d)", target, len(body), len(want))
			case status == http.StatusOK && want == nil && !json.Valid(body):
				t.Errorf("%s: a 200 with malformed JSON: %.200q", target, body)
			case status >= 500 || status == http.StatusOK && want == nil && len(body) == 0:
				t.Errorf("%s: status %d: %.200q", target, status, body)
			}
		}
		// fetch gets target; a stream the server cut after its 200 went
		// out (damage found past the first flush) is "aborted": the client
		// sees a broken chunked body, never a whole malformed document.
		fetch := func(target string) (int, []byte) {
			resp, err := binHTTP.Get(srv.url + target)
			if err != nil {
				t.Fatalf("GET %s: %v", target, err)
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				if resp.StatusCode != http.StatusOK || resp.ContentLength >= 0 {
					t.Errorf("GET %s: status %d, reading the body: %v", target, resp.StatusCode, err)
				}
				aborted++
				saw503 = true // must be logged like a 503
				return -1, nil
			}
			return resp.StatusCode, body
		}
		for k, want := range tiles {
			target := "/tiles/" + id + "/" + k + ".mvt"
			status, body := fetch(target)
			if status == http.StatusNoContent {
				want, body = nil, []byte("{}")
			}
			if status >= 0 {
				check(target, status, body, want)
			}
		}
		targets := []string{"/collections/" + id + "/items?limit=1000", "/tiles/" + id + ".json", "/collections/" + id, "/styles/" + id + ".json"}
		for _, fid := range ids {
			targets = append(targets, fmt.Sprintf("/collections/%s/items/%d?f=json", id, fid))
		}
		for _, target := range targets {
			if status, body := fetch(target); status >= 0 {
				check(target, status, body, nil)
			}
		}
		if saw503 && !strings.Contains(srv.stderr.String(), id+tileset.Ext) {
			t.Errorf("%s: 503s or cut streams with no log line naming %s", id, id+tileset.Ext)
		}
		if t.Failed() || !srvAlive(srv) {
			t.Fatalf("%s (bits flipped at random): the server failed; it logged:\n%.3000s", id, srv.stderr)
		}
		os.Remove(filepath.Join(dir, id+tileset.Ext))
	}
	t.Logf("corrupt files: %d files with 1 to 40 flipped bits, %d requests by status %v, %d streams cut after their 200", files, requests, byStatus, aborted)
}

// gunzipped undoes gzip, as the test client's transport does.
func gunzipped(t *testing.T, gz []byte) []byte {
	t.Helper()
	if !bytes.HasPrefix(gz, []byte{0x1f, 0x8b}) {
		return gz
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// dialRaw opens a TCP connection to the server at base (http://host:port).
func dialRaw(t *testing.T, base string) *net.TCPConn {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn.(*net.TCPConn)
}
