package gdal

import "testing"

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
