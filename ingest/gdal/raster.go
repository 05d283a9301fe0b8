package gdal

/*
#include <stdlib.h>
#include "binding.h"
*/
import "C"

import (
	"errors"
	"unsafe"
)

type rasterOnlyOpt struct{}

// RasterOnly limits Open to raster drivers.
func RasterOnly() interface{ OpenOption } { return rasterOnlyOpt{} }

func (rasterOnlyOpt) setOpenOpt(o *openOpts) { o.flags |= C.GDAL_OF_RASTER }

// IdentifyRasterDriver is IdentifyDriver restricted to raster drivers. (Not
// in godal.)
func IdentifyRasterDriver(name string) string {
	ensureInit()
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	var c call
	short := C.gdIdentifyDriver(&c.errs, cname, C.GDAL_OF_RASTER)
	_ = c.err()
	if short == nil {
		return ""
	}
	return C.GoString(short)
}

// Structure is a raster dataset's size in pixels and its band count.
type Structure struct {
	SizeX, SizeY int
	NBands       int
}

// Structure returns the dataset's raster size and band count.
func (ds *Dataset) Structure() Structure {
	return Structure{
		SizeX:  int(C.GDALGetRasterXSize(ds.handle)),
		SizeY:  int(C.GDALGetRasterYSize(ds.handle)),
		NBands: int(C.GDALGetRasterCount(ds.handle)),
	}
}

// GeoTransform returns the affine transform from pixel/line to georeferenced
// coordinates; an error when the dataset has none.
func (ds *Dataset) GeoTransform() ([6]float64, error) {
	var gt [6]float64
	var c call
	ok := C.GDALGetGeoTransform(ds.handle, (*C.double)(unsafe.Pointer(&gt[0]))) == C.CE_None
	_ = c.err()
	if !ok {
		return gt, errors.New("gdal: the dataset has no geotransform")
	}
	return gt, nil
}

// Projection returns the dataset's CRS as WKT, or "" when it declares none.
// (godal returns it from SpatialRef; this is GDALGetProjectionRef.)
func (ds *Dataset) Projection() string {
	return C.GoString(C.GDALGetProjectionRef(ds.handle))
}

// Metadata returns a metadata item of the dataset, or "".
func (ds *Dataset) Metadata(key string, opts ...MetadataOption) string {
	return metadataItem(C.GDALMajorObjectH(unsafe.Pointer(ds.handle)), key, opts)
}

// Bands returns the dataset's raster bands, first band first.
func (ds *Dataset) Bands() []Band {
	n := int(C.GDALGetRasterCount(ds.handle))
	bands := make([]Band, n)
	for i := range bands {
		bands[i] = Band{handle: C.GDALGetRasterBand(ds.handle, C.int(i+1))}
	}
	return bands
}

// Band is a raster band (GDALRasterBandH) of an open dataset.
type Band struct {
	handle C.GDALRasterBandH
}

// DataType is the band's pixel type as GDAL names it, e.g. "Float32", "Int16".
func (b Band) DataType() string {
	return C.GoString(C.GDALGetDataTypeName(C.GDALGetRasterDataType(b.handle)))
}

// IsFloat reports whether the band holds floating-point (or complex) values.
func (b Band) IsFloat() bool {
	return C.GDALDataTypeIsFloating(C.GDALGetRasterDataType(b.handle)) != 0
}

// NoData returns the band's nodata value, if it has one.
func (b Band) NoData() (float64, bool) {
	var ok C.int
	v := C.GDALGetRasterNoDataValue(b.handle, &ok)
	return float64(v), ok != 0
}

// Unit is the band's unit of measure ("m", "nT"), or "".
func (b Band) Unit() string { return C.GoString(C.GDALGetRasterUnitType(b.handle)) }

// Description is the band's description, or "".
func (b Band) Description() string {
	return C.GoString(C.GDALGetDescription(C.GDALMajorObjectH(unsafe.Pointer(b.handle))))
}

// Metadata returns a metadata item of the band, or "".
func (b Band) Metadata(key string, opts ...MetadataOption) string {
	return metadataItem(C.GDALMajorObjectH(unsafe.Pointer(b.handle)), key, opts)
}

// Classes reports whether the band holds classes rather than measurements:
// it has a colour table or category names. (Not in godal.)
func (b Band) Classes() bool {
	return C.GDALGetRasterColorTable(b.handle) != nil || C.GDALGetRasterCategoryNames(b.handle) != nil
}

func metadataItem(h C.GDALMajorObjectH, key string, opts []MetadataOption) string {
	mo := metadataOpts{}
	for _, o := range opts {
		o.setMetadataOpt(&mo)
	}
	ckey := C.CString(key)
	defer C.free(unsafe.Pointer(ckey))
	var cdomain *C.char
	if mo.domain != "" {
		cdomain = C.CString(mo.domain)
		defer C.free(unsafe.Pointer(cdomain))
	}
	v := C.GDALGetMetadataItem(h, ckey, cdomain)
	if v == nil {
		return ""
	}
	return C.GoString(v)
}

// Warp runs gdalwarp on the dataset (GDALWarp): switches are gdalwarp's
// command-line arguments, e.g. {"-t_srs", "EPSG:3857", "-r", "bilinear"}.
// With "-of", "VRT" and dstDS "" the result is a virtual warped dataset that
// warps lazily as it is read. The caller closes the result.
func (ds *Dataset) Warp(dstDS string, switches []string) (*Dataset, error) {
	cdst := C.CString(dstDS)
	defer C.free(unsafe.Pointer(cdst))
	sw := newCStrings(switches)
	defer sw.free()
	c := call{handler: ds.handler}
	h := C.gdWarp(&c.errs, cdst, ds.handle, sw.ptr())
	if err := c.err(); err != nil || h == nil {
		if h != nil {
			var cl call
			C.gdClose(&cl.errs, h)
			_ = cl.err()
		}
		return nil, orUnknown(err, "warp")
	}
	return &Dataset{handle: h, handler: ds.handler}, nil
}

// ReadFloat32 reads the w×h window at pixel x, line y of the given bands
// (numbered from 1) into buf as float32 (GDALDatasetRasterIO), band after
// band, each row by row; buf must hold w*h*len(bands) values.
func (ds *Dataset) ReadFloat32(x, y, w, h int, bands []int, buf []float32) error {
	if len(bands) == 0 || len(buf) < w*h*len(bands) || w <= 0 || h <= 0 {
		return errors.New("gdal: ReadFloat32 needs bands and a buffer of w*h*len(bands) values")
	}
	bandMap := make([]C.int, len(bands))
	for i, b := range bands {
		bandMap[i] = C.int(b)
	}
	c := call{handler: ds.handler}
	C.gdDatasetReadFloat32(&c.errs, ds.handle, C.int(x), C.int(y), C.int(w), C.int(h), (*C.float)(unsafe.Pointer(&buf[0])), C.int(len(bands)), &bandMap[0])
	return c.err()
}
