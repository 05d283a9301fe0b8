package e2e

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/paulmach/orb/encoding/mvt"
)

// binTmp is the directory TestMain makes for the binaries and the shared
// store; it is removed when the package's tests end.
var binTmp string

// binCommandTimeout bounds one run of the binary, so that a hung command
// fails its test instead of the whole package timing out.
const binCommandTimeout = 3 * time.Minute

// builds holds the binaries built so far, by flavour, so that each is built
// once per test run however many tests use it.
var builds struct {
	sync.Mutex
	done map[string]*binBuild
}

type binBuild struct {
	once sync.Once
	path string
	err  error
}

// outcropBinary returns the path of the outcrop binary built from this
// checkout with cgo (the full binary, with ingest).
func outcropBinary(t testing.TB) string {
	t.Helper()
	return buildOutcrop(t, "outcrop", "CGO_ENABLED=1")
}

// outcropServerBinary returns the path of the binary built with
// CGO_ENABLED=0: the server-only build that cannot ingest.
func outcropServerBinary(t testing.TB) string {
	t.Helper()
	return buildOutcrop(t, "outcrop-nocgo", "CGO_ENABLED=0")
}

// buildOutcrop builds ./cmd/outcrop once per name with the extra environment.
func buildOutcrop(t testing.TB, name string, env ...string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the outcrop binary; skipped in -short mode")
	}
	builds.Lock()
	if builds.done == nil {
		builds.done = map[string]*binBuild{}
	}
	b := builds.done[name]
	if b == nil {
		b = &binBuild{}
		builds.done[name] = b
	}
	builds.Unlock()
	b.once.Do(func() {
		b.path = filepath.Join(binTmp, name)
		goTool, err := exec.LookPath("go")
		if err != nil {
			goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, goTool, "build", "-o", b.path, "./cmd/outcrop")
		cmd.Dir = ".." // the module root, from e2e/
		cmd.Env = append(os.Environ(), env...)
		if out, err := cmd.CombinedOutput(); err != nil {
			b.err = fmt.Errorf("go build %s (%s): %v\n%s", name, strings.Join(env, " "), err, out)
		}
	})
	if b.err != nil {
		t.Fatal(b.err)
	}
	return b.path
}

// binResult is what one run of the binary did.
type binResult struct {
	stdout, stderr string
	code           int
}

// runBinary runs the binary to completion and returns its output and exit
// status; a failure to start it or a timeout fails the test.
func runBinary(t testing.TB, bin string, args ...string) binResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), binCommandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	res := binResult{stdout: stdout.String(), stderr: stderr.String()}
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit) && exit.Exited():
		res.code = exit.ExitCode()
	default:
		t.Fatalf("outcrop %s: %v (killed by a signal or the %v timeout?)\nstderr:\n%s", strings.Join(args, " "), err, binCommandTimeout, res.stderr)
	}
	return res
}

// mustRun runs the binary and fails the test unless it exits 0.
func mustRun(t testing.TB, bin string, args ...string) binResult {
	t.Helper()
	res := runBinary(t, bin, args...)
	if res.code != 0 {
		t.Fatalf("outcrop %s: exit status %d\nstderr:\n%s", strings.Join(args, " "), res.code, res.stderr)
	}
	return res
}

// binServer is a running "outcrop serve" process.
type binServer struct {
	cmd    *exec.Cmd
	url    string // root URL, without a trailing slash
	stderr *binBuffer
	done   chan struct{} // closed when the process has exited
	err    error         // from Wait, valid after done
}

// servedURL finds the root URL in serve's start-up banner
// ("  OGC API:     http://127.0.0.1:41234/").
var servedURL = regexp.MustCompile(`OGC API:\s+(http://\S+?)/?\s*$`)

// startServe starts "outcrop serve" on a free loopback port and returns once
// it has printed the URL it listens on. The process is stopped at cleanup.
func startServe(t testing.TB, bin, store string, extra ...string) *binServer {
	t.Helper()
	args := append([]string{"serve", "--store", store, "--addr", "127.0.0.1:0"}, extra...)
	s := &binServer{cmd: exec.Command(bin, args...), stderr: &binBuffer{}, done: make(chan struct{})}
	s.cmd.Stderr = s.stderr
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("starting outcrop serve: %v", err)
	}
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := servedURL.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case urls <- m[1]:
				default:
				}
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	go func() {
		s.err = s.cmd.Wait()
		close(s.done)
	}()
	t.Cleanup(func() { s.stop(t) })
	select {
	case s.url = <-urls:
	case <-s.done:
		t.Fatalf("outcrop serve exited before printing its URL (%v)\nstderr:\n%s", s.err, s.stderr)
	case <-time.After(time.Minute):
		t.Fatalf("outcrop serve printed no URL within a minute\nstderr:\n%s", s.stderr)
	}
	return s
}

// stop sends SIGTERM, waits for the process to exit and returns its exit
// status; a process that ignores SIGTERM for 15 s is killed and fails the test.
func (s *binServer) stop(t testing.TB) int {
	t.Helper()
	select {
	case <-s.done:
	default:
		if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
			t.Errorf("SIGTERM to outcrop serve: %v", err)
		}
		select {
		case <-s.done:
		case <-time.After(15 * time.Second):
			s.cmd.Process.Kill()
			<-s.done
			t.Errorf("outcrop serve did not exit within 15 s of SIGTERM; killed it\nstderr:\n%s", s.stderr)
		}
	}
	return s.cmd.ProcessState.ExitCode()
}

// binBuffer collects a process's output for reading while it runs.
type binBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *binBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *binBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// binHTTP is the tests' client: gzip is negotiated and undone by the
// transport, as a browser would.
var binHTTP = &http.Client{Timeout: 30 * time.Second}

// get fetches url and returns the response with its body read.
func get(t *testing.T, url string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	client := binHTTP
	if req.Header.Get("Accept-Encoding") != "" {
		// Asking for an encoding explicitly turns off the transport's
		// transparent gunzip, so that the test sees the bytes on the wire.
		client = &http.Client{Timeout: binHTTP.Timeout, Transport: &http.Transport{DisableCompression: true}}
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: reading the body: %v", url, err)
	}
	return resp, body
}

// getTile fetches /tiles/{id}/{z}/{x}/{y}.mvt, requires a 200 and returns
// the tile's only layer, which must be named layer, in tile coordinates.
func getTile(t *testing.T, base, id, layer string, z, x, y int) *mvt.Layer {
	t.Helper()
	url := fmt.Sprintf("%s/tiles/%s/%d/%d/%d.mvt", base, id, z, x, y)
	resp, body := get(t, url)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d, want 200: %s", url, resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/vnd.mapbox-vector-tile" {
		t.Errorf("GET %s: Content-Type %q, want application/vnd.mapbox-vector-tile", url, ct)
	}
	layers, err := mvt.Unmarshal(body)
	if err != nil {
		t.Fatalf("GET %s: not a vector tile: %v", url, err)
	}
	if len(layers) != 1 || layers[0].Name != layer {
		names := make([]string, len(layers))
		for i, l := range layers {
			names[i] = l.Name
		}
		t.Fatalf("GET %s: layers %q, want exactly one named %q", url, names, layer)
	}
	if layers[0].Extent != 4096 {
		t.Errorf("GET %s: extent %d, want 4096", url, layers[0].Extent)
	}
	return layers[0]
}

// needTool returns the path of a command-line tool, or skips the test when
// it is missing; under CI (CI set) a missing tool fails the test instead, so
// that a broken setup cannot pass as a skip.
func needTool(t testing.TB, name, debianPackage string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	msg := fmt.Sprintf("%s is not installed: apt-get install %s", name, debianPackage)
	if os.Getenv("CI") != "" {
		t.Fatalf("%s (CI is set, so this is a failure, not a skip)", msg)
	}
	t.Skip(msg)
	return ""
}

// mvtFeatures counts the features of all layers of a vector tile.
func mvtFeatures(body []byte) (int, error) {
	layers, err := mvt.Unmarshal(body)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, l := range layers {
		n += len(l.Features)
	}
	return n, nil
}
