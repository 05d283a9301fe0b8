package tiles

import (
	"bytes"
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/tileset"
)

// goroutineID reads the current goroutine's number from its stack header,
// "goroutine 12 [running]:".
func goroutineID() string {
	buf := make([]byte, 64)
	buf = buf[:runtime.Stack(buf, false)]
	return string(bytes.Fields(buf)[1])
}

func TestPutIsCalledFromTheCallersGoroutineOnly(t *testing.T) {
	caller := goroutineID()
	calls := 0
	_, err := Cut(context.Background(), crowd(3000), Options{Layer: testLayer, MaxZoom: 12, Workers: 4}, func(tileset.Tile) error {
		calls++
		if id := goroutineID(); id != caller {
			t.Fatalf("put called on goroutine %s, Cut on %s", id, caller)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if calls < 100 {
		t.Fatalf("only %d tiles; the test needs many", calls)
	}
}

func TestPutErrorStopsCut(t *testing.T) {
	boom := errors.New("disk full")
	calls := 0
	_, err := Cut(context.Background(), crowd(3000), Options{Layer: testLayer, MaxZoom: 9}, func(tileset.Tile) error {
		calls++
		if calls == 10 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "storing tile") {
		t.Fatalf("error %v, want the put error wrapped with its tile", err)
	}
	if calls != 10 {
		t.Errorf("put called %d times, want no call after the failing one", calls)
	}
}

func TestCancelStopsCut(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	stats, err := Cut(ctx, crowd(3000), Options{Layer: testLayer, MaxZoom: 12}, func(tileset.Tile) error {
		calls++
		if calls == 5 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if len(stats.Zooms) == 13 {
		t.Error("every zoom was cut despite the cancellation")
	}

	_, err = Cut(ctx, []*geojson.Feature{bangkok}, Options{Layer: testLayer, MaxZoom: 2}, func(tileset.Tile) error {
		t.Error("put called under a cancelled context")
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v under a cancelled context, want context.Canceled", err)
	}
}

func TestEmptyInputWritesNothing(t *testing.T) {
	stats, err := Cut(context.Background(), nil, Options{Layer: testLayer, MinZoom: 2, MaxZoom: 4}, func(tileset.Tile) error {
		t.Error("put called without features")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(stats.Zooms) != 3 || stats.Zooms[0].Zoom != 2 || stats.Zooms[2].Tiles != 0 {
		t.Errorf("stats %+v, want zooms 2-4 with no tiles", stats.Zooms)
	}
}
