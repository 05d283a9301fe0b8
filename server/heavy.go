package server

import (
	"net/http"
	"runtime"
	"strconv"
	"time"
)

// maxHTMLLimit is the largest page of features an HTML page shows: a larger
// limit is taken as this one, as a JSON page's is taken as maxLimit. A table
// and map of ten thousand features cost about 1.5 s of CPU and are more
// than a person reads.
const maxHTMLLimit = 1000

// heavyLimit is the page size above which a JSON page of features is a heavy
// request (see heavyGate).
const heavyLimit = 1000

// heavyRetryAfter is the Retry-After of a heavy request refused, in seconds.
const heavyRetryAfter = 1

// heavyGate bounds the heavy requests served at once: pages of more than
// heavyLimit features, HTML pages of features, raster renders. Past the
// bound a request is refused at once with 503 and Retry-After, rather than
// queued: a queue would grow with a client that sends them in parallel, and
// every request in it would wait on all those before it. A buffered channel
// is the semaphore; a send that would block is the refusal.
type heavyGate chan struct{}

// newHeavyGate admits n heavy requests at once; 0 means 2 per CPU.
func newHeavyGate(n int) heavyGate {
	if n <= 0 {
		n = 2 * runtime.GOMAXPROCS(0)
	}
	return make(heavyGate, n)
}

// heavyBusyText is the message of a heavy request refused.
const heavyBusyText = "the server is serving as many large pages, HTML pages, raster renders and downloads as it can at once; retry in a second, or ask for a smaller page (limit=1000 or less, f=json)"

// enter admits a heavy request, or answers 503 itself and reports false.
// The caller calls leave when admitted and done.
func (g heavyGate) enter(w http.ResponseWriter) bool {
	if g.tryEnter() {
		return true
	}
	w.Header().Set("Retry-After", strconv.Itoa(heavyRetryAfter))
	writeError(w, http.StatusServiceUnavailable, heavyBusyText)
	return false
}

// tryEnter admits a heavy request and reports true, or reports false at
// once when the gate is full. The caller calls leave when admitted and done.
func (g heavyGate) tryEnter() bool {
	select {
	case g <- struct{}{}:
		return true
	default:
		return false
	}
}

// enterWithin admits a heavy request as tryEnter does, waiting up to wait
// for a place when the gate is full.
func (g heavyGate) enterWithin(wait time.Duration) bool {
	if g.tryEnter() {
		return true
	}
	if wait <= 0 {
		return false
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case g <- struct{}{}:
		return true
	case <-t.C:
		return false
	}
}

func (g heavyGate) leave() { <-g }

// heavyOnly admits h's requests through the gate.
func (s *server) heavyOnly(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.heavy.enter(w) {
			return
		}
		defer s.heavy.leave()
		h(w, r)
	}
}
