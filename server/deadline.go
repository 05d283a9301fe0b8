package server

import (
	"net/http"
	"time"
)

// DefaultWriteTimeout is how long one write of a response may wait on a
// client that does not read, when Config.WriteTimeout is zero.
const DefaultWriteTimeout = 30 * time.Second

// writeDeadliner is what http.ResponseController calls to set a write
// deadline: net/http's own ResponseWriter has the method.
type writeDeadliner interface {
	SetWriteDeadline(time.Time) error
}

// deadlinerOf finds the connection's writer below w's wrappers, or nil (a
// test's recorder has none).
func deadlinerOf(w http.ResponseWriter) writeDeadliner {
	for {
		switch t := w.(type) {
		case writeDeadliner:
			return t
		case interface{ Unwrap() http.ResponseWriter }:
			w = t.Unwrap()
		default:
			return nil
		}
	}
}

// withWriteDeadline bounds how long a response may wait on its client: each
// write must be taken by the connection within d of its start (statusRecorder
// moves the deadline on with every write), so a client that reads a large
// page slowly but steadily is served, and one that stops reading, or reads a
// byte now and then, loses its connection within d and lets go of the
// tileset version its request holds. http.Server's WriteTimeout would bound
// the whole response instead, cutting off a big page to a slow network.
//
// The deadline is set when each request starts: without a WriteTimeout,
// net/http leaves the previous request's deadline on a kept-alive
// connection. It is set again when the handler returns, for the flush of
// what the handler left buffered.
func withWriteDeadline(d time.Duration, next http.Handler) http.Handler {
	if d <= 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		dl := deadlinerOf(w)
		if dl == nil {
			next.ServeHTTP(w, r)
			return
		}
		dl.SetWriteDeadline(time.Now().Add(d))
		next.ServeHTTP(w, r)
		dl.SetWriteDeadline(time.Now().Add(d))
	})
}
