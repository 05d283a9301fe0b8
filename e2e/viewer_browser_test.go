package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// viewerChromiumFlags run Debian's Chromium headless with WebGL drawn by
// SwiftShader, ANGLE's CPU renderer: there is no GPU on CI, and since
// Chromium 137 WebGL falls back to SwiftShader only when
// --enable-unsafe-swiftshader allows it. Found to work with Chromium 156:
// WebGL 2 reports "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device
// (Subzero)), SwiftShader driver)". The rest keeps the browser from reaching
// out to the network or the user's profile. --virtual-time-budget is not
// used: MapLibre's worker and tile requests run outside virtual time, so
// readiness is polled over the DevTools protocol instead.
var viewerChromiumFlags = []string{
	"--headless",
	"--no-sandbox", // tests run as root in CI
	"--disable-gpu",
	"--use-angle=swiftshader",
	"--enable-unsafe-swiftshader",
	"--disable-quic",
	"--no-first-run",
	"--disable-background-networking",
	"--disable-component-update",
	"--disable-sync",
	"--disable-extensions",
	"--disable-default-apps",
	"--mute-audio",
	"--hide-scrollbars",
	"--force-device-scale-factor=1",
	"--remote-debugging-pipe",
}

// viewerBrowser drives one headless Chromium over the DevTools protocol on
// the pipe Chromium opens on file descriptors 3 (commands in) and 4
// (responses and events out), each message JSON ended by a NUL byte. That
// needs no port, no WebSocket library and no chromedp.
type viewerBrowser struct {
	t       testing.TB
	cmd     *exec.Cmd
	in      io.WriteCloser
	stderr  *bytes.Buffer
	session string

	mu      sync.Mutex
	nextID  int
	waiting map[int]chan cdpMessage
	console []string // console messages, exceptions and log entries, in order
	thrown  []string // uncaught exceptions in the page
	fetched []string // URLs the page requested
	done    chan struct{}
}

type cdpMessage struct {
	ID        int             `json:"id,omitempty"`
	Method    string          `json:"method,omitempty"`
	SessionID string          `json:"sessionId,omitempty"`
	Params    json.RawMessage `json:"params,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error,omitempty"`
}

// startViewerBrowser starts Chromium with a window of width × height CSS
// pixels and a blank page attached. It is stopped when the test ends.
func startViewerBrowser(t testing.TB, chromium string, width, height int) *viewerBrowser {
	t.Helper()
	cmdIn, in, err := os.Pipe() // Chromium reads commands from cmdIn (fd 3)
	if err != nil {
		t.Fatal(err)
	}
	out, cmdOut, err := os.Pipe() // and writes to cmdOut (fd 4)
	if err != nil {
		t.Fatal(err)
	}
	args := append([]string{}, viewerChromiumFlags...)
	args = append(args,
		"--user-data-dir="+t.TempDir(),
		fmt.Sprintf("--window-size=%d,%d", width, height),
		"about:blank")
	b := &viewerBrowser{
		t:       t,
		cmd:     exec.Command(chromium, args...),
		in:      in,
		stderr:  &bytes.Buffer{},
		waiting: map[int]chan cdpMessage{},
		done:    make(chan struct{}),
	}
	b.cmd.ExtraFiles = []*os.File{cmdIn, cmdOut}
	b.cmd.Stderr = &lockedWriter{w: b.stderr}
	if err := b.cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", chromium, err)
	}
	cmdIn.Close()
	cmdOut.Close()
	go b.read(out)
	t.Cleanup(b.stop)

	// Attach to the page Chromium opened, in flat mode: page commands then
	// carry its sessionId on the same pipe.
	var targets struct {
		TargetInfos []struct {
			TargetID string `json:"targetId"`
			Type     string `json:"type"`
		} `json:"targetInfos"`
	}
	b.call("", "Target.getTargets", nil, &targets)
	var page string
	for _, ti := range targets.TargetInfos {
		if ti.Type == "page" {
			page = ti.TargetID
			break
		}
	}
	if page == "" {
		var created struct {
			TargetID string `json:"targetId"`
		}
		b.call("", "Target.createTarget", map[string]any{"url": "about:blank"}, &created)
		page = created.TargetID
	}
	var attached struct {
		SessionID string `json:"sessionId"`
	}
	b.call("", "Target.attachToTarget", map[string]any{"targetId": page, "flatten": true}, &attached)
	b.session = attached.SessionID
	b.call(b.session, "Runtime.enable", nil, nil)
	b.call(b.session, "Log.enable", nil, nil)
	b.call(b.session, "Page.enable", nil, nil)
	b.call(b.session, "Network.enable", nil, nil)
	// MapLibre fetches tiles from its web worker, a target of its own: have
	// workers attach paused, so that their requests are seen from the first.
	b.call(b.session, "Target.setAutoAttach", map[string]any{
		"autoAttach": true, "waitForDebuggerOnStart": true, "flatten": true,
	}, nil)
	// --window-size includes the window's frame; fix the viewport itself.
	b.call(b.session, "Emulation.setDeviceMetricsOverride", map[string]any{
		"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false,
	}, nil)
	return b
}

// lockedWriter lets the test read Chromium's stderr while it is written.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func (b *viewerBrowser) stderrTail() string {
	lw := b.cmd.Stderr.(*lockedWriter)
	lw.mu.Lock()
	defer lw.mu.Unlock()
	s := b.stderr.String()
	if len(s) > 4000 {
		s = "…" + s[len(s)-4000:]
	}
	return s
}

func (b *viewerBrowser) read(r io.Reader) {
	defer close(b.done)
	br := bufio.NewReaderSize(r, 1<<20)
	for {
		raw, err := br.ReadBytes(0)
		if err != nil {
			return
		}
		var m cdpMessage
		if err := json.Unmarshal(raw[:len(raw)-1], &m); err != nil {
			continue
		}
		if m.ID != 0 {
			b.mu.Lock()
			ch := b.waiting[m.ID]
			delete(b.waiting, m.ID)
			b.mu.Unlock()
			if ch != nil {
				ch <- m
			}
			continue
		}
		b.event(m)
	}
}

// event records what the page says, so a failure shows the page's side.
func (b *viewerBrowser) event(m cdpMessage) {
	var line string
	switch m.Method {
	case "Runtime.consoleAPICalled":
		var p struct {
			Type string `json:"type"`
			Args []struct {
				Value       any    `json:"value"`
				Description string `json:"description"`
			} `json:"args"`
		}
		json.Unmarshal(m.Params, &p)
		parts := []string{"console." + p.Type + ":"}
		for _, a := range p.Args {
			if a.Value != nil {
				parts = append(parts, fmt.Sprint(a.Value))
			} else {
				parts = append(parts, a.Description)
			}
		}
		line = strings.Join(parts, " ")
	case "Runtime.exceptionThrown":
		var p struct {
			ExceptionDetails struct {
				Text      string `json:"text"`
				Exception struct {
					Description string `json:"description"`
				} `json:"exception"`
			} `json:"exceptionDetails"`
		}
		json.Unmarshal(m.Params, &p)
		line = "exception: " + p.ExceptionDetails.Text + " " + p.ExceptionDetails.Exception.Description
		b.mu.Lock()
		b.thrown = append(b.thrown, line)
		b.mu.Unlock()
	case "Target.attachedToTarget":
		var p struct {
			SessionID string `json:"sessionId"`
		}
		json.Unmarshal(m.Params, &p)
		// Not from this goroutine: it must go on reading the answers.
		go func() {
			_ = b.try(p.SessionID, "Network.enable", nil, nil, 10*time.Second)
			_ = b.try(p.SessionID, "Runtime.runIfWaitingForDebugger", nil, nil, 10*time.Second)
		}()
		return
	case "Network.requestWillBeSent":
		var p struct {
			Request struct {
				URL string `json:"url"`
			} `json:"request"`
		}
		json.Unmarshal(m.Params, &p)
		b.mu.Lock()
		b.fetched = append(b.fetched, p.Request.URL)
		b.mu.Unlock()
		return
	case "Log.entryAdded":
		var p struct {
			Entry struct {
				Level, Source, Text, URL string
			} `json:"entry"`
		}
		json.Unmarshal(m.Params, &p)
		if strings.Contains(p.Entry.Text, "GPU stall due to ReadPixels") {
			return // SwiftShader's remark on every screenshot, not the page's
		}
		line = fmt.Sprintf("log %s/%s: %s %s", p.Entry.Source, p.Entry.Level, p.Entry.Text, p.Entry.URL)
	default:
		return
	}
	b.mu.Lock()
	b.console = append(b.console, line)
	b.mu.Unlock()
}

// call sends one command and decodes its result into result (when not nil).
// A protocol error or a silent browser fails the test.
func (b *viewerBrowser) call(session, method string, params any, result any) {
	b.t.Helper()
	if err := b.try(session, method, params, result, 30*time.Second); err != nil {
		b.t.Fatalf("%v\nchromium stderr:\n%s", err, b.stderrTail())
	}
}

func (b *viewerBrowser) try(session, method string, params any, result any, timeout time.Duration) error {
	b.mu.Lock()
	b.nextID++
	id := b.nextID
	ch := make(chan cdpMessage, 1)
	b.waiting[id] = ch
	b.mu.Unlock()
	msg, err := json.Marshal(map[string]any{"id": id, "method": method, "params": orEmpty(params), "sessionId": session})
	if err != nil {
		return err
	}
	if session == "" {
		msg, _ = json.Marshal(map[string]any{"id": id, "method": method, "params": orEmpty(params)})
	}
	if _, err := b.in.Write(append(msg, 0)); err != nil {
		return fmt.Errorf("devtools %s: %w", method, err)
	}
	select {
	case m := <-ch:
		if m.Error != nil {
			return fmt.Errorf("devtools %s: %s (%d)", method, m.Error.Message, m.Error.Code)
		}
		if result != nil {
			return json.Unmarshal(m.Result, result)
		}
		return nil
	case <-b.done:
		return fmt.Errorf("devtools %s: chromium exited", method)
	case <-time.After(timeout):
		return fmt.Errorf("devtools %s: no answer in %s", method, timeout)
	}
}

func orEmpty(params any) any {
	if params == nil {
		return struct{}{}
	}
	return params
}

// eval evaluates a JavaScript expression in the page, awaiting it when it
// is a promise, and decodes its JSON value into result.
func (b *viewerBrowser) eval(expr string, result any) {
	b.t.Helper()
	var r struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text      string `json:"text"`
			Exception struct {
				Description string `json:"description"`
			} `json:"exception"`
		} `json:"exceptionDetails"`
	}
	b.call(b.session, "Runtime.evaluate", map[string]any{
		"expression": expr, "returnByValue": true, "awaitPromise": true,
	}, &r)
	if r.ExceptionDetails != nil {
		b.t.Fatalf("evaluating %s: %s %s", expr, r.ExceptionDetails.Text, r.ExceptionDetails.Exception.Description)
	}
	if result != nil {
		if err := json.Unmarshal(r.Result.Value, result); err != nil {
			b.t.Fatalf("evaluating %s: decoding %s: %v", expr, r.Result.Value, err)
		}
	}
}

// navigate loads url in the page.
func (b *viewerBrowser) navigate(url string) {
	b.t.Helper()
	var r struct {
		ErrorText string `json:"errorText"`
	}
	b.call(b.session, "Page.navigate", map[string]any{"url": url}, &r)
	if r.ErrorText != "" {
		b.t.Fatalf("loading %s: %s", url, r.ErrorText)
	}
}

// open loads a viewer URL and waits until the viewer says it is ready:
// <body data-state> is "loading" until the map has drawn every tile in
// view, and unset on the blank page before the viewer's.
func (b *viewerBrowser) open(ctx context.Context, url string) {
	b.t.Helper()
	b.navigate(url)
	state := b.waitFor(ctx, `{ const s = document.body?.dataset.state; s === 'loading' ? '' : (s || '') }`)
	if state != "ready" {
		var status string
		b.eval(`document.getElementById('status')?.textContent || document.body.textContent`, &status)
		b.t.Fatalf("%s: viewer state %q: %s\npage said:\n%s", url, state, status, b.pageLog())
	}
}

// waitFor polls a JavaScript expression until it yields a string other
// than "" and returns it, failing the test after timeout.
func (b *viewerBrowser) waitFor(ctx context.Context, expr string) string {
	b.t.Helper()
	for {
		var s string
		b.eval(expr, &s)
		if s != "" {
			return s
		}
		select {
		case <-ctx.Done():
			b.t.Fatalf("waiting for %s: %v\npage said:\n%s", expr, ctx.Err(), b.pageLog())
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// screenshot captures the viewport as PNG and returns it decoded.
func (b *viewerBrowser) screenshot(file string) image.Image {
	b.t.Helper()
	var r struct {
		Data string `json:"data"`
	}
	b.call(b.session, "Page.captureScreenshot", map[string]any{"format": "png"}, &r)
	raw, err := base64.StdEncoding.DecodeString(r.Data)
	if err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(file, raw, 0o644); err != nil {
		b.t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		b.t.Fatalf("decoding the screenshot %s: %v", file, err)
	}
	return img
}

// click presses and releases the left mouse button at (x, y) CSS pixels.
func (b *viewerBrowser) click(x, y float64) {
	b.t.Helper()
	for _, typ := range []string{"mouseMoved", "mousePressed", "mouseReleased"} {
		p := map[string]any{"type": typ, "x": x, "y": y}
		if typ != "mouseMoved" {
			p["button"] = "left"
			p["clickCount"] = 1
		}
		b.call(b.session, "Input.dispatchMouseEvent", p, nil)
	}
}

func (b *viewerBrowser) pageLog() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.Join(b.console, "\n")
}

// requests lists the URLs the page has requested so far.
func (b *viewerBrowser) requests() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.fetched...)
}

func (b *viewerBrowser) exceptions() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.thrown...)
}

// stop closes the browser politely, then by force.
func (b *viewerBrowser) stop() {
	_ = b.try("", "Browser.close", nil, nil, 5*time.Second)
	b.in.Close()
	exited := make(chan error, 1)
	go func() { exited <- b.cmd.Wait() }()
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
		_ = b.cmd.Process.Kill()
		if err := <-exited; err != nil && !errors.Is(err, os.ErrProcessDone) {
			b.t.Logf("chromium killed: %v", err)
		}
	}
}
