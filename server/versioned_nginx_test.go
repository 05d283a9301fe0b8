package server

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// nginxConf is the documented configuration of nginx in front of outcrop.
const nginxConf = "../docs/deploy/nginx-outcrop.conf"

// needNginx returns the path of nginx, or skips the test when it is
// missing; under CI (CI set) a missing nginx fails the test instead.
func needNginx(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("nginx")
	if err == nil {
		return p
	}
	if p, err := exec.LookPath("/usr/sbin/nginx"); err == nil {
		return p
	}
	if os.Getenv("CI") != "" {
		t.Fatal("nginx is not installed: apt-get install nginx-light (CI is set, so this is a failure, not a skip)")
	}
	t.Skip("nginx is not installed: apt-get install nginx-light")
	return ""
}

// startNginx runs nginx with the documented configuration in front of
// origin (host:port) and returns its base URL. Only the three lines the
// file marks ADJUST are rewritten: the cache directory, the upstream and
// the port.
func startNginx(t *testing.T, origin string) string {
	t.Helper()
	bin := needNginx(t)
	doc, err := os.ReadFile(nginxConf)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	conf := string(doc)
	for _, r := range [][2]string{
		{"/var/cache/nginx/outcrop ", filepath.Join(dir, "cache") + " "},
		{"server 127.0.0.1:8080;", "server " + origin + ";"},
		{"listen 80;", "listen " + addr + ";"},
	} {
		if strings.Count(conf, r[0]) != 1 {
			t.Fatalf("%s no longer holds %q once; update this test with the documented config", nginxConf, r[0])
		}
		conf = strings.Replace(conf, r[0], r[1], 1)
	}
	if err := os.WriteFile(filepath.Join(dir, "outcrop.conf"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	// As Debian's nginx.conf would include it, with every path in dir. As
	// root, workers stay root so that they can use the private temp dir.
	main := fmt.Sprintf(`daemon off;
worker_processes 1;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log warn;
%[2]s
events { worker_connections 256; }
http {
  access_log off;
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
	out := new(strings.Builder)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt) // fast shutdown
		cmd.Wait()
	})
	base := "http://" + addr
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if resp, err := http.Get(base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base
			}
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			t.Fatalf("nginx did not answer on %s: %s%s", addr, out, log)
		}
	}
}

// cdnClient fetches as a browser behind a CDN would, without Go's
// transparent gzip, so that encodings are seen as sent.
type cdnClient struct {
	t *testing.T
	c *http.Client
}

func (c cdnClient) get(url string, kv ...string) (*http.Response, []byte) {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		req.Header.Set(kv[i], kv[i+1])
	}
	resp, err := c.c.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp, b
}

// TestVersionedTilesBehindNginx runs the documented nginx configuration in
// front of a real server: versioned tiles are cached (a hit the second
// time) with their immutable header, plain ones pass through with theirs,
// a client without gzip gets the tile decompressed, and after a re-ingest
// a client following TileJSON through the cache sees only new tiles, while
// the old URLs never give new content (the origin keeps the old version).
func TestVersionedTilesBehindNginx(t *testing.T) {
	f := newFixture(t, Config{})
	origin := httptest.NewServer(f.handler)
	t.Cleanup(origin.Close)
	base := startNginx(t, strings.TrimPrefix(origin.URL, "http://"))
	c := cdnClient{t, &http.Client{Transport: &http.Transport{DisableCompression: true}}}

	// followTileJSON fetches TileJSON through the cache and every tile of
	// the granite it names, twice; it returns the template and checks each
	// tile is of edition want, a miss then a hit.
	followTileJSON := func(want float64) string {
		t.Helper()
		resp, body := c.get(base+"/tiles/geology.json", "Accept-Encoding", "gzip")
		var doc struct {
			Tiles []string `json:"tiles"`
		}
		if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &doc) != nil || len(doc.Tiles) != 1 {
			t.Fatalf("TileJSON through nginx: status %d: %s", resp.StatusCode, body)
		}
		tmpl := doc.Tiles[0]
		if !strings.HasPrefix(tmpl, base+"/tiles/geology@") {
			t.Fatalf("TileJSON through nginx names %s; want tiles on the proxy, %s", tmpl, base)
		}
		for _, z := range []int{geologyMin, geologyMax} {
			url := base + fillTemplate(t, tmpl, z)
			for i, status := range []string{"MISS", "HIT"} {
				resp, body := c.get(url, "Accept-Encoding", "gzip, deflate, br")
				if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Encoding") != "gzip" {
					t.Fatalf("%s: status %d, encoding %q: %s", url, resp.StatusCode, resp.Header.Get("Content-Encoding"), body)
				}
				if got := tileEdition(t, body); got != want {
					t.Fatalf("%s: edition %v, want %v", url, got, want)
				}
				if cc := resp.Header.Get("Cache-Control"); cc != hdrImmutable[0] {
					t.Errorf("%s: Cache-Control %q through nginx, want immutable", url, cc)
				}
				if got := resp.Header.Get("X-Cache-Status"); got != status {
					t.Errorf("%s request %d: X-Cache-Status %q, want %s", url, i+1, got, status)
				}
			}
		}
		return tmpl
	}

	oldTmpl := followTileJSON(1)
	oldTile := base + fillTemplate(t, oldTmpl, geologyMax)

	// Another client's Accept-Encoding is served from the same cached copy,
	// and one without gzip gets the tile decompressed.
	if resp, body := c.get(oldTile, "Accept-Encoding", "gzip"); resp.Header.Get("X-Cache-Status") != "HIT" || tileEdition(t, body) != float64(1) {
		t.Errorf("another Accept-Encoding: X-Cache-Status %q, want HIT from the one cached copy", resp.Header.Get("X-Cache-Status"))
	}
	if resp, body := c.get(oldTile); resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Encoding") != "" {
		t.Errorf("identity through nginx: status %d, encoding %q", resp.StatusCode, resp.Header.Get("Content-Encoding"))
	} else {
		decodeGranite(t, body, graniteTile(geologyMax))
	}
	// Plain tiles pass through uncached, with outcrop's own headers.
	plain := base + tilePath(geologyID, graniteTile(geologyMax), "mvt")
	if resp, _ := c.get(plain, "Accept-Encoding", "gzip"); resp.StatusCode != http.StatusOK ||
		resp.Header.Get("Cache-Control") != "public, max-age=3600" || resp.Header.Get("ETag") == "" || resp.Header.Get("Vary") != "Accept-Encoding" {
		t.Errorf("plain tile through nginx: status %d, headers %v", resp.StatusCode, resp.Header)
	}

	meta := writeGeologyEdition(t, f.dir, "Hamersley geology", 2)
	waitForVersion(t, f, geologyID, meta.Version)

	if newTmpl := followTileJSON(2); newTmpl == oldTmpl {
		t.Fatalf("TileJSON through nginx still names %s after the re-ingest", oldTmpl)
	}
	// The old URL still gives the old tile from the cache, never the new
	// one; past the cache, the origin still serves the old version, kept
	// for the clients holding the old TileJSON (store.Options.KeepReplaced).
	if resp, body := c.get(oldTile, "Accept-Encoding", "gzip"); resp.StatusCode != http.StatusOK || tileEdition(t, body) != float64(1) {
		t.Errorf("old versioned URL through nginx: status %d; want the old tile from the cache", resp.StatusCode)
	}
	for _, z := range []int{geologyMin, geologyMax} {
		url := base + fillTemplate(t, oldTmpl, z) + "?past-the-cache"
		resp, body := c.get(url, "Accept-Encoding", "gzip")
		if resp.StatusCode != http.StatusOK || resp.Header.Get("X-Cache-Status") != "MISS" || resp.Header.Get("Cache-Control") != hdrImmutable[0] {
			t.Errorf("%s: status %d, X-Cache-Status %q, Cache-Control %q: %.200s; want the kept old tile from the origin", url, resp.StatusCode, resp.Header.Get("X-Cache-Status"), resp.Header.Get("Cache-Control"), body)
		} else if got := tileEdition(t, body); got != float64(1) {
			t.Errorf("%s: edition %v past the cache, want 1", url, got)
		}
	}
}
