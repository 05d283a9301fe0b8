package gdal

/*
#include <stdlib.h>
#include "binding.h"
*/
import "C"

import (
	"unsafe"
)

// Layer is a vector layer of a Dataset (OGRLayerH). It is valid while its
// dataset is open.
type Layer struct {
	handle C.OGRLayerH
	ds     *Dataset
}

// Name returns the layer's name.
func (layer Layer) Name() string {
	return C.GoString(C.OGR_L_GetName(layer.handle))
}

// Type returns the geometry type the layer declares.
func (layer Layer) Type() GeometryType {
	return GeometryType(C.OGR_L_GetGeomType(layer.handle))
}

// FeatureCount returns the number of features, counting them if the driver
// cannot tell cheaply.
func (layer Layer) FeatureCount() (int, error) {
	c := call{handler: layer.ds.handler}
	n := C.gdLayerFeatureCount(&c.errs, layer.handle)
	if err := c.err(); err != nil {
		return 0, err
	}
	return int(n), nil
}

// TestCapability reports whether the layer supports capability, one of
// GDAL's OLC names such as "FastFeatureCount". (Not in godal.)
func (layer Layer) TestCapability(capability string) bool {
	ccap := C.CString(capability)
	defer C.free(unsafe.Pointer(ccap))
	return C.OGR_L_TestCapability(layer.handle, ccap) != 0
}

// ResetReading makes NextFeature start again from the first feature.
func (layer Layer) ResetReading() {
	C.OGR_L_ResetReading(layer.handle)
}

// NextFeature returns the layer's next feature, or nil after the last one.
// Unlike godal's, it also returns the error GDAL raised while reading, so that
// a truncated or corrupt file is not mistaken for its end. The caller must
// Close the feature.
func (layer Layer) NextFeature() (*Feature, error) {
	c := call{handler: layer.ds.handler}
	h := C.gdLayerNextFeature(&c.errs, layer.handle)
	if err := c.err(); err != nil {
		if h != nil {
			C.OGR_F_Destroy(h)
		}
		return nil, err
	}
	if h == nil {
		return nil, nil
	}
	return &Feature{handle: h}, nil
}

// SpatialRef returns a copy of the layer's CRS with traditional GIS axis
// order (x = longitude or easting), or nil when the layer declares none.
// Unlike godal's, the copy is owned by the caller, who must Close it; its axis
// mapping can then be set without touching the layer's.
func (layer Layer) SpatialRef() *SpatialRef {
	h := C.OGR_L_GetSpatialRef(layer.handle)
	if h == nil {
		return nil
	}
	var c call
	clone := C.gdSRSClone(&c.errs, h)
	if err := c.err(); err != nil || clone == nil {
		if clone != nil {
			C.OSRRelease(clone)
		}
		return nil
	}
	return &SpatialRef{handle: clone, isOwned: true}
}

// Metadata returns the layer's metadata item key, in the domain given by a
// Domain option, or "" when it is not set.
func (layer Layer) Metadata(key string, opts ...MetadataOption) string {
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
	v := C.GDALGetMetadataItem(C.GDALMajorObjectH(unsafe.Pointer(layer.handle)), ckey, cdomain)
	if v == nil {
		return ""
	}
	return C.GoString(v)
}

// MetadataOption configures Metadata.
type MetadataOption interface {
	setMetadataOpt(*metadataOpts)
}

type metadataOpts struct{ domain string }

type domainOpt string

// Domain selects a metadata domain, e.g. "SHAPEFILE".
func Domain(mdDomain string) interface{ MetadataOption } { return domainOpt(mdDomain) }

func (d domainOpt) setMetadataOpt(o *metadataOpts) { o.domain = string(d) }

// FieldDefinition describes one attribute field of a layer.
type FieldDefinition struct {
	Name    string
	Type    FieldType
	SubType FieldSubType
}

// Layout is a layer's schema: its attribute fields in order and its geometry
// column. (godal reads it through OGR_L_GetLayerDefn piecemeal; this binding
// returns it in one piece.)
type Layout struct {
	Fields []FieldDefinition
	// GeometryColumn is the geometry field's name; drivers name it from the
	// source ("geom", a CSV column) or leave it "" (Shapefile, CSV x/y).
	GeometryColumn string
	GeometryType   GeometryType
}

// Layout returns the layer's schema.
func (layer Layer) Layout() Layout {
	defn := C.OGR_L_GetLayerDefn(layer.handle)
	n := int(C.OGR_FD_GetFieldCount(defn))
	l := Layout{
		Fields:       make([]FieldDefinition, n),
		GeometryType: layer.Type(),
	}
	for i := 0; i < n; i++ {
		fd := C.OGR_FD_GetFieldDefn(defn, C.int(i))
		l.Fields[i] = FieldDefinition{
			Name:    C.GoString(C.OGR_Fld_GetNameRef(fd)),
			Type:    FieldType(C.OGR_Fld_GetType(fd)),
			SubType: FieldSubType(C.OGR_Fld_GetSubType(fd)),
		}
	}
	if C.OGR_FD_GetGeomFieldCount(defn) > 0 {
		gfd := C.OGR_FD_GetGeomFieldDefn(defn, 0)
		l.GeometryColumn = C.GoString(C.OGR_GFld_GetNameRef(gfd))
	}
	return l
}
