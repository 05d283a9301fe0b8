package gdal

/*
#include <stdlib.h>
#include <gdal.h>
#include <cpl_conv.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

static void gdKeepLargeBuffers(void) {
#ifdef __GLIBC__
	mallopt(M_MMAP_THRESHOLD, 128 << 20);
	mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
}
*/
import "C"

import "unsafe"

// SetCacheMax sets the most memory, in bytes, that GDAL's raster block
// cache holds (GDALSetCacheMax64), unless GDAL_CACHEMAX is set in the
// environment or as a configuration option: the user's setting wins. GDAL's
// own default is 5 % of the machine's memory. (Not in godal.)
func SetCacheMax(bytes int64) {
	ensureInit()
	key := C.CString("GDAL_CACHEMAX")
	defer C.free(unsafe.Pointer(key))
	if C.CPLGetConfigOption(key, nil) != nil {
		return
	}
	C.GDALSetCacheMax64(C.GIntBig(bytes))
}

// CacheMax returns the most memory, in bytes, that GDAL's raster block
// cache holds (GDALGetCacheMax64).
func CacheMax() int64 {
	ensureInit()
	return int64(C.GDALGetCacheMax64())
}

// KeepLargeBuffers makes the C allocator (glibc's malloc) serve blocks up
// to 128 MB from its heap and keep up to 1 GB of freed heap rather than
// give it back to the system, for the rest of the process. GDAL allocates
// and frees its warp buffers and in-memory datasets on every warp; by
// default glibc maps each such block (over its threshold of 128 kB, which
// rises to at most 32 MB), faults it in page by page and unmaps it again:
// 56 MB of page faults for each warp to a 2048×2048 float32 dataset. Without glibc it does nothing. (Not in godal.)
func KeepLargeBuffers() { C.gdKeepLargeBuffers() }
