package server

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/store"
	"github.com/outcrop/outcrop/tileset"
)

// heldCatalog counts the versions its requests hold.
type heldCatalog struct {
	store.Catalog
	held atomic.Int64
}

func (c *heldCatalog) Acquire(id string) (*tileset.Reader, func(), error) {
	ts, release, err := c.Catalog.Acquire(id)
	if err != nil {
		return nil, nil, err
	}
	c.held.Add(1)
	return ts, func() { c.held.Add(-1); release() }, nil
}

// smallSendBuffers makes each accepted connection's kernel send buffer
// small, so that a client that does not read blocks the server's writes
// after some kilobytes rather than megabytes.
type smallSendBuffers struct{ net.Listener }

func (l smallSendBuffers) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetWriteBuffer(8 << 10)
	}
	return c, err
}

// TestSlowClientLetsGo: a client over loopback that asks for a large page
// of features and then reads a byte every 100 ms loses its connection once
// one write has waited longer than the write timeout, and the request lets go
// of its tileset version; a client that reads is served the whole page.
func TestSlowClientLetsGo(t *testing.T) {
	const n = 3000
	dir := t.TempDir()
	feats := make([]*geojson.Feature, n)
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
	defer st.Close()
	cat := &heldCatalog{Catalog: st}
	srv := httptest.NewUnstartedServer(New(Config{Catalog: cat, WriteTimeout: 300 * time.Millisecond}))
	srv.Listener = smallSendBuffers{srv.Listener}
	srv.Start()
	defer srv.Close()
	target := fmt.Sprintf("/collections/big/items?limit=%d", n)

	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.(*net.TCPConn).SetReadBuffer(4 << 10)
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: outcrop\r\n\r\n", target)
	stop := make(chan struct{})
	defer close(stop)
	go func() { // the slow reader
		var b [1]byte
		for {
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
			}
			if _, err := conn.Read(b[:]); err != nil {
				return
			}
		}
	}()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) && cat.held.Load() == 0 {
		time.Sleep(10 * time.Millisecond)
	}
	if cat.held.Load() == 0 {
		t.Fatal("the slow client's request never acquired its tileset")
	}
	for time.Now().Before(deadline) && cat.held.Load() != 0 {
		time.Sleep(20 * time.Millisecond)
	}
	if h := cat.held.Load(); h != 0 {
		t.Fatalf("5 s after a slow client's request began, %d request(s) still hold a tileset version", h)
	}

	resp, err := http.Get(srv.URL + target)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct{ NumberReturned int }
	if err := json.Unmarshal(body, &doc); err != nil || resp.StatusCode != http.StatusOK || doc.NumberReturned != n {
		t.Fatalf("a reading client: status %d, %d features (%v); want 200 and %d", resp.StatusCode, doc.NumberReturned, err, n)
	}
}
