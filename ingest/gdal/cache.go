package gdal

/*
#include <stdlib.h>
#include <gdal.h>
#include <cpl_conv.h>
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
