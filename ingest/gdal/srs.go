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

// SpatialRef is a coordinate reference system (OGRSpatialReferenceH). Every
// SpatialRef this package makes uses traditional GIS axis order (x =
// longitude or easting), the order every vector format stores coordinates in.
type SpatialRef struct {
	handle  C.OGRSpatialReferenceH
	isOwned bool
}

func newSpatialRef(h C.OGRSpatialReferenceH, c *call, what string) (*SpatialRef, error) {
	if err := c.err(); err != nil || h == nil {
		if h != nil {
			C.OSRDestroySpatialReference(h)
		}
		return nil, orUnknown(err, what)
	}
	return &SpatialRef{handle: h, isOwned: true}, nil
}

// NewSpatialRef makes a CRS from anything OSRSetFromUserInput accepts: an
// authority code ("EPSG:24047"), WKT, PROJJSON or a PROJ string.
func NewSpatialRef(userInput string) (*SpatialRef, error) {
	ensureInit()
	cs := C.CString(userInput)
	defer C.free(unsafe.Pointer(cs))
	var c call
	return newSpatialRef(C.gdSRSFromUserInput(&c.errs, cs), &c, "CRS definition")
}

// NewSpatialRefFromWKT makes a CRS from WKT (1 or 2).
func NewSpatialRefFromWKT(wkt string) (*SpatialRef, error) {
	ensureInit()
	cs := C.CString(wkt)
	defer C.free(unsafe.Pointer(cs))
	var c call
	return newSpatialRef(C.gdSRSFromWKT(&c.errs, cs), &c, "WKT CRS definition")
}

// NewSpatialRefFromEPSG makes the CRS with the given EPSG code.
func NewSpatialRefFromEPSG(code int) (*SpatialRef, error) {
	ensureInit()
	var c call
	return newSpatialRef(C.gdSRSFromEPSG(&c.errs, C.int(code)), &c, "EPSG CRS lookup")
}

// Close releases the CRS if the caller owns it.
func (sr *SpatialRef) Close() {
	if sr == nil || sr.handle == nil || !sr.isOwned {
		return
	}
	C.OSRRelease(sr.handle)
	sr.handle = nil
}

// WKT returns the CRS as WKT1.
func (sr *SpatialRef) WKT() (string, error) {
	var c call
	s := C.gdSRSToWKT(&c.errs, sr.handle)
	if err := c.err(); err != nil || s == nil {
		C.CPLFree(unsafe.Pointer(s))
		return "", orUnknown(err, "WKT export")
	}
	defer C.CPLFree(unsafe.Pointer(s))
	return C.GoString(s), nil
}

// Name returns the CRS's name, e.g. "Indian 1975 / UTM zone 47N". (Not in
// godal.)
func (sr *SpatialRef) Name() string {
	s := C.OSRGetName(sr.handle)
	if s == nil {
		return ""
	}
	return C.GoString(s)
}

// IsSame reports whether both CRSs are the same, axis mapping included.
func (sr *SpatialRef) IsSame(other *SpatialRef) bool {
	return C.OSRIsSame(sr.handle, other.handle) != 0
}

// Geographic reports whether the CRS is geographic (degrees).
func (sr *SpatialRef) Geographic() bool {
	return C.OSRIsGeographic(sr.handle) != 0
}

// AuthorityName returns the authority of the node target ("" for the root),
// e.g. "EPSG", or "" when it has none.
func (sr *SpatialRef) AuthorityName(target string) string {
	var ct *C.char
	if target != "" {
		ct = C.CString(target)
		defer C.free(unsafe.Pointer(ct))
	}
	s := C.OSRGetAuthorityName(sr.handle, ct)
	if s == nil {
		return ""
	}
	return C.GoString(s)
}

// AuthorityCode returns the authority code of the node target ("" for the
// root), e.g. "24047", or "" when it has none.
func (sr *SpatialRef) AuthorityCode(target string) string {
	var ct *C.char
	if target != "" {
		ct = C.CString(target)
		defer C.free(unsafe.Pointer(ct))
	}
	s := C.OSRGetAuthorityCode(sr.handle, ct)
	if s == nil {
		return ""
	}
	return C.GoString(s)
}

// AutoIdentifyEPSG sets the EPSG code of a CRS that matches a common EPSG
// definition but does not carry its code (e.g. from an ESRI .prj).
func (sr *SpatialRef) AutoIdentifyEPSG() error {
	var c call
	ok := C.gdSRSAutoIdentifyEPSG(&c.errs, sr.handle) != 0
	_ = c.err()
	if !ok {
		return errors.New("gdal: no EPSG code matches this CRS")
	}
	return nil
}

// AreaOfUse is where on Earth a CRS is meant to be used, in degrees of
// longitude and latitude; West > East when it crosses the antimeridian.
type AreaOfUse struct {
	West, South, East, North float64
	Name                     string // e.g. "Between 96°E and 102°E, northern hemisphere…"
}

// AreaOfUse returns the CRS's area of use (OSRGetAreaOfUse), and false when
// PROJ knows none (a custom CRS, or one not matched to an authority code).
func (sr *SpatialRef) AreaOfUse() (AreaOfUse, bool) {
	var c call
	var w, s, e, n C.double
	var name *C.char
	ok := C.gdSRSAreaOfUse(&c.errs, sr.handle, &w, &s, &e, &n, &name) != 0
	_ = c.err()
	if name != nil {
		defer C.CPLFree(unsafe.Pointer(name))
	}
	if !ok || (w == -1000 && e == -1000) {
		return AreaOfUse{}, false
	}
	return AreaOfUse{West: float64(w), South: float64(s), East: float64(e), North: float64(n), Name: C.GoString(name)}, true
}

// Transform converts coordinates between two CRSs
// (OGRCoordinateTransformationH).
type Transform struct {
	handle C.OGRCoordinateTransformationH
}

// NewTransform prepares the transformation from src to dst. PROJ chooses,
// per point, the best EPSG coordinate operation whose area of use contains
// it. Unlike godal's, it refuses "ballpark" transformations, which would
// silently apply a null datum shift between different datums: with no known
// datum transformation it fails rather than misplace data by up to hundreds
// of metres.
func NewTransform(src, dst *SpatialRef) (*Transform, error) {
	var c call
	h := C.gdNewTransform(&c.errs, src.handle, dst.handle)
	if err := c.err(); err != nil || h == nil {
		if h != nil {
			C.OCTDestroyCoordinateTransformation(h)
		}
		return nil, orUnknown(err, "coordinate transformation")
	}
	return &Transform{handle: h}, nil
}

// Close releases the transformation.
func (trn *Transform) Close() {
	if trn == nil || trn.handle == nil {
		return
	}
	C.OCTDestroyCoordinateTransformation(trn.handle)
	trn.handle = nil
}

// TransformEx transforms the points (x[i], y[i]) in place and reports, per
// point, whether it could be transformed. z may be nil.
func (trn *Transform) TransformEx(x, y, z []float64, successful []bool) error {
	n := len(x)
	if len(y) != n || (z != nil && len(z) != n) || len(successful) != n {
		return errors.New("gdal: TransformEx needs slices of equal length")
	}
	if n == 0 {
		return nil
	}
	ok := make([]C.int, n)
	var zp *C.double
	if z != nil {
		zp = (*C.double)(unsafe.Pointer(&z[0]))
	}
	var c call
	C.gdTransformEx(&c.errs, trn.handle, C.int(n),
		(*C.double)(unsafe.Pointer(&x[0])), (*C.double)(unsafe.Pointer(&y[0])), zp, &ok[0])
	err := c.err()
	all := true
	for i, v := range ok {
		successful[i] = v != 0
		all = all && successful[i]
	}
	if err == nil && !all {
		err = &Error{Code: CPLE_AppDefined, Msg: "some points could not be transformed"}
	}
	return err
}
