package objstore

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/outcrop/outcrop/internal/storetest"
)

// TestCatchupCoalesces: many Catchup calls at once, as a burst of requests
// for a version just published elsewhere makes, beside the regular pass,
// install the version once: passes never overlap (two overlapping passes
// would each download and install it), and a call waits for a pass that
// began after it, so the version is in place when every call returns.
func TestCatchupCoalesces(t *testing.T) {
	bucket := s3Env(t)
	loc := Location{Bucket: bucket, Prefix: "catchup"}
	src := t.TempDir()
	version := storetest.WriteVersion(t, src, "geology", "first")
	publish(t, loc, src, "geology")

	r := newReplica(t, loc)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() { r.syncer.Catchup(context.Background()) })
	}
	wg.Go(func() { r.syncer.Once(context.Background()) })
	wg.Wait()
	if got := localVersion(r.dir + "/geology.tileset"); got != version {
		t.Fatalf("after the calls returned the replica holds version %q, want %q", got, version)
	}
	if n := strings.Count(r.log.String(), "new version in place"); n != 1 {
		t.Errorf("the version was installed %d times, want once:\n%s", n, r.log)
	}
}
