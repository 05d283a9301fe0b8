package e2e

import (
	"bytes"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/outcrop/outcrop/tileset"
)

// TestBinaryBadInvocations runs the binary the wrong way: each mistake must
// exit non-zero (2 for a wrong command line, 1 for a failure) with exactly
// one line on stderr that names the flag or file at fault, and must leave
// the store as it was.
func TestBinaryBadInvocations(t *testing.T) {
	bin := outcropBinary(t)
	tmp := t.TempDir()

	// A CSV of projected x/y columns says nothing of its CRS.
	noCRS := filepath.Join(tmp, "boreholes-xy.csv")
	if err := os.WriteFile(noCRS, []byte("x,y,name\n500000,7500000,BH1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A port that is taken for the whole test.
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()

	for _, c := range []struct {
		name string
		args []string // "STORE" becomes an empty store directory
		code int
		want []string // each must appear in the one line
	}{
		{"unknown command", []string{"frobnicate"}, 2, []string{"frobnicate"}},
		{"ingest without --store", []string{"ingest", "--id", "geology", gswaGeology}, 2, []string{"--store"}},
		{"ingest without --id", []string{"ingest", "--store", "STORE", gswaGeology}, 2, []string{"--id"}},
		{"ingest without FILE", []string{"ingest", "--store", "STORE", "--id", "geology"}, 2, []string{"FILE"}},
		{"ingest unknown flag", []string{"ingest", "--store", "STORE", "--id", "geology", "--colour", "red", gswaGeology}, 2, []string{"-colour"}},
		{"ingest bad --id", []string{"ingest", "--store", "STORE", "--id", "Bad ID!", gswaGeology}, 1, []string{"--id", "Bad ID!"}},
		{"ingest bad --maxzoom", []string{"ingest", "--store", "STORE", "--id", "geology", "--maxzoom", "40", gswaGeology}, 1, []string{"--maxzoom"}},
		{"ingest missing file", []string{"ingest", "--store", "STORE", "--id", "geology", filepath.Join(tmp, "no-such-map.geojson")}, 1, []string{"no-such-map.geojson"}},
		{"ingest file without CRS", []string{"ingest", "--store", "STORE", "--id", "boreholes", noCRS}, 1, []string{"boreholes-xy.csv", "--s-srs"}},
		{"serve without --store", []string{"serve", "--addr", "127.0.0.1:0"}, 2, []string{"--store"}},
		{"serve unknown flag", []string{"serve", "--store", "STORE", "--colour", "red"}, 2, []string{"-colour"}},
		{"serve missing store", []string{"serve", "--store", filepath.Join(tmp, "no-such-store"), "--addr", "127.0.0.1:0"}, 1, []string{"no-such-store"}},
		{"serve busy port", []string{"serve", "--store", "STORE", "--addr", busy.Addr().String()}, 1, []string{"--addr", busy.Addr().String()}},
		{"serve bad --log-level", []string{"serve", "--store", "STORE", "--log-level", "loud"}, 2, []string{"--log-level"}},
		{"synth without --out", []string{"synth", "geology"}, 2, []string{"--out"}},
		{"synth unknown kind", []string{"synth", "volcanoes", "--out", filepath.Join(tmp, "v.geojson")}, 2, []string{"geology|occurrences"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			store := filepath.Join(t.TempDir(), "store")
			if err := os.Mkdir(store, 0o755); err != nil {
				t.Fatal(err)
			}
			args := make([]string, len(c.args))
			for i, a := range c.args {
				args[i] = strings.ReplaceAll(a, "STORE", store)
			}
			res := runBinary(t, bin, args...)
			if res.code != c.code {
				t.Errorf("exit status %d, want %d", res.code, c.code)
			}
			line := strings.TrimSuffix(res.stderr, "\n")
			if line == "" || strings.Contains(line, "\n") {
				t.Fatalf("stderr is %d lines, want one:\n%s", strings.Count(res.stderr, "\n"), res.stderr)
			}
			if prefix := "outcrop " + args[0] + ": "; args[0] != "frobnicate" && !strings.HasPrefix(line, prefix) {
				t.Errorf("stderr %q does not start with %q", line, prefix)
			}
			for _, w := range c.want {
				if !strings.Contains(line, w) {
					t.Errorf("stderr %q does not name %q", line, w)
				}
			}
			if entries, _ := os.ReadDir(store); len(entries) != 0 {
				t.Errorf("the store holds %d entries after a failed command (%s …), want it untouched", len(entries), entries[0].Name())
			}
		})
	}
}

// TestBinaryStopsOnSIGTERM checks that serve shuts down cleanly on SIGTERM,
// as a service manager or "docker stop" asks it to: exit status 0, no error
// logged, the port released.
func TestBinaryStopsOnSIGTERM(t *testing.T) {
	bin := outcropBinary(t)
	store := t.TempDir()
	mustRun(t, bin, "ingest", "--quiet", "--store", store, "--id", "faults", gswaFaults)
	srv := startServe(t, bin, store)
	if resp, body := get(t, srv.url+"/healthz"); resp.StatusCode != http.StatusOK {
		t.Fatalf("/healthz: %d %s", resp.StatusCode, body)
	}
	if code := srv.stop(t); code != 0 {
		t.Errorf("exit status %d after SIGTERM, want 0\nstderr:\n%s", code, srv.stderr)
	}
	if log := srv.stderr.String(); strings.Contains(log, "level=ERROR") || strings.Contains(log, "panic") {
		t.Errorf("errors logged around the shutdown:\n%s", log)
	}
	addr := strings.TrimPrefix(srv.url, "http://")
	if conn, err := net.Dial("tcp", addr); err == nil {
		conn.Close()
		t.Errorf("%s still accepts connections after serve exited", addr)
	}
}

// TestBinaryIngestIntoClosedPipe runs "outcrop ingest … | head" at its
// worst: stdout is a pipe nobody reads any more. The harmonisation report
// (written before the tiles are cut) and the summary go nowhere, but the
// tileset must be written and the ingest succeed.
func TestBinaryIngestIntoClosedPipe(t *testing.T) {
	bin := outcropBinary(t)
	store := t.TempDir()
	for _, c := range []struct {
		id   string
		args []string
	}{
		{"geology", []string{"--mapping", "../data/mappings/gswa-geology.yaml", gswaGeology}},
		{"faults", []string{gswaFaults}},
	} {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		r.Close() // as head does once it has its lines
		cmd := exec.Command(bin, append([]string{"ingest", "--store", store, "--id", c.id}, c.args...)...)
		var stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = w, &stderr
		err = cmd.Run()
		w.Close()
		if err != nil {
			t.Errorf("ingest %s into a closed pipe: %v (%s)\nstderr:\n%s", c.id, err, cmd.ProcessState, stderr.String())
		}
		ts, err := tileset.Open(filepath.Join(store, c.id+tileset.Ext))
		if err != nil {
			t.Errorf("ingest %s into a closed pipe wrote no tileset: %v", c.id, err)
			continue
		}
		if m := ts.Metadata(); m.FeatureCount == 0 {
			t.Errorf("tileset %s has no features", c.id)
		}
		ts.Close()
	}
}
