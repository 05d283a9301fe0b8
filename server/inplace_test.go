package server

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/outcrop/outcrop/store"
	"github.com/outcrop/outcrop/tileset"
)

// inPlaceMaxZoom is the deepest zoom of the tilesets written below: 1365
// tiles of about 2 KB each, so the file spans hundreds of pages and a
// truncation leaves most of the memory map past its end.
const inPlaceMaxZoom = 5

// writeLabelled commits tileset id to dir, every tile of zooms 0 to
// inPlaceMaxZoom holding "label z/x/y" and 2 KB of incompressible padding.
func writeLabelled(t *testing.T, dir, id, label string) {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, uint64(len(label))))
	var tiles []tileset.Tile
	for z := 0; z <= inPlaceMaxZoom; z++ {
		for x := 0; x < 1<<z; x++ {
			for y := 0; y < 1<<z; y++ {
				var buf bytes.Buffer
				zw := gzip.NewWriter(&buf)
				fmt.Fprintf(zw, "%s %d/%d/%d ", label, z, x, y)
				pad := make([]byte, 1024)
				for i := range pad {
					pad[i] = byte(rng.Uint32())
				}
				fmt.Fprintf(zw, "%x", pad)
				zw.Close()
				tiles = append(tiles, tileset.Tile{Z: z, X: x, Y: y, Data: buf.Bytes()})
			}
		}
	}
	commit(t, dir, id, tiles, &tileset.Metadata{Title: label, Layer: id, GeometryType: "polygon", MaxZoom: inPlaceMaxZoom})
}

// TestInPlaceOverwriteUnderLoad overwrites and truncates a served file in
// place, as cp, scp or a stray truncate do, while clients fetch tiles of it
// and of another tileset over real HTTP. The process must survive (a fault
// in the memory map used to end it with SIGBUS), the other tileset must
// not fail a single request, the damaged one must answer 503 or a correct
// tile (never a 500, never wrong bytes), and the new contents must be
// served once the copy is complete.
func TestInPlaceOverwriteUnderLoad(t *testing.T) {
	dir, other := t.TempDir(), t.TempDir()
	writeLabelled(t, dir, "steady", "steady")
	writeLabelled(t, dir, "victim", "old")
	writeLabelled(t, other, "victim", "new")
	newBytes, err := os.ReadFile(filepath.Join(other, "victim"+tileset.Ext))
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(dir, store.Options{PollInterval: 20 * time.Millisecond, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	srv := httptest.NewServer(New(Config{Catalog: st, Logger: slog.New(slog.DiscardHandler)}))
	defer srv.Close()
	client := srv.Client()

	var (
		stop                          atomic.Bool
		mu                            sync.Mutex
		steadyOK, victimOK, victim503 int
		failures                      []string
	)
	fail := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		if len(failures) < 10 {
			failures = append(failures, fmt.Sprintf(format, args...))
		}
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(g), 7))
			for !stop.Load() {
				id := "steady"
				if rng.IntN(2) == 0 {
					id = "victim"
				}
				z := rng.IntN(inPlaceMaxZoom + 1)
				x, y := rng.IntN(1<<z), rng.IntN(1<<z)
				resp, err := client.Get(fmt.Sprintf("%s/tiles/%s/%d/%d/%d.mvt", srv.URL, id, z, x, y))
				if err != nil {
					fail("%s %d/%d/%d: %v", id, z, x, y, err)
					continue
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				want := fmt.Sprintf(" %d/%d/%d ", z, x, y)
				ok := err == nil && resp.StatusCode == http.StatusOK && strings.Contains(string(body[:min(len(body), 40)]), want)
				mu.Lock()
				switch {
				case id == "steady" && ok && strings.HasPrefix(string(body), "steady"):
					steadyOK++
				case id == "victim" && ok && (strings.HasPrefix(string(body), "old") || strings.HasPrefix(string(body), "new")):
					victimOK++
				case id == "victim" && resp.StatusCode == http.StatusServiceUnavailable:
					victim503++
				default:
					mu.Unlock()
					fail("%s %d/%d/%d: status %d, body %.40q, err %v", id, z, x, y, resp.StatusCode, body, err)
					continue
				}
				mu.Unlock()
			}
		}()
	}

	path := filepath.Join(dir, "victim"+tileset.Ext)
	time.Sleep(100 * time.Millisecond)
	// A truncation, held long enough for the store to notice it.
	if err := os.Truncate(path, 8192); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	// Then cp of the new version onto the same inode, in slow chunks.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		t.Fatal(err)
	}
	for off := 0; off < len(newBytes); off += 256 << 10 {
		if _, err := f.Write(newBytes[off:min(off+256<<10, len(newBytes))]); err != nil {
			t.Fatal(err)
		}
		time.Sleep(30 * time.Millisecond)
	}
	f.Close()
	// The new version is served within a few polls.
	deadline := time.Now().Add(5 * time.Second)
	for {
		resp, err := client.Get(srv.URL + "/tiles/victim/0/0/0.mvt")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK && strings.HasPrefix(string(body), "new 0/0/0") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the new version is not served 5 s after the copy ended: %d %.40q", resp.StatusCode, body)
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
	stop.Store(true)
	wg.Wait()
	t.Logf("steady: %d ok; victim: %d ok, %d 503", steadyOK, victimOK, victim503)
	for _, f := range failures {
		t.Error(f)
	}
	if steadyOK == 0 || victim503 == 0 {
		t.Errorf("the load did not exercise both tilesets and the damaged window: %d steady ok, %d victim 503", steadyOK, victim503)
	}
}
