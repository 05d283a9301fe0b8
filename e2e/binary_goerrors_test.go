package e2e

import (
	"bufio"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestBinaryGoPlainTextErrors sends outcrop serve the raw requests that
// Go's net/http answers itself, before any handler of Outcrop runs, and
// checks each answer against docs/API.md ("Errors net/http sends"): the
// status, a text/plain body (http.Server has no hook to change it) and a
// closed connection. A well-formed request to an unknown path is
// Outcrop's own 404, in JSON, for contrast.
func TestBinaryGoPlainTextErrors(t *testing.T) {
	bin := outcropBinary(t)
	srv := startServe(t, bin, t.TempDir())
	for _, c := range []struct {
		what, request string
		status        int
		body, ctype   string
	}{
		{"a malformed request line", "GARBAGE\r\n\r\n", 400, "400 Bad Request", "text/plain; charset=utf-8"},
		{"no Host header", "GET / HTTP/1.1\r\n\r\n", 400, "400 Bad Request: missing required Host header", "text/plain; charset=utf-8"},
		{"a malformed header", "GET / HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n", 400, `400 Bad Request: invalid header name`, "text/plain; charset=utf-8"},
		{"an unknown HTTP version", "GET / HTTP/9.9\r\nHost: x\r\n\r\n", 505, "505 HTTP Version Not Supported: unsupported protocol version", "text/plain; charset=utf-8"},
		{"an unknown transfer coding", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 501, "Unsupported transfer encoding", "text/plain; charset=utf-8"},
		{"headers over 1 MiB", "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + strings.Repeat("a", 1<<20+8192) + "\r\n\r\n", 431, "431 Request Header Fields Too Large", "text/plain; charset=utf-8"},
		{"an Expect other than 100-continue", "GET / HTTP/1.1\r\nHost: x\r\nExpect: teapot\r\n\r\n", 417, "", ""},
		{"Outcrop's own 404 (a handler ran)", "GET /nosuch HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 404, `"code":"NotFound"`, "application/json"},
	} {
		conn := dialRaw(t, srv.url)
		conn.SetDeadline(time.Now().Add(20 * time.Second))
		go io.WriteString(conn, c.request) // the server may answer before it has read all
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Errorf("%s: reading the answer: %v", c.what, err)
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		conn.Close()
		if resp.StatusCode != c.status || !strings.Contains(string(body), c.body) || !strings.HasPrefix(resp.Header.Get("Content-Type"), c.ctype) {
			t.Errorf("%s: %d %q %q; want %d %q containing %q", c.what, resp.StatusCode, resp.Header.Get("Content-Type"), body, c.status, c.ctype, c.body)
		}
		if c.ctype != "application/json" && !resp.Close {
			t.Errorf("%s: the connection stays open after net/http's own error", c.what)
		}
	}
}
