package tileset

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestCloseStopsFeatureQuery: Close during a feature query whose callback is
// slow (a page streamed to a slow client) stops the query at its next
// feature, with an error, instead of waiting until the page is done.
func TestCloseStopsFeatureQuery(t *testing.T) {
	r := writeFeatures(t, t.TempDir(), "slow", randomFeatures(rand.New(rand.NewPCG(1, 2)), 200), 50)
	started := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		n := 0
		_, err := r.Features(FeatureQuery{Limit: 200}, func(RawFeature) error {
			if n++; n == 1 {
				close(started)
			}
			time.Sleep(50 * time.Millisecond) // 10 s for the whole page
			return nil
		})
		done <- err
	}()
	<-started
	closed := make(chan error, 1)
	go func() { closed <- r.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Errorf("Close: %v", err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("Close still waiting for the feature query after 3 s")
	}
	if err := <-done; err == nil {
		t.Error("the feature query cut short by Close returned no error")
	}
}
