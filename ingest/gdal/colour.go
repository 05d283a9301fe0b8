package gdal

/*
#include <stdlib.h>
#include "binding.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"sync/atomic"
	"unsafe"
)

// ColourInterp is the band's colour interpretation as GDAL names it
// ("Red", "Green", "Blue", "Alpha", "Palette", "Gray", "Undefined").
func (b Band) ColourInterp() string {
	return C.GoString(C.GDALGetColorInterpretationName(C.GDALGetRasterColorInterpretation(b.handle)))
}

// HasColourTable reports whether the band has a colour table (a palette).
func (b Band) HasColourTable() bool { return C.GDALGetRasterColorTable(b.handle) != nil }

// GCPCount is the number of ground control points the dataset has.
func (ds *Dataset) GCPCount() int { return int(C.GDALGetGCPCount(ds.handle)) }

// GCPProjection returns the CRS of the dataset's ground control points as
// WKT, or "".
func (ds *Dataset) GCPProjection() string { return C.GoString(C.GDALGetGCPProjection(ds.handle)) }

// Translate runs gdal_translate on the dataset (GDALTranslate): switches
// are gdal_translate's command-line arguments, e.g. {"-of", "VRT",
// "-expand", "rgba"}. The caller closes the result.
func (ds *Dataset) Translate(dstDS string, switches []string) (*Dataset, error) {
	cdst := C.CString(dstDS)
	defer C.free(unsafe.Pointer(cdst))
	sw := newCStrings(switches)
	defer sw.free()
	c := call{handler: ds.handler}
	h := C.gdTranslate(&c.errs, cdst, ds.handle, sw.ptr())
	if err := c.err(); err != nil || h == nil {
		if h != nil {
			var cl call
			C.gdClose(&cl.errs, h)
			_ = cl.err()
		}
		return nil, orUnknown(err, "translate")
	}
	return &Dataset{handle: h, handler: ds.handler}, nil
}

// ReadBytes reads the w×h window at pixel x, line y of the given bands
// (numbered from 1) into buf as bytes, pixel-interleaved (the bands of the
// first pixel, then of the second, …, row by row, as image.NRGBA's Pix
// holds four bands); buf must hold w*h*len(bands) bytes.
func (ds *Dataset) ReadBytes(x, y, w, h int, bands []int, buf []byte) error {
	if len(bands) == 0 || len(buf) < w*h*len(bands) || w <= 0 || h <= 0 {
		return errors.New("gdal: ReadBytes needs bands and a buffer of w*h*len(bands) bytes")
	}
	bandMap := make([]C.int, len(bands))
	for i, b := range bands {
		bandMap[i] = C.int(b)
	}
	c := call{handler: ds.handler}
	C.gdDatasetReadByte(&c.errs, ds.handle, C.int(x), C.int(y), C.int(w), C.int(h), (*C.uchar)(unsafe.Pointer(&buf[0])), C.int(len(bands)), &bandMap[0])
	return c.err()
}

// MetadataDomain returns the dataset's metadata items of a domain as
// KEY=VALUE strings (GDALGetMetadata); some drivers (netCDF's SUBDATASETS)
// answer only this way, not item by item.
func (ds *Dataset) MetadataDomain(domain string) []string {
	cdomain := C.CString(domain)
	defer C.free(unsafe.Pointer(cdomain))
	return goStrings(C.GDALGetMetadata(C.GDALMajorObjectH(unsafe.Pointer(ds.handle)), cdomain))
}

// memFiles numbers the /vsimem files EncodeRGBA writes.
var memFiles atomic.Int64

// EncodeRGBA encodes a w×h image of pixel-interleaved red, green, blue and
// alpha bytes (image.NRGBA's Pix) with the GDAL raster driver named (e.g.
// "WEBP") and its creation options (e.g. "QUALITY=85"), through an
// in-memory file, and returns the encoded bytes.
func EncodeRGBA(pix []byte, w, h int, driver string, options ...string) ([]byte, error) {
	if len(pix) != 4*w*h || w <= 0 || h <= 0 {
		return nil, errors.New("gdal: EncodeRGBA needs 4*w*h bytes")
	}
	// GDAL reads the pixels after this call returns, so they live in C
	// memory, not Go's.
	buf := C.malloc(C.size_t(len(pix)))
	defer C.free(buf)
	copy(unsafe.Slice((*byte)(buf), len(pix)), pix)
	mem := fmt.Sprintf("MEM:::DATAPOINTER=%p,PIXELS=%d,LINES=%d,BANDS=4,DATATYPE=Byte,PIXELOFFSET=4,LINEOFFSET=%d,BANDOFFSET=1", buf, w, h, 4*w)
	src, err := Open(mem, RasterOnly())
	if err != nil {
		return nil, err
	}
	defer src.Close()
	name := fmt.Sprintf("/vsimem/outcrop-encode-%d", memFiles.Add(1))
	sw := []string{"-of", driver}
	for _, o := range options {
		sw = append(sw, "-co", o)
	}
	out, err := src.Translate(name, sw)
	if err != nil {
		return nil, err
	}
	out.Close()
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	var n C.ulonglong
	b := C.gdTakeMemFile(cname, &n)
	if b == nil {
		return nil, errors.New("gdal: " + driver + " wrote nothing")
	}
	defer C.VSIFree(unsafe.Pointer(b))
	return C.GoBytes(unsafe.Pointer(b), C.int(n)), nil
}
