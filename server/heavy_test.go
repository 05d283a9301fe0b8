package server

import (
	"bufio"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/store"
	"github.com/outcrop/outcrop/tileset"
)

// bigFixture is a loopback server over a store with "big", 3000 points
// with a long note each; cfg's Catalog is filled in.
func bigFixture(t *testing.T, cfg Config) *httptest.Server {
	t.Helper()
	dir := t.TempDir()
	feats := make([]*geojson.Feature, 3000)
	for i := range feats {
		f := geojson.NewFeature(orb.Point{100 + float64(i)/100, 10})
		f.ID = i
		f.Properties = geojson.Properties{"note": strings.Repeat(fmt.Sprintf("feature %d ", i), 20)}
		feats[i] = f
	}
	writeFeatureTileset(t, dir, "big", "Big", []tileset.Field{{Name: "note", Type: "string"}}, feats, "")
	st, err := store.Open(dir, store.Options{PollInterval: -1, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cfg.Catalog = st
	srv := httptest.NewUnstartedServer(New(cfg))
	srv.Listener = smallSendBuffers{srv.Listener}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

// TestHTMLPageLimit: an HTML page of features shows at most 1000, and its
// links page on by 1000.
func TestHTMLPageLimit(t *testing.T) {
	srv := bigFixture(t, Config{})
	resp, err := http.Get(srv.URL + "/collections/big/items?f=html&limit=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	page := string(body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %.300s", resp.StatusCode, page)
	}
	if !strings.Contains(page, "limit=1000&amp;offset=1000") {
		t.Error("the next link does not page on by 1000")
	}
}

// TestHeavyRequestsRefusedNotQueued: with two heavy requests admitted at
// once, two large pages to clients that do not read hold both places, and a
// burst of heavy requests (large JSON pages, HTML pages, downloads) is answered 503 with
// Retry-After at once, never 500; once the first two are gone, they succeed.
// A light request is served throughout.
func TestHeavyRequestsRefusedNotQueued(t *testing.T) {
	srv := bigFixture(t, Config{MaxHeavy: 2, WriteTimeout: 20 * time.Second})
	addr := srv.Listener.Addr().String()
	var holders []net.Conn
	for range 2 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		c.(*net.TCPConn).SetReadBuffer(4 << 10)
		fmt.Fprintf(c, "GET /collections/big/items?limit=3000 HTTP/1.1\r\nHost: outcrop\r\n\r\n")
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("a large page: %v, %v", resp, err)
		}
		holders = append(holders, c)
	}
	heavy := []string{"/collections/big/items?limit=2000", "/collections/big/items?f=html", "/collections/big?f=html", "/collections/big/download?f=csv"}
	type answer struct {
		status     int
		retryAfter string
	}
	answers := make(chan answer, 3*len(heavy))
	for range 3 {
		for _, target := range heavy {
			go func() {
				resp, err := http.Get(srv.URL + target)
				if err != nil {
					answers <- answer{status: -1}
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				answers <- answer{resp.StatusCode, resp.Header.Get("Retry-After")}
			}()
		}
	}
	for range 3 * len(heavy) {
		a := <-answers
		if a.status != http.StatusServiceUnavailable || a.retryAfter != "1" {
			t.Errorf("a heavy request while both places are held: status %d, Retry-After %q; want 503 and 1", a.status, a.retryAfter)
		}
	}
	if resp, err := http.Get(srv.URL + "/collections/big/items?limit=10"); err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("a light request while both places are held: %v, %v", resp, err)
	} else {
		resp.Body.Close()
	}

	for _, c := range holders {
		c.Close()
	}
	for _, target := range heavy {
		var status int
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			resp, err := http.Get(srv.URL + target)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if status = resp.StatusCode; status != http.StatusServiceUnavailable {
				break
			}
		}
		if status != http.StatusOK {
			t.Errorf("%s after the large pages' clients left: status %d, want 200", target, status)
		}
	}
}
