package server

import (
	"log/slog"
	"net/http"
	"runtime/debug"
	"sync"
	"time"
)

// CORS header values. The API is public and read-only, so every response
// allows every origin.
var (
	hdrAnyOrigin    = []string{"*"}
	hdrPreflightAge = []string{"86400"}
	// hdrExposed lets scripts read the validators and the coding of tiles.
	hdrExposed = []string{"ETag, Content-Encoding, Content-Length"}
)

// withCORS allows cross-origin GET and HEAD from any origin and answers
// preflight requests. Access-Control-Allow-Origin goes on every response,
// not only those to requests with an Origin header (as gorilla/handlers'
// CORS does): tiles are kept by shared caches, and a copy cached for a
// request without Origin must still serve a browser's cross-origin request.
func withCORS(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Access-Control-Allow-Origin"] = hdrAnyOrigin
		if r.Method != http.MethodOptions {
			next.ServeHTTP(w, r)
			return
		}
		// A preflight asks whether a method and headers may be used; the
		// answer is the same for every path, so it is given here.
		h["Allow"] = hdrAllowGetHeadOp
		h["Access-Control-Allow-Methods"] = hdrAllowGetHeadOp
		if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
			// Nothing here depends on request headers that could make
			// allowing them unsafe: the API has no credentials or writes.
			h.Set("Access-Control-Allow-Headers", req)
		}
		h["Access-Control-Expose-Headers"] = hdrExposed
		h["Access-Control-Max-Age"] = hdrPreflightAge
		h["Cache-Control"] = hdrNoStore
		w.WriteHeader(http.StatusNoContent)
	})
}

// instrument wraps the handler of one route: it counts and times the
// request under the route's template, logs it at Debug level, and turns a
// panic into a logged 500 so that no request can take the server down.
func (s *server) instrument(route string, next http.Handler) http.Handler {
	rm := s.metrics.route(route)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := recorders.Get().(*statusRecorder)
		rec.ResponseWriter, rec.status = w, 0
		if s.writeTimeout > 0 {
			rec.deadline, rec.timeout = deadlinerOf(w), s.writeTimeout
		}
		defer func() {
			abort := false
			if p := recover(); p != nil {
				abort = s.recovered(rec, r, route, p)
			}
			status := rec.status
			if status == 0 {
				status = http.StatusOK // the handler wrote nothing at all
			}
			elapsed := time.Since(start)
			rm.observe(status, elapsed)
			if s.log.Enabled(r.Context(), slog.LevelDebug) {
				s.log.LogAttrs(r.Context(), slog.LevelDebug, "request",
					slog.String("method", r.Method), slog.String("path", r.URL.Path),
					slog.String("route", route), slog.Int("status", status),
					slog.Duration("elapsed", elapsed), slog.String("remote", r.RemoteAddr))
			}
			rec.ResponseWriter, rec.deadline = nil, nil
			recorders.Put(rec)
			if abort {
				// The response had begun: net/http closes the connection
				// on this panic, so the client sees a broken response
				// rather than a short one taken for whole.
				panic(http.ErrAbortHandler)
			}
		}()
		next.ServeHTTP(rec, r)
	})
}

// recovered logs a panic and answers 500 if the response has not begun. It
// reports whether the connection must be aborted instead: the response had
// begun, or the handler itself asked for an abort with http.ErrAbortHandler.
func (s *server) recovered(rec *statusRecorder, r *http.Request, route string, p any) (abort bool) {
	if p == http.ErrAbortHandler {
		return true
	}
	s.log.Error("panic serving request", "method", r.Method, "path", r.URL.Path, "route", route,
		"panic", p, "stack", string(debug.Stack()))
	if rec.status != 0 {
		return true
	}
	writeError(rec, http.StatusInternalServerError, "the server failed on this request; the server log has the cause")
	return false
}

// statusRecorder remembers the status a handler sends, and moves the
// connection's write deadline on before each write (see withWriteDeadline).
// Recorders are pooled: the tile route must not allocate one per request.
type statusRecorder struct {
	http.ResponseWriter
	status   int
	deadline writeDeadliner // nil when writes are not bounded
	timeout  time.Duration
}

var recorders = sync.Pool{New: func() any { return new(statusRecorder) }}

func (rec *statusRecorder) WriteHeader(code int) {
	if rec.status == 0 && code >= 200 {
		rec.status = code
	}
	rec.ResponseWriter.WriteHeader(code)
}

func (rec *statusRecorder) Write(b []byte) (int, error) {
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	if rec.deadline != nil {
		rec.deadline.SetWriteDeadline(time.Now().Add(rec.timeout))
	}
	return rec.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (rec *statusRecorder) Unwrap() http.ResponseWriter { return rec.ResponseWriter }
