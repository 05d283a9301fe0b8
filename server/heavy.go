package server

import (
	"net/http"
	"runtime"
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

// enter admits a heavy request and returns nil, or returns the 503 (with
// Retry-After) to answer at once. The caller calls leave when admitted and
// done.
func (g heavyGate) enter() error {
	if g.tryEnter() {
		return nil
	}
	e := statusError(http.StatusServiceUnavailable, heavyBusyText)
	e.retry = true
	return e
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
