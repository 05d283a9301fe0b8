package e2e

import (
	"context"
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
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/internal/s3test"
	"github.com/outcrop/outcrop/tileset"
)

// The fleet: SeaweedFS as the object storage, three `outcrop serve --sync`
// replicas (the built binary) on loopback, and Debian's nginx in front as
// load balancer and cache, configured by docs/deploy/nginx-outcrop.conf.
// TestFleet runs a short form in every `go test ./...`, so that it cannot
// rot; `make fleet-test` (OUTCROP_FLEET=1, FLEET_TIME) the long one.

const (
	fleetID      = "fleet"
	fleetMaxZoom = 4
	fleetBucket  = "fleet"
	// fleetSync is the replicas' --sync-interval.
	fleetSync = time.Second
	// fleetAllowance is the time, beyond the sync interval, that a replica
	// may take to download, check and swap in a small published version: the
	// N of docs/OBJECT-STORAGE.md is fleetSync plus this.
	fleetAllowance = 5 * time.Second
	// fleetNginxConf is the documented nginx configuration.
	fleetNginxConf = "../docs/deploy/nginx-outcrop.conf"
)

// fleetTime is how long the load of TestFleet lasts: FLEET_TIME under
// OUTCROP_FLEET=1 (make fleet-test), a few seconds otherwise.
func fleetTime(t *testing.T) (d time.Duration, long bool) {
	t.Helper()
	if os.Getenv("OUTCROP_FLEET") == "" {
		return 10 * time.Second, false
	}
	v := os.Getenv("FLEET_TIME")
	if v == "" {
		return 2 * time.Minute, true
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		t.Fatalf("FLEET_TIME=%q is not a positive Go duration such as 90s or 5m", v)
	}
	return d, true
}

// writeFleetEdition writes a version of tileset id into a new store
// directory under parent: every tile of zooms 0 to fleetMaxZoom holds one
// square, the whole tile, whose property edition is edition, so that the
// version a tile came from can be read from its content. It returns the
// store directory and the version.
func writeFleetEdition(t testing.TB, parent, id string, edition int) (store, version string) {
	t.Helper()
	store = filepath.Join(parent, fmt.Sprintf("edition-%d", edition))
	if err := os.MkdirAll(store, 0o755); err != nil {
		t.Fatal(err)
	}
	w, err := tileset.Create(store, id)
	if err != nil {
		t.Fatal(err)
	}
	f := geojson.NewFeature(orb.Polygon{{{0, 0}, {4096, 0}, {4096, 4096}, {0, 4096}, {0, 0}}})
	f.Properties = geojson.Properties{"edition": edition}
	data, err := mvt.MarshalGzipped(mvt.Layers{{Name: id, Version: 2, Extent: 4096, Features: []*geojson.Feature{f}}})
	if err != nil {
		t.Fatal(err)
	}
	var tiles []tileset.Tile
	for z := 0; z <= fleetMaxZoom; z++ {
		for x := 0; x < 1<<z; x++ {
			for y := 0; y < 1<<z; y++ {
				tiles = append(tiles, tileset.Tile{Z: z, X: x, Y: y, Data: data})
			}
		}
	}
	if err := w.PutTiles(tiles); err != nil {
		t.Fatal(err)
	}
	meta := &tileset.Metadata{
		Title:        fmt.Sprintf("Fleet test, edition %d", edition),
		Layer:        id,
		GeometryType: "polygon",
		Fields:       []tileset.Field{{Name: "edition", Type: "integer"}},
		Bounds:       [4]float64{-180, -85, 180, 85},
		MaxZoom:      fleetMaxZoom,
	}
	if err := w.Commit(meta); err != nil {
		t.Fatal(err)
	}
	return store, meta.Version
}

// tileEditionOf reads the edition property of a fleet tile's one feature.
func tileEditionOf(body []byte) (int, error) {
	layers, err := mvt.Unmarshal(body)
	if err != nil {
		return 0, fmt.Errorf("not a vector tile: %v", err)
	}
	if len(layers) != 1 || len(layers[0].Features) != 1 {
		return 0, fmt.Errorf("want one layer of one feature, got %d layers", len(layers))
	}
	e, ok := layers[0].Features[0].Properties["edition"].(float64)
	if !ok {
		return 0, fmt.Errorf("its feature has no numeric edition: %v", layers[0].Features[0].Properties)
	}
	return int(e), nil
}

// fleet is the running system under test.
type fleet struct {
	// id is the tileset published; loc the object storage it is published to.
	bin, id, loc string
	replicas     []*fleetReplica
	// base is nginx's URL; nginxDir holds its configuration and logs.
	base, nginxDir string
	s3             *s3test.Server
}

// fleetReplica is one `outcrop serve --sync` with its own store, on a fixed
// address so that it comes back where nginx expects it after a kill.
type fleetReplica struct {
	store, addr string
	srv         *binServer
}

// startFleet starts the object storage with bucket fleet in the
// environment of the test (and so of the processes it starts), publishes
// each of the given stores' tileset id in turn, then starts n replicas
// pulling from it every interval and nginx in front of them.
func startFleet(t testing.TB, id string, n int, interval time.Duration, initial ...string) *fleet {
	t.Helper()
	bin := outcropServerBinary(t)
	nginx := needTool(t, "nginx", "nginx-light")
	began := time.Now()
	s3, err := s3test.Start()
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	t.Cleanup(s3.Stop)
	for _, kv := range s3.Env(t.TempDir()) {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	if err := s3.CreateBucket(context.Background(), fleetBucket); err != nil {
		t.Fatal(err)
	}
	t.Logf("object storage up in %v", time.Since(began).Round(time.Millisecond))
	f := &fleet{bin: bin, id: id, loc: "s3://" + fleetBucket + "/outcrop", s3: s3}
	for _, store := range initial {
		f.publish(t, store)
	}
	ports := make([]string, n)
	for i := range ports {
		ports[i] = freeLoopbackAddr(t)
	}
	dir := t.TempDir()
	for i, addr := range ports {
		r := &fleetReplica{store: filepath.Join(dir, fmt.Sprintf("replica-%d", i)), addr: addr}
		if err := os.Mkdir(r.store, 0o755); err != nil {
			t.Fatal(err)
		}
		r.start(t, f, interval)
		f.replicas = append(f.replicas, r)
	}
	f.base, f.nginxDir = startFleetNginx(t, nginx, ports)
	t.Logf("fleet up in %v", time.Since(began).Round(time.Millisecond))
	return f
}

// start starts the replica's server; it returns once the server listens,
// which it does after its first pull from the object storage.
func (r *fleetReplica) start(t testing.TB, f *fleet, interval time.Duration) {
	t.Helper()
	r.srv = startServe(t, f.bin, r.store, "--addr", r.addr, "--sync", f.loc, "--sync-interval", interval.String())
}

// kill ends the replica with SIGKILL, as a crash or the OOM killer would.
func (r *fleetReplica) kill(t testing.TB) {
	t.Helper()
	if err := r.srv.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-r.srv.done
}

// publish runs outcrop publish of the fleet's tileset in store.
func (f *fleet) publish(t testing.TB, store string) {
	t.Helper()
	mustRun(t, f.bin, "publish", "--store", store, "--id", f.id, f.loc)
}

// freeLoopbackAddr returns a loopback address free now.
func freeLoopbackAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// startFleetNginx runs nginx with the documented configuration in front of
// the replicas at upstreams. Only the three lines the file marks ADJUST
// are rewritten: the cache directory, the upstream (one server line per
// replica) and the port. Every request is logged to DIR/access.log as
// "STATUS CACHE-STATUS URI", for the benchmark's hit ratio.
func startFleetNginx(t testing.TB, bin string, upstreams []string) (base, dir string) {
	t.Helper()
	doc, err := os.ReadFile(fleetNginxConf)
	if err != nil {
		t.Fatal(err)
	}
	dir = t.TempDir()
	addr := freeLoopbackAddr(t)
	var servers []string
	for _, u := range upstreams {
		servers = append(servers, "server "+u+";")
	}
	conf := string(doc)
	for _, r := range [][2]string{
		{"/var/cache/nginx/outcrop ", filepath.Join(dir, "cache") + " "},
		{"server 127.0.0.1:8080;", strings.Join(servers, "\n    ")},
		{"listen 80;", "listen " + addr + ";"},
	} {
		if strings.Count(conf, r[0]) != 1 {
			t.Fatalf("%s no longer holds %q once; update this test with the documented config", fleetNginxConf, r[0])
		}
		conf = strings.Replace(conf, r[0], r[1], 1)
	}
	if err := os.WriteFile(filepath.Join(dir, "outcrop.conf"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	// As Debian's nginx.conf would include it, with every path in dir. As
	// root, workers stay root so that they can use the private temp dir.
	main := fmt.Sprintf(`daemon off;
worker_processes auto;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log warn;
%[2]s
events { worker_connections 1024; }
http {
  log_format cache '$status $upstream_cache_status $request_uri';
  access_log %[1]s/access.log cache;
  client_body_temp_path %[1]s/body;
  proxy_temp_path %[1]s/proxy;
  fastcgi_temp_path %[1]s/fastcgi;
  uwsgi_temp_path %[1]s/uwsgi;
  scgi_temp_path %[1]s/scgi;
  include %[1]s/outcrop.conf;
}
`, dir, map[bool]string{true: "user root;", false: ""}[os.Geteuid() == 0])
	if err := os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte(main), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-p", dir, "-c", filepath.Join(dir, "nginx.conf"), "-e", filepath.Join(dir, "error.log"))
	out := &binBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGINT) // fast shutdown
		cmd.Wait()
	})
	base = "http://" + addr
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if resp, err := http.Get(base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base, dir
			}
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			t.Fatalf("nginx did not answer on %s: %s%s", addr, out, log)
		}
	}
}

// tileJSONVersion is the version in the tile URL template of a TileJSON:
// "/tiles/ID@VERSION/{z}/{x}/{y}.mvt".
var tileJSONVersion = regexp.MustCompile(`/tiles/[^/@]+@([^/]+)/\{z\}/\{x\}/\{y\}`)

// servedVersion is the version the TileJSON at url names, or "" when it
// cannot be read.
func servedVersion(c *http.Client, url string) string {
	resp, err := c.Get(url)
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	var doc struct {
		Tiles []string `json:"tiles"`
	}
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&doc) != nil || len(doc.Tiles) == 0 {
		return ""
	}
	if m := tileJSONVersion.FindStringSubmatch(doc.Tiles[0]); m != nil {
		return m[1]
	}
	return ""
}

// waitVersion polls each replica's own TileJSON of tileset id until it
// names version, and returns how long after since each took; a replica
// still without it after deadline has its wait reported as negative.
func (f *fleet) waitVersion(id, version string, since time.Time, deadline time.Duration) []time.Duration {
	c := &http.Client{Timeout: 2 * time.Second}
	took := make([]time.Duration, len(f.replicas))
	var wg sync.WaitGroup
	for i, r := range f.replicas {
		wg.Go(func() {
			for {
				if servedVersion(c, "http://"+r.addr+"/tiles/"+id+".json") == version {
					took[i] = time.Since(since)
					return
				}
				if time.Since(since) > deadline {
					took[i] = -1
					return
				}
				time.Sleep(20 * time.Millisecond)
			}
		})
	}
	wg.Wait()
	return took
}

// fleetClient plays a map client against the balancer while versions
// change: it reads TileJSON (revalidating it by ETag), then fetches tiles
// from the URLs it names, a plain tile and a tile of the first version,
// checking each answer's status and the edition each tile holds.
type fleetClient struct {
	base string
	c    *http.Client

	mu sync.Mutex
	// editions maps each published version to its edition.
	editions map[string]int
	requests map[string]int // by kind
	failures []string
	failed   int
}

func newFleetClient(base string) *fleetClient {
	tr := &http.Transport{MaxIdleConnsPerHost: 16}
	return &fleetClient{base: base, c: &http.Client{Transport: tr, Timeout: 10 * time.Second},
		editions: map[string]int{}, requests: map[string]int{}}
}

// expect records that version, of edition, may be served from now on.
func (fc *fleetClient) expect(version string, edition int) {
	fc.mu.Lock()
	fc.editions[version] = edition
	fc.mu.Unlock()
}

func (fc *fleetClient) edition(version string) (int, bool) {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	e, ok := fc.editions[version]
	return e, ok
}

func (fc *fleetClient) fail(format string, args ...any) {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	fc.failed++
	if len(fc.failures) < 20 {
		fc.failures = append(fc.failures, time.Now().Format("15:04:05.000")+" "+fmt.Sprintf(format, args...))
	}
}

// get fetches path from the balancer and counts the request by kind.
func (fc *fleetClient) get(kind, path string, header ...string) (status int, h http.Header, body []byte, err error) {
	fc.mu.Lock()
	fc.requests[kind]++
	fc.mu.Unlock()
	req, err := http.NewRequest(http.MethodGet, fc.base+path, nil)
	if err != nil {
		return 0, nil, nil, err
	}
	for i := 0; i+1 < len(header); i += 2 {
		if header[i+1] != "" {
			req.Header.Set(header[i], header[i+1])
		}
	}
	resp, err := fc.c.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	body, err = io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, body, err
}

// tile fetches a tile and checks it is a 200 holding edition want, or any
// published edition when want is negative.
func (fc *fleetClient) tile(kind, path string, want int) {
	status, _, body, err := fc.get(kind, path)
	if err != nil || status != http.StatusOK {
		fc.fail("%s %s: status %d, %v: %.200s", kind, path, status, err, body)
		return
	}
	got, err := tileEditionOf(body)
	switch {
	case err != nil:
		fc.fail("%s %s: %v", kind, path, err)
	case want >= 0 && got != want:
		fc.fail("%s %s: edition %d, want %d: two versions mixed", kind, path, got, want)
	case want < 0:
		fc.mu.Lock()
		known := false
		for _, e := range fc.editions {
			known = known || e == got
		}
		fc.mu.Unlock()
		if !known {
			fc.fail("%s %s: edition %d was never published", kind, path, got)
		}
	}
}

// run plays one client until ctx is done; first is a versioned tile path
// template of the first version, which nginx has cached.
func (fc *fleetClient) run(ctx context.Context, seed uint64, first string) {
	rnd := rand.New(rand.NewPCG(seed, 1))
	var etag, template string
	for ctx.Err() == nil {
		status, h, body, err := fc.get("tilejson", "/tiles/"+fleetID+".json", "If-None-Match", etag)
		switch {
		case err != nil:
			fc.fail("TileJSON: %v", err)
			continue
		case status == http.StatusNotModified && template != "":
		case status == http.StatusOK:
			var doc struct {
				Tiles []string `json:"tiles"`
			}
			if err := json.Unmarshal(body, &doc); err != nil || len(doc.Tiles) != 1 || !strings.HasPrefix(doc.Tiles[0], fc.base+"/") {
				fc.fail("TileJSON: %v, tiles %v, want one template on %s", err, doc.Tiles, fc.base)
				continue
			}
			etag, template = h.Get("ETag"), strings.TrimPrefix(doc.Tiles[0], fc.base)
		default:
			fc.fail("TileJSON: status %d: %.200s", status, body)
			continue
		}
		m := tileJSONVersion.FindStringSubmatch(template)
		if m == nil {
			fc.fail("TileJSON names %s, not a versioned tile URL", template)
			continue
		}
		edition, ok := fc.edition(m[1])
		if !ok {
			fc.fail("TileJSON names version %s, which was never published", m[1])
			continue
		}
		for range 3 {
			z, x, y := fleetRandomTile(rnd)
			fc.tile("versioned", fillZXY(template, z, x, y), edition)
		}
		z, x, y := fleetRandomTile(rnd)
		fc.tile("plain", fmt.Sprintf("/tiles/%s/%d/%d/%d.mvt", fleetID, z, x, y), -1)
		z, x, y = fleetRandomTile(rnd)
		fc.tile("first version", fillZXY(first, z, x, y), 0)
	}
}

func fleetRandomTile(rnd *rand.Rand) (z, x, y int) {
	z = rnd.IntN(fleetMaxZoom + 1)
	return z, rnd.IntN(1 << z), rnd.IntN(1 << z)
}

func fillZXY(template string, z, x, y int) string {
	return strings.NewReplacer("{z}", strconv.Itoa(z), "{x}", strconv.Itoa(x), "{y}", strconv.Itoa(y)).Replace(template)
}

// fleetWrk is wrk's run on the balancer: testdata/fleet.lua cycles through
// a list of paths and counts every answer other than 2xx or 304.
type fleetWrk struct {
	cmd *exec.Cmd
	out *binBuffer
}

var (
	wrkFleetBad   = regexp.MustCompile(`FLEET requests=(\d+) bad=(\d+) first_bad=(.*)`)
	wrkFleetTotal = regexp.MustCompile(`(\d+) requests in`)
)

// startFleetWrk starts wrk on base with connections over paths, for as
// long as it is let run: stop ends it with SIGINT, at which wrk reports.
func startFleetWrk(t testing.TB, wrk, base string, threads, connections int, paths []string) *fleetWrk {
	t.Helper()
	list := filepath.Join(t.TempDir(), "paths.txt")
	if err := os.WriteFile(list, []byte(strings.Join(paths, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	script, err := filepath.Abs("testdata/fleet.lua")
	if err != nil {
		t.Fatal(err)
	}
	w := &fleetWrk{out: &binBuffer{}}
	w.cmd = exec.Command(wrk, fmt.Sprintf("-t%d", threads), fmt.Sprintf("-c%d", connections), "-d1h", "--timeout", "10s", "-s", script, base, "--", list)
	w.cmd.Stdout, w.cmd.Stderr = w.out, w.out
	if err := w.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.cmd.Process.Kill(); w.cmd.Wait() })
	return w
}

// stop ends wrk and checks its report: every request answered 2xx or 304,
// no socket error. It returns the number of requests.
func (w *fleetWrk) stop(t testing.TB) int {
	t.Helper()
	w.cmd.Process.Signal(syscall.SIGINT)
	done := make(chan error, 1)
	go func() { done <- w.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatalf("wrk did not end within 30 s of SIGINT:\n%s", w.out)
	}
	out := w.out.String()
	m := wrkFleetBad.FindStringSubmatch(out)
	total := wrkFleetTotal.FindStringSubmatch(out)
	if m == nil || total == nil {
		t.Fatalf("wrk printed no report:\n%s", out)
	}
	if m[2] != "0" {
		t.Errorf("wrk: %s of %s answers were neither 2xx nor 304; the first: %s", m[2], m[1], m[3])
	}
	if m := wrkNon2xx.FindString(out); m != "" {
		t.Errorf("wrk: %s", m)
	}
	if m := wrkSockets.FindString(out); m != "" {
		t.Errorf("wrk: %s", m)
	}
	n, _ := strconv.Atoi(total[1])
	return n
}

// TestFleet: wrk and map clients load nginx in front of three replicas
// while a new version is published five times and one replica is killed
// with SIGKILL and restarted. Every answer must be a 2xx or a 304; every
// tile must hold the edition of the version its URL or TileJSON names (no
// response mixes two versions); and after each publish every replica must
// serve the new version within the sync interval plus fleetAllowance. A
// tile of a version every replica has replaced since the client read its
// TileJSON is no exception: the replicas keep a replaced version served
// under its versioned URLs (serve --keep-replaced).
func TestFleet(t *testing.T) {
	load, long := fleetTime(t)
	wrk := needTool(t, "wrk", "wrk")
	work := t.TempDir()
	const publishes = 5
	stores, versions := make([]string, publishes+1), make([]string, publishes+1)
	for e := range stores {
		stores[e], versions[e] = writeFleetEdition(t, work, fleetID, e)
	}
	f := startFleet(t, fleetID, 3, fleetSync, stores[0])
	deadline := fleetSync + fleetAllowance
	if took := f.waitVersion(fleetID, versions[0], time.Now(), deadline); took[0] < 0 || took[1] < 0 || took[2] < 0 {
		t.Fatalf("the replicas did not start on the published version %s: %v", versions[0], took)
	}

	// The first version's tiles, fetched once through nginx, which caches
	// them: wrk and the clients keep asking for them after every replica
	// has moved on.
	first := "/tiles/" + fleetID + "@" + versions[0] + "/{z}/{x}/{y}.mvt"
	var paths []string
	for z := 0; z <= fleetMaxZoom; z++ {
		for x := 0; x < 1<<z; x++ {
			for y := 0; y < 1<<z; y++ {
				versioned := fillZXY(first, z, x, y)
				resp, err := http.Get(f.base + versioned)
				if err != nil || resp.StatusCode != http.StatusOK {
					t.Fatalf("warming the cache with %s: %v %v", versioned, err, resp)
				}
				resp.Body.Close()
				paths = append(paths, versioned, fillZXY("/tiles/"+fleetID+"/{z}/{x}/{y}.mvt", z, x, y))
			}
		}
	}
	for range len(paths) / 8 {
		paths = append(paths, "/tiles/"+fleetID+".json")
	}
	rand.Shuffle(len(paths), func(i, j int) { paths[i], paths[j] = paths[j], paths[i] })

	threads, connections, clients := 1, 8, 2
	if long {
		threads, connections, clients = 2, 32, 4
	}
	fc := newFleetClient(f.base)
	fc.expect(versions[0], 0)
	w := startFleetWrk(t, wrk, f.base, threads, connections, paths)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for i := range clients {
		wg.Go(func() { fc.run(ctx, uint64(i), first) })
	}
	defer func() { cancel(); wg.Wait() }()

	// The publishes are spread over the load; the third is followed by a
	// SIGKILL of a replica while the version spreads, and its restart.
	gap := load / (publishes + 1)
	var slowest time.Duration
	for e := 1; e <= publishes; e++ {
		time.Sleep(gap)
		fc.expect(versions[e], e)
		start := time.Now()
		f.publish(t, stores[e])
		published := time.Since(start)
		allowed := deadline + published
		if e == 3 {
			victim := f.replicas[1]
			time.Sleep(200 * time.Millisecond)
			down := time.Now()
			victim.kill(t)
			time.Sleep(time.Second)
			victim.start(t, f, fleetSync)
			t.Logf("replica %s killed (SIGKILL) during the spread of edition 3, back after %v", victim.addr, time.Since(down).Round(time.Millisecond))
			allowed += time.Since(down)
		}
		took := f.waitVersion(fleetID, versions[e], start, allowed)
		for i, d := range took {
			if d < 0 {
				t.Errorf("edition %d: replica %d (%s) did not serve version %s within %v of its publish (publish took %v)", e, i, f.replicas[i].addr, versions[e], allowed, published.Round(time.Millisecond))
			}
			slowest = max(slowest, d)
		}
		t.Logf("edition %d: publish took %v; every replica served it %v after the publish began (%v)", e, published.Round(time.Millisecond), slices.Max(took).Round(time.Millisecond), took)
	}
	time.Sleep(gap / 2)
	cancel()
	wg.Wait()
	requests := w.stop(t)

	fc.mu.Lock()
	defer fc.mu.Unlock()
	t.Logf("wrk: %d requests through nginx; map clients: %v; slowest replica to a new version: %v", requests, fc.requests, slowest.Round(time.Millisecond))
	if fc.failed > 0 {
		t.Errorf("%d of the map clients' requests failed; the first:\n%s", fc.failed, strings.Join(fc.failures, "\n"))
	}
	if fc.requests["versioned"] == 0 || fc.requests["plain"] == 0 || fc.requests["tilejson"] == 0 {
		t.Errorf("the map clients made too few requests: %v", fc.requests)
	}
	if t.Failed() {
		log, _ := os.ReadFile(filepath.Join(f.nginxDir, "error.log"))
		t.Logf("nginx error log:\n%s", lastBytes(string(log), 3000))
		for i, r := range f.replicas {
			t.Logf("replica %d stderr:\n%s", i, lastBytes(r.srv.stderr.String(), 2000))
		}
	}
}

// lastBytes is the end of s, at most n bytes of it.
func lastBytes(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// TestFleetPullOnDemand: a replica asked for a version newer than its own,
// which another replica gave the client, pulls it at once rather than
// answer 404 until its next pass; here no pass is due for an hour, so
// only such a request can bring the new version in.
func TestFleetPullOnDemand(t *testing.T) {
	work := t.TempDir()
	old, oldVersion := writeFleetEdition(t, work, fleetID, 0)
	next, nextVersion := writeFleetEdition(t, work, fleetID, 1)
	f := startFleet(t, fleetID, 2, time.Hour, old)
	f.publish(t, next)
	fc := newFleetClient(f.base)
	fc.expect(oldVersion, 0)
	fc.expect(nextVersion, 1)
	fc.tile("versioned", "/tiles/"+fleetID+"@"+nextVersion+"/2/1/1.mvt", 1)
	fc.tile("versioned", "/tiles/"+fleetID+"@"+nextVersion+"/4/3/7.mvt", 1)
	if fc.failed > 0 {
		t.Fatalf("the new version through nginx:\n%s", strings.Join(fc.failures, "\n"))
	}
	// The replica that pulled serves the new version at every URL now.
	pulled := 0
	for _, r := range f.replicas {
		if servedVersion(http.DefaultClient, "http://"+r.addr+"/tiles/"+fleetID+".json") == nextVersion {
			pulled++
		}
	}
	if pulled == 0 {
		t.Errorf("no replica's TileJSON names %s after serving its tiles", nextVersion)
	}
}

// TestFleetKeepsReplaced: once every replica serves a new version, a tile
// of the version before it that no cache holds, asked for by a client
// still holding the old TileJSON, is served from a replica that kept it
// (serve --keep-replaced), not a 404.
func TestFleetKeepsReplaced(t *testing.T) {
	work := t.TempDir()
	old, oldVersion := writeFleetEdition(t, work, fleetID, 0)
	next, nextVersion := writeFleetEdition(t, work, fleetID, 1)
	f := startFleet(t, fleetID, 2, fleetSync, old)
	deadline := fleetSync + fleetAllowance
	if took := f.waitVersion(fleetID, oldVersion, time.Now(), deadline); slices.Min(took) < 0 {
		t.Fatalf("the replicas did not start on %s: %v", oldVersion, took)
	}
	start := time.Now()
	f.publish(t, next)
	if took := f.waitVersion(fleetID, nextVersion, start, deadline+time.Since(start)); slices.Min(took) < 0 {
		t.Fatalf("the replicas did not move to %s: %v", nextVersion, took)
	}
	fc := newFleetClient(f.base)
	fc.expect(oldVersion, 0)
	fc.expect(nextVersion, 1)
	fc.tile("versioned", "/tiles/"+fleetID+"@"+oldVersion+"/2/1/1.mvt", 0)
	fc.tile("versioned", "/tiles/"+fleetID+"@"+nextVersion+"/2/1/1.mvt", 1)
	fc.tile("plain", "/tiles/"+fleetID+"/3/2/5.mvt", 1)
	if fc.failed > 0 {
		t.Errorf("after every replica moved on:\n%s", strings.Join(fc.failures, "\n"))
	}
}
