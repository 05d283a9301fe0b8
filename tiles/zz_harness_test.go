package tiles_test

import (
	"context"
	"os"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/tileset"
	"github.com/outcrop/outcrop/tiles"
)

func TestCutFile(t *testing.T) {
	path := os.Getenv("CUTFILE")
	if path == "" {
		t.Skip()
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		t.Fatal(err)
	}
	b = nil
	for i, f := range fc.Features {
		f.ID = uint64(i + 1)
	}
	runtime.GC()
	var ru0, ru1 syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
	start := time.Now()
	var total int64
	stats, err := tiles.Cut(context.Background(), fc.Features, tiles.Options{Layer: "x", MinZoom: 0, MaxZoom: 12, ClusterField: os.Getenv("CLUSTERFIELD"), ClusterGrid: grid()}, func(tl tileset.Tile) error {
		total += int64(len(tl.Data))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru1)
	cpu := time.Duration(ru1.Utime.Nano()-ru0.Utime.Nano()+ru1.Stime.Nano()-ru0.Stime.Nano())
	t.Logf("cut in %v (cpu %v), %d bytes", time.Since(start), cpu, total)
	for _, z := range stats.Zooms {
		t.Logf("%+v", z)
	}
}

func grid() int {
	n, _ := strconv.Atoi(os.Getenv("GRID"))
	return n
}
