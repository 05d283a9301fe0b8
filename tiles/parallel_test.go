package tiles

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
)

func TestForEachChunkCoversEveryIndexOnce(t *testing.T) {
	for _, n := range []int{0, 1, 7, 1000, 100_000} {
		seen := make([]int32, n)
		if err := forEachChunk(context.Background(), n, 3, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				atomic.AddInt32(&seen[i], 1)
			}
		}); err != nil {
			t.Fatal(err)
		}
		for i, c := range seen {
			if c != 1 {
				t.Fatalf("n=%d: index %d visited %d times", n, i, c)
			}
		}
	}
}

func TestForEachChunkStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var calls atomic.Int32
	err := forEachChunk(ctx, 1_000_000, 2, func(lo, hi int) {
		if calls.Add(1) == 1 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if c := calls.Load(); c > 10 {
		t.Errorf("%d chunks ran after cancellation, want a handful", c)
	}
}
