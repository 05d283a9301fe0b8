package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"
)

// storeChangeWait bounds the wait for the server to notice a change in its
// store; it polls every 100 ms here, so this is only a guard against a hang.
const storeChangeWait = 30 * time.Second

// TestBinaryServesStoreChangesLive runs "outcrop ingest" against the store of
// a running "outcrop serve": a new tileset appears without a restart, and a
// replaced one changes under clients that never see a failed request, a
// tile mixing the two versions, or the old version after the new one.
func TestBinaryServesStoreChangesLive(t *testing.T) {
	bin := outcropBinary(t)
	store := t.TempDir()
	mustRun(t, bin, "ingest", "--quiet", "--store", store, "--id", "swap", "--title", "v1 geology", gswaGeology)
	srv := startServe(t, bin, store, "--poll", "100ms")

	t.Run("added", func(t *testing.T) {
		if resp, _ := get(t, srv.url+"/tiles/added.json"); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("before ingest: /tiles/added.json is %d, want 404", resp.StatusCode)
		}
		mustRun(t, bin, "ingest", "--quiet", "--store", store, "--id", "added", usgsCSV)
		waitFor(t, "the added tileset to be served", func() bool {
			resp, _ := get(t, srv.url+"/tiles/added.json")
			return resp.StatusCode == http.StatusOK
		})
		tj := getTileJSON(t, srv.url, "added")
		if l := getTile(t, srv.url, "added", tj.VectorLayers[0].ID, 2, 3, 1); len(l.Features) == 0 {
			t.Error("the added tileset's tile 2/3/1 (Southeast Asia) has no features")
		}
		_, body := get(t, srv.url+"/healthz")
		var h struct{ Tilesets int }
		if json.Unmarshal(body, &h) != nil || h.Tilesets != 2 {
			t.Errorf("/healthz after the addition: %s, want 2 tilesets", body)
		}
	})

	t.Run("replaced under load", func(t *testing.T) {
		// Version 1 is the GSWA geology (polygons), version 2 its faults
		// (lines), so every tile tells which version it came from.
		// Both cover the data's centre at zooms 4 and 5, where one tile
		// holds the whole map sheet.
		tj := getTileJSON(t, srv.url, "swap")
		var urls []string
		for _, z := range []maptile.Zoom{4, 5} {
			c := maptile.At(orb.Point{tj.Center[0], tj.Center[1]}, z)
			urls = append(urls, fmt.Sprintf("%s/tiles/swap/%d/%d/%d.mvt", srv.url, c.Z, c.X, c.Y))
		}
		h := newHammer(urls, 4)
		defer h.stop()
		h.waitRequests(t, 20) // the clients are running before the replacement starts

		mustRun(t, bin, "ingest", "--quiet", "--store", store, "--id", "swap", "--title", "v2 faults", gswaFaults)
		if !poll(func() bool { return h.allSaw("lines") }) {
			t.Errorf("after %v, not every client has seen the new version", storeChangeWait)
		}
		h.stop()

		for _, f := range h.failures() {
			t.Error(f)
		}
		counts := h.counts()
		t.Logf("%d requests: %v", h.requests.Load(), counts)
		if counts["polygons"] == 0 || counts["lines"] == 0 {
			t.Errorf("responses by version %v: want both versions seen", counts)
		}
		if got := getTileJSON(t, srv.url, "swap").Name; got != "v2 faults" {
			t.Errorf("TileJSON name after the replacement: %q, want v2 faults", got)
		}
	})
}

// waitFor polls cond until it holds, failing the test after storeChangeWait.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	if !poll(cond) {
		t.Fatalf("gave up waiting %v for %s", storeChangeWait, what)
	}
}

// poll polls cond until it holds or storeChangeWait has passed, and reports
// whether it held.
func poll(cond func() bool) bool {
	deadline := time.Now().Add(storeChangeWait)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(50 * time.Millisecond)
	}
	return true
}

// hammer is a set of clients fetching tiles in a loop and recording what
// each response was: the kind of geometry it holds, and its ETag.
type hammer struct {
	urls     []string
	newer    string // the version being swapped in: once a client has seen it, the other is a failure
	client   *http.Client
	requests atomic.Int64
	quit     chan struct{}
	wg       sync.WaitGroup
	stopOnce sync.Once

	mu       sync.Mutex
	fails    []string
	byKind   map[string]int
	etagKind map[string]string // each ETag must always name one version
	sawKind  []map[string]bool // by client
}

func newHammer(urls []string, clients int) *hammer { return newHammerTo(urls, clients, "lines") }

// newHammerTo starts clients fetching urls while the version of kind newer
// replaces the other one.
func newHammerTo(urls []string, clients int, newer string) *hammer {
	h := &hammer{
		urls:     urls,
		newer:    newer,
		client:   &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: clients}},
		quit:     make(chan struct{}),
		byKind:   map[string]int{},
		etagKind: map[string]string{},
	}
	for c := range clients {
		h.sawKind = append(h.sawKind, map[string]bool{})
		h.wg.Add(1)
		go h.run(c)
	}
	return h
}

func (h *hammer) run(client int) {
	defer h.wg.Done()
	for i := 0; ; i++ {
		select {
		case <-h.quit:
			return
		default:
		}
		url := h.urls[i%len(h.urls)]
		kind, etag, err := h.fetch(url)
		h.requests.Add(1)
		h.mu.Lock()
		switch {
		case err != nil:
			h.failf("client %d: GET %s: %v", client, url, err)
		case h.sawKind[client][h.newer] && kind != h.newer:
			h.failf("client %d: GET %s: the old version after the new one", client, url)
		case h.etagKind[etag] != "" && h.etagKind[etag] != kind:
			h.failf("client %d: GET %s: ETag %s named %s before, now %s", client, url, etag, h.etagKind[etag], kind)
		}
		if err == nil {
			h.byKind[kind]++
			h.etagKind[etag] = kind
			h.sawKind[client][kind] = true
		}
		h.mu.Unlock()
	}
}

// fetch gets one tile and says which version it holds: "polygons" or
// "lines"; anything else is an error.
func (h *hammer) fetch(url string) (kind, etag string, err error) {
	resp, err := h.client.Get(url)
	if err != nil {
		return "", "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", "", fmt.Errorf("status %d: %.200s", resp.StatusCode, body)
	}
	layers, err := mvt.Unmarshal(body)
	if err != nil {
		return "", "", fmt.Errorf("not a vector tile: %v", err)
	}
	kinds := map[string]int{}
	for _, l := range layers {
		for _, f := range l.Features {
			switch f.Geometry.(type) {
			case orb.Polygon, orb.MultiPolygon:
				kinds["polygons"]++
			case orb.LineString, orb.MultiLineString:
				kinds["lines"]++
			default:
				kinds[f.Geometry.GeoJSONType()]++
			}
		}
	}
	if len(kinds) != 1 {
		return "", "", fmt.Errorf("a tile of one version holds %v", kinds)
	}
	for k := range kinds {
		kind = k
	}
	return kind, resp.Header.Get("ETag"), nil
}

// failf records a failure; h.mu is held.
func (h *hammer) failf(format string, args ...any) {
	if len(h.fails) < 10 {
		h.fails = append(h.fails, fmt.Sprintf(format, args...))
	}
}

func (h *hammer) waitRequests(t *testing.T, n int64) {
	t.Helper()
	waitFor(t, fmt.Sprintf("%d requests", n), func() bool { return h.requests.Load() >= n })
}

// allSaw reports whether every client has received kind.
func (h *hammer) allSaw(kind string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, saw := range h.sawKind {
		if !saw[kind] {
			return false
		}
	}
	return true
}

func (h *hammer) stop() {
	h.stopOnce.Do(func() {
		close(h.quit)
		h.wg.Wait()
		h.client.CloseIdleConnections()
	})
}

func (h *hammer) failures() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.fails...)
}

func (h *hammer) counts() map[string]int {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := map[string]int{}
	for k, v := range h.byKind {
		out[k] = v
	}
	return out
}
