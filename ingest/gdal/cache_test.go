package gdal

import (
	"syscall"
	"testing"
)

// TestSetCacheMax checks that SetCacheMax bounds the block cache, and that
// a GDAL_CACHEMAX the user set wins over it.
func TestSetCacheMax(t *testing.T) {
	before := CacheMax()
	t.Cleanup(func() { SetConfigOption("GDAL_CACHEMAX", ""); SetCacheMax(before) })
	SetCacheMax(48 << 20)
	if got := CacheMax(); got != 48<<20 {
		t.Errorf("CacheMax() = %d after SetCacheMax(48 MB)", got)
	}
	SetConfigOption("GDAL_CACHEMAX", "100")
	SetCacheMax(16 << 20)
	if got := CacheMax(); got != 48<<20 {
		t.Errorf("CacheMax() = %d: SetCacheMax overrode the user's GDAL_CACHEMAX", got)
	}
}

// TestKeepLargeBuffers checks that after KeepLargeBuffers a second warp to a
// 2048×2048 in-memory dataset reuses the memory of the first, freed one
// instead of faulting in fresh pages: 16 MB of dataset and 16 MB of warp
// buffer are 8192 pages.
func TestKeepLargeBuffers(t *testing.T) {
	ds, err := Open("../../data/rasters/slab2-sumatra-java/sum_slab2_dep_02.23.18.grd", RasterOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer ds.Close()
	KeepLargeBuffers()
	warp := func() int64 {
		var before, after syscall.Rusage
		_ = syscall.Getrusage(syscall.RUSAGE_SELF, &before)
		out, err := ds.Warp("", []string{"-of", "MEM", "-t_srs", "EPSG:3857", "-ot", "Float32", "-dstnodata", "nan", "-ts", "2048", "2048"})
		if err != nil {
			t.Fatal(err)
		}
		out.Close()
		_ = syscall.Getrusage(syscall.RUSAGE_SELF, &after)
		return after.Minflt - before.Minflt
	}
	warp()
	if faults := warp(); faults > 2048 {
		t.Errorf("the second warp faulted in %d pages (%d MB); its buffers were not reused", faults, faults/256)
	}
}
