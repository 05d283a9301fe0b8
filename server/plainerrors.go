package server

import (
	"net/http"
	"strings"
)

// jsonErrors wraps a handler written against the standard library's
// http.Error and http.NotFound (the viewer's file server), so that its
// plain-text errors go out as the JSON error body of every other route
// (docs/API.md, Errors). Successful responses pass through untouched.
func jsonErrors(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(&plainErrorWriter{ResponseWriter: w, path: r.URL.Path}, r)
	})
}

// plainErrorWriter replaces a text/plain error response with writeError's.
type plainErrorWriter struct {
	http.ResponseWriter
	path     string
	replaced bool // the error was answered; the handler's body is dropped
}

func (p *plainErrorWriter) WriteHeader(code int) {
	if code >= 400 && strings.HasPrefix(p.Header().Get("Content-Type"), "text/plain") {
		p.replaced = true
		msg := "no file " + p.path + " in the map viewer; the viewer is at /map/"
		if code != http.StatusNotFound {
			msg = http.StatusText(code) + ": " + p.path + " (the map viewer answers GET and HEAD of its files)"
		}
		writeError(p.ResponseWriter, code, msg)
		return
	}
	p.ResponseWriter.WriteHeader(code)
}

func (p *plainErrorWriter) Write(b []byte) (int, error) {
	if p.replaced {
		return len(b), nil
	}
	return p.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (p *plainErrorWriter) Unwrap() http.ResponseWriter { return p.ResponseWriter }

// identityUnlessGzip rewrites Accept-Encoding to what the handler after it
// should use: "gzip" when the client accepts gzip, nothing otherwise.
// promhttp logs an error for every request whose Accept-Encoding it cannot
// satisfy (gzip;q=0 among them), which would let any client flood the log.
func identityUnlessGzip(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if acceptsGzip(r.Header["Accept-Encoding"]) {
			r.Header["Accept-Encoding"] = hdrGzip
		} else {
			delete(r.Header, "Accept-Encoding")
		}
		h.ServeHTTP(w, r)
	})
}
