package tiles

import (
	"context"
	"sync"
)

// forEachChunk calls fn on consecutive index ranges [lo, hi) covering [0, n),
// on up to workers goroutines, and returns once all calls have returned. It
// stops handing out ranges when ctx is done and then returns ctx's error.
// Ranges are small enough to balance uneven work between the workers.
func forEachChunk(ctx context.Context, n, workers int, fn func(lo, hi int)) error {
	if n == 0 {
		return ctx.Err()
	}
	chunk := n / (workers * 16)
	chunk = max(1, min(chunk, 1024))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, (n+chunk-1)/chunk) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for lo := range next {
				fn(lo, min(lo+chunk, n))
			}
		}()
	}
	var err error
feed:
	for lo := 0; lo < n; lo += chunk {
		select {
		case next <- lo:
		case <-ctx.Done():
			err = ctx.Err()
			break feed
		}
	}
	close(next)
	wg.Wait()
	return err
}
