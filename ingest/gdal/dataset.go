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

// Dataset is an open GDAL dataset (GDALDatasetH).
type Dataset struct {
	handle  C.GDALDatasetH
	handler ErrorHandler
}

// OpenOption configures Open.
type OpenOption interface {
	setOpenOpt(*openOpts)
}

type openOpts struct {
	flags   C.uint
	drivers []string
	options []string
	handler ErrorHandler
}

type vectorOnlyOpt struct{}

// VectorOnly limits Open to vector drivers.
func VectorOnly() interface{ OpenOption } { return vectorOnlyOpt{} }

func (vectorOnlyOpt) setOpenOpt(o *openOpts) { o.flags |= C.GDAL_OF_VECTOR }

type driversOpt []string

// Drivers limits Open to the drivers named (short names, e.g. "CSV").
func Drivers(drivers ...string) interface{ OpenOption } { return driversOpt(drivers) }

func (d driversOpt) setOpenOpt(o *openOpts) { o.drivers = append(o.drivers, d...) }

type driverOpenOpt []string

// DriverOpenOption passes open options (ogrinfo's -oo), each "KEY=value".
func DriverOpenOption(keyval ...string) interface{ OpenOption } { return driverOpenOpt(keyval) }

func (d driverOpenOpt) setOpenOpt(o *openOpts) { o.options = append(o.options, d...) }

type errLoggerOpt struct{ fn ErrorHandler }

// ErrLogger routes the messages GDAL raises to fn (see ErrorHandler). Given
// to Open, it also applies to every later read through the dataset's layers;
// godal takes it per call instead.
func ErrLogger(fn ErrorHandler) interface{ OpenOption } { return errLoggerOpt{fn} }

func (e errLoggerOpt) setOpenOpt(o *openOpts) { o.handler = e.fn }

// Open opens name read-only with GDALOpenEx. name may be a file, a directory
// or any GDAL path such as /vsizip/archive.zip/file.shp.
func Open(name string, opts ...OpenOption) (*Dataset, error) {
	ensureInit()
	o := openOpts{flags: C.GDAL_OF_READONLY | C.GDAL_OF_VERBOSE_ERROR}
	for _, opt := range opts {
		opt.setOpenOpt(&o)
	}
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	drivers := newCStrings(o.drivers)
	defer drivers.free()
	options := newCStrings(o.options)
	defer options.free()

	c := call{handler: o.handler}
	h := C.gdOpen(&c.errs, cname, o.flags, drivers.ptr(), options.ptr())
	if err := c.err(); err != nil || h == nil {
		if h != nil {
			var cl call
			C.gdClose(&cl.errs, h)
			_ = cl.err()
		}
		if err == nil {
			err = &Error{Code: CPLE_OpenFailed, Msg: "cannot open " + name}
		}
		return nil, err
	}
	return &Dataset{handle: h, handler: o.handler}, nil
}

// Close releases the dataset; its layers and their features must not be used
// afterwards.
func (ds *Dataset) Close() error {
	if ds.handle == nil {
		return errors.New("gdal: dataset closed twice")
	}
	c := call{handler: ds.handler}
	C.gdClose(&c.errs, ds.handle)
	ds.handle = nil
	return c.err()
}

// Driver is a GDAL driver (GDALDriverH).
type Driver struct {
	handle C.GDALDriverH
}

// ShortName is the driver's short name, e.g. "ESRI Shapefile" or "GPKG".
func (drv Driver) ShortName() string {
	return C.GoString(C.GDALGetDriverShortName(drv.handle))
}

// LongName is the driver's descriptive name.
func (drv Driver) LongName() string {
	return C.GoString(C.GDALGetDriverLongName(drv.handle))
}

// Driver returns the driver that opened the dataset.
func (ds *Dataset) Driver() Driver {
	return Driver{handle: C.GDALGetDatasetDriver(ds.handle)}
}

// Layers returns the dataset's vector layers in their order.
func (ds *Dataset) Layers() []Layer {
	n := int(C.GDALDatasetGetLayerCount(ds.handle))
	layers := make([]Layer, 0, n)
	for i := 0; i < n; i++ {
		if h := C.GDALDatasetGetLayer(ds.handle, C.int(i)); h != nil {
			layers = append(layers, Layer{handle: h, ds: ds})
		}
	}
	return layers
}

// LayerByName returns the layer called name, or nil if there is none.
func (ds *Dataset) LayerByName(name string) *Layer {
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	var c call // GDAL raises no error for a missing layer; nil says it all
	h := C.GDALDatasetGetLayerByName(ds.handle, cname)
	_ = c.err()
	if h == nil {
		return nil
	}
	return &Layer{handle: h, ds: ds}
}

// IdentifyDriver returns the short name of the driver GDAL would open name
// with, restricted to vector drivers, or "" when none recognises it. It lets a
// caller choose driver-specific open options before opening. (Not in godal.)
func IdentifyDriver(name string) string {
	ensureInit()
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	var c call
	short := C.gdIdentifyDriver(&c.errs, cname, C.GDAL_OF_VECTOR)
	_ = c.err() // identification failing is the answer, not an error
	if short == nil {
		return ""
	}
	return C.GoString(short)
}

// ReadDirRecursive lists the files under path, which may be a GDAL virtual
// path such as /vsizip/archive.zip, relative to it. (VSIReadDirRecursive;
// not in godal.)
func ReadDirRecursive(path string) ([]string, error) {
	ensureInit()
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	var c call
	list := C.gdReadDirRecursive(&c.errs, cpath)
	defer C.CSLDestroy(list)
	if err := c.err(); err != nil {
		return nil, err
	}
	return goStrings(list), nil
}

// FileList returns the files the dataset is made of, e.g. a shapefile's .shp,
// .shx, .dbf, .prj and .cpg. (GDALGetFileList; not in godal.)
func (ds *Dataset) FileList() []string {
	list := C.GDALGetFileList(ds.handle)
	defer C.CSLDestroy(list)
	return goStrings(list)
}

// PathExists reports whether path names a file or directory, which may be
// inside a GDAL virtual file system such as /vsizip. (VSIStatL; not in godal.)
func PathExists(path string) bool {
	ensureInit()
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	return C.gdPathExists(cpath) != 0
}
