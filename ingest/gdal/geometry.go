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

// GeometryType is an OGR geometry type (OGRwkbGeometryType), including its
// Z/M variants.
type GeometryType uint32

// The 2D geometry types; Flatten maps any variant to one of these.
const (
	GTUnknown            GeometryType = C.wkbUnknown
	GTPoint              GeometryType = C.wkbPoint
	GTLineString         GeometryType = C.wkbLineString
	GTPolygon            GeometryType = C.wkbPolygon
	GTMultiPoint         GeometryType = C.wkbMultiPoint
	GTMultiLineString    GeometryType = C.wkbMultiLineString
	GTMultiPolygon       GeometryType = C.wkbMultiPolygon
	GTGeometryCollection GeometryType = C.wkbGeometryCollection
	GTCircularString     GeometryType = C.wkbCircularString
	GTCompoundCurve      GeometryType = C.wkbCompoundCurve
	GTCurvePolygon       GeometryType = C.wkbCurvePolygon
	GTMultiCurve         GeometryType = C.wkbMultiCurve
	GTMultiSurface       GeometryType = C.wkbMultiSurface
	GTPolyhedralSurface  GeometryType = C.wkbPolyhedralSurface
	GTTIN                GeometryType = C.wkbTIN
	GTTriangle           GeometryType = C.wkbTriangle
	GTNone               GeometryType = C.wkbNone
)

// Flatten returns the 2D type of t (OGR_GT_Flatten).
func (t GeometryType) Flatten() GeometryType {
	return GeometryType(C.OGR_GT_Flatten(C.OGRwkbGeometryType(t)))
}

// Name returns the type's WKT name, e.g. "3D Multi Polygon".
func (t GeometryType) Name() string {
	return C.GoString(C.OGRGeometryTypeToName(C.OGRwkbGeometryType(t)))
}

// Geometry is an OGR geometry (OGRGeometryH). A geometry returned by
// Feature.Geometry belongs to its feature; one returned by a method here
// belongs to the caller, who must Close it.
type Geometry struct {
	handle  C.OGRGeometryH
	isOwned bool
}

// Close destroys the geometry if the caller owns it; it does nothing for a
// feature's own geometry.
func (g *Geometry) Close() {
	if g.handle == nil || !g.isOwned {
		return
	}
	C.OGR_G_DestroyGeometry(g.handle)
	g.handle = nil
}

// Type returns the geometry's type, with its Z/M flags.
func (g *Geometry) Type() GeometryType {
	return GeometryType(C.OGR_G_GetGeometryType(g.handle))
}

// Name returns the geometry type's WKT name, e.g. "POLYGON".
func (g *Geometry) Name() string {
	return C.GoString(C.OGR_G_GetGeometryName(g.handle))
}

// Empty reports whether the geometry has no points.
func (g *Geometry) Empty() bool {
	return C.OGR_G_IsEmpty(g.handle) != 0
}

// Valid reports whether the geometry is valid in the OGC sense (GEOS).
func (g *Geometry) Valid() bool {
	var c call
	ok := C.gdGeometryIsValid(&c.errs, g.handle) != 0
	_ = c.err() // GEOS's reason for invalidity is not a failure of the call
	return ok
}

// MakeValid returns a valid version of the geometry (OGR_G_MakeValidEx, GEOS),
// owned by the caller. opts are GDAL's, e.g. "METHOD=STRUCTURE". (Not in
// godal.)
func (g *Geometry) MakeValid(opts ...string) (*Geometry, error) {
	copts := newCStrings(opts)
	defer copts.free()
	var c call
	h := C.gdGeometryMakeValid(&c.errs, g.handle, copts.ptr())
	if err := c.err(); err != nil || h == nil {
		if h != nil {
			C.OGR_G_DestroyGeometry(h)
		}
		return nil, orUnknown(err, "make valid")
	}
	return &Geometry{handle: h, isOwned: true}, nil
}

// SetPrecision returns the geometry with its coordinates snap-rounded to a
// grid of cell size grid, owned by the caller. The result is valid even where
// rounding alone would make rings cross or touch, and parts that collapse are
// removed (GEOSGeom_setPrecision). (Not in godal; GDAL 3.9 has it as
// OGR_G_SetPrecision, which this package calls GEOS for to run on older ones.)
func (g *Geometry) SetPrecision(grid float64) (*Geometry, error) {
	var c call
	h := C.gdGeometrySetPrecision(&c.errs, g.handle, C.double(grid))
	if err := c.err(); err != nil || h == nil {
		if h != nil {
			C.OGR_G_DestroyGeometry(h)
		}
		return nil, orUnknown(err, "precision reduction")
	}
	return &Geometry{handle: h, isOwned: true}, nil
}

// HasCurve reports whether the geometry contains circular arcs. (Not in
// godal.)
func (g *Geometry) HasCurve() bool {
	return C.OGR_G_HasCurveGeometry(g.handle, 1) != 0
}

// LinearGeometry returns the geometry with its arcs approximated by line
// segments at GDAL's default step, owned by the caller. (Not in godal.)
func (g *Geometry) LinearGeometry() (*Geometry, error) {
	var c call
	h := C.gdGeometryLinear(&c.errs, g.handle)
	if err := c.err(); err != nil || h == nil {
		if h != nil {
			C.OGR_G_DestroyGeometry(h)
		}
		return nil, orUnknown(err, "curve linearisation")
	}
	return &Geometry{handle: h, isOwned: true}, nil
}

// ForceToMultiPolygon returns the geometry as a multipolygon, owned by the
// caller; it converts polyhedral surfaces and TINs. g is left untouched.
func (g *Geometry) ForceToMultiPolygon() *Geometry {
	// OGR_G_ForceToMultiPolygon consumes its argument, so give it a copy.
	var c call
	h := C.gdGeometryForceToMultiPolygon(&c.errs, C.OGR_G_Clone(g.handle))
	_ = c.err()
	return &Geometry{handle: h, isOwned: true}
}

// FlattenTo2D drops the geometry's Z and M values in place. (Not in godal.)
func (g *Geometry) FlattenTo2D() {
	C.OGR_G_FlattenTo2D(g.handle)
}

// Transform reprojects the geometry in place.
func (g *Geometry) Transform(trn *Transform) error {
	var c call
	ok := C.gdGeometryTransform(&c.errs, g.handle, trn.handle) != 0
	if err := c.err(); err != nil || !ok {
		return orUnknown(err, "coordinate transformation")
	}
	return nil
}

// WKB returns the geometry as ISO well-known binary, little-endian.
func (g *Geometry) WKB() ([]byte, error) {
	n := int(C.OGR_G_WkbSize(g.handle))
	if n <= 0 {
		return nil, errors.New("gdal: geometry has no WKB form")
	}
	buf := make([]byte, n)
	var c call
	ok := C.gdGeometryWKB(&c.errs, g.handle, (*C.uchar)(unsafe.Pointer(&buf[0]))) != 0
	if err := c.err(); err != nil || !ok {
		return nil, orUnknown(err, "WKB export")
	}
	return buf, nil
}

// NewGeometryFromWKB returns the geometry that b encodes as well-known
// binary, owned by the caller.
func NewGeometryFromWKB(b []byte) (*Geometry, error) {
	if len(b) == 0 {
		return nil, errors.New("gdal: empty WKB")
	}
	var c call
	h := C.gdGeometryFromWKB(&c.errs, (*C.uchar)(unsafe.Pointer(&b[0])), C.size_t(len(b)))
	if err := c.err(); err != nil || h == nil {
		if h != nil {
			C.OGR_G_DestroyGeometry(h)
		}
		return nil, orUnknown(err, "WKB import")
	}
	return &Geometry{handle: h, isOwned: true}, nil
}

// WKT returns the geometry as ISO well-known text, for messages and tests.
func (g *Geometry) WKT() (string, error) {
	var s *C.char
	if C.OGR_G_ExportToIsoWkt(g.handle, &s) != C.OGRERR_NONE {
		C.CPLFree(unsafe.Pointer(s))
		return "", errors.New("gdal: WKT export failed")
	}
	defer C.CPLFree(unsafe.Pointer(s))
	return C.GoString(s), nil
}

func orUnknown(err error, what string) error {
	if err != nil {
		return err
	}
	return &Error{Code: CPLE_AppDefined, Msg: what + " failed"}
}
