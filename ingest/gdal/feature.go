package gdal

/*
#include <stdlib.h>
#include "binding.h"
*/
import "C"

import (
	"math"
	"strconv"
	"time"
	"unsafe"
)

// Feature is one feature read from a layer (OGRFeatureH), owned by the caller
// until Close.
type Feature struct {
	handle C.OGRFeatureH
}

// Close destroys the feature and its geometry.
func (f *Feature) Close() {
	if f.handle == nil {
		return
	}
	C.OGR_F_Destroy(f.handle)
	f.handle = nil
}

// FID returns the feature's id in its source, whose numbering is the driver's
// (0-based for Shapefile, 1-based for GeoPackage).
func (f *Feature) FID() int64 {
	return int64(C.OGR_F_GetFID(f.handle))
}

// Geometry returns the feature's geometry, owned by the feature and valid
// until the feature is closed, or nil when the feature has none. (godal
// returns a Geometry wrapping NULL instead of nil.)
func (f *Feature) Geometry() *Geometry {
	h := C.OGR_F_GetGeometryRef(f.handle)
	if h == nil {
		return nil
	}
	return &Geometry{handle: h}
}

// FieldType is an OGR attribute type (OGRFieldType).
type FieldType int

// The OGR field types.
const (
	FTInt        FieldType = C.OFTInteger
	FTIntList    FieldType = C.OFTIntegerList
	FTReal       FieldType = C.OFTReal
	FTRealList   FieldType = C.OFTRealList
	FTString     FieldType = C.OFTString
	FTStringList FieldType = C.OFTStringList
	FTBinary     FieldType = C.OFTBinary
	FTDate       FieldType = C.OFTDate
	FTTime       FieldType = C.OFTTime
	FTDateTime   FieldType = C.OFTDateTime
	FTInt64      FieldType = C.OFTInteger64
	FTInt64List  FieldType = C.OFTInteger64List
	FTUnknown    FieldType = -1 // deprecated wide-string types
)

// FieldSubType refines a FieldType (OGRFieldSubType). (Not in godal.)
type FieldSubType int

// The OGR field subtypes.
const (
	FSTNone    FieldSubType = C.OFSTNone
	FSTBoolean FieldSubType = C.OFSTBoolean
	FSTInt16   FieldSubType = C.OFSTInt16
	FSTFloat32 FieldSubType = C.OFSTFloat32
	FSTJSON    FieldSubType = C.OFSTJSON
	FSTUUID    FieldSubType = C.OFSTUUID
)

// Field is one attribute value of a feature.
type Field struct {
	index  int
	isSet  bool
	isNull bool
	ftype  FieldType
	val    any
	tzFlag int
}

// IsSet reports whether the field was ever given a value, null included.
func (fld Field) IsSet() bool { return fld.isSet }

// IsNull reports whether the field holds an explicit null. A field that is
// not set, or null, has no value. (Not in godal, which reads nulls as zero.)
func (fld Field) IsNull() bool { return fld.isNull }

// Type returns the field's type.
func (fld Field) Type() FieldType { return fld.ftype }

// Int returns the value of an integer field, or a conversion of others.
func (fld Field) Int() int64 {
	switch v := fld.val.(type) {
	case int64:
		return v
	case float64:
		return int64(v)
	case string:
		i, _ := strconv.ParseInt(v, 10, 64)
		return i
	}
	return 0
}

// Float returns the value of a real field, or a conversion of others.
func (fld Field) Float() float64 {
	switch v := fld.val.(type) {
	case int64:
		return float64(v)
	case float64:
		return v
	case string:
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return math.NaN()
		}
		return f
	}
	return 0
}

// String returns the value of a string field, or a formatting of others.
func (fld Field) String() string {
	switch v := fld.val.(type) {
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case string:
		return v
	case *time.Time:
		if v != nil {
			return v.Format(time.RFC3339Nano)
		}
	}
	return ""
}

// Bytes returns the value of a binary field.
func (fld Field) Bytes() []byte {
	b, _ := fld.val.([]byte)
	return b
}

// DateTime returns the value of a date, time or datetime field. Its location
// follows TZFlag: UTC for an unknown time zone (check TZFlag before showing
// an offset), time.Local for "local time", else a fixed zone.
func (fld Field) DateTime() *time.Time {
	t, _ := fld.val.(*time.Time)
	return t
}

// TZFlag is OGR's time zone flag of a date/time value: 0 unknown, 1 local
// time, 100 UTC, and 100±n for an offset of n quarter hours. (Not in godal.)
func (fld Field) TZFlag() int { return fld.tzFlag }

// IntList returns the value of an integer list field.
func (fld Field) IntList() []int64 {
	l, _ := fld.val.([]int64)
	return l
}

// FloatList returns the value of a real list field.
func (fld Field) FloatList() []float64 {
	l, _ := fld.val.([]float64)
	return l
}

// StringList returns the value of a string list field.
func (fld Field) StringList() []string {
	l, _ := fld.val.([]string)
	return l
}

// Fields returns the feature's attributes by field name.
func (f *Feature) Fields() map[string]Field {
	n := int(C.OGR_F_GetFieldCount(f.handle))
	fields := make(map[string]Field, n)
	for i := 0; i < n; i++ {
		fd := C.OGR_F_GetFieldDefnRef(f.handle, C.int(i))
		fields[C.GoString(C.OGR_Fld_GetNameRef(fd))] = f.field(i, FieldType(C.OGR_Fld_GetType(fd)))
	}
	return fields
}

// Field returns the feature's i-th attribute (0-based, in the layer's field
// order). Unlike Fields, it tells apart fields that share a name.
func (f *Feature) Field(i int) Field {
	fd := C.OGR_F_GetFieldDefnRef(f.handle, C.int(i))
	if fd == nil {
		return Field{index: i, ftype: FTUnknown}
	}
	return f.field(i, FieldType(C.OGR_Fld_GetType(fd)))
}

func (f *Feature) field(i int, ft FieldType) Field {
	h, ci := f.handle, C.int(i)
	fld := Field{
		index:  i,
		ftype:  ft,
		isSet:  C.OGR_F_IsFieldSet(h, ci) != 0,
		isNull: C.OGR_F_IsFieldNull(h, ci) != 0,
	}
	if !fld.isSet || fld.isNull {
		return fld
	}
	switch ft {
	case FTInt, FTInt64:
		fld.val = int64(C.OGR_F_GetFieldAsInteger64(h, ci))
	case FTReal:
		fld.val = float64(C.OGR_F_GetFieldAsDouble(h, ci))
	case FTString:
		fld.val = C.GoString(C.OGR_F_GetFieldAsString(h, ci))
	case FTDate, FTTime, FTDateTime:
		fld.val, fld.tzFlag = f.dateTime(ci)
	case FTIntList:
		var n C.int
		p := C.OGR_F_GetFieldAsIntegerList(h, ci, &n)
		l := make([]int64, int(n))
		for j, v := range unsafe.Slice(p, int(n)) {
			l[j] = int64(v)
		}
		fld.val = l
	case FTInt64List:
		var n C.int
		p := C.OGR_F_GetFieldAsInteger64List(h, ci, &n)
		l := make([]int64, int(n))
		for j, v := range unsafe.Slice(p, int(n)) {
			l[j] = int64(v)
		}
		fld.val = l
	case FTRealList:
		var n C.int
		p := C.OGR_F_GetFieldAsDoubleList(h, ci, &n)
		l := make([]float64, int(n))
		for j, v := range unsafe.Slice(p, int(n)) {
			l[j] = float64(v)
		}
		fld.val = l
	case FTStringList:
		fld.val = goStrings(C.OGR_F_GetFieldAsStringList(h, ci))
	case FTBinary:
		var n C.int
		p := C.OGR_F_GetFieldAsBinary(h, ci, &n)
		fld.val = C.GoBytes(unsafe.Pointer(p), n)
	default:
		fld.ftype = FTUnknown
	}
	return fld
}

func (f *Feature) dateTime(i C.int) (*time.Time, int) {
	var year, month, day, hour, minute, tz C.int
	var second C.float
	if C.OGR_F_GetFieldAsDateTimeEx(f.handle, i, &year, &month, &day, &hour, &minute, &second, &tz) == 0 {
		return nil, 0
	}
	loc := time.UTC
	switch flag := int(tz); {
	case flag == 1:
		loc = time.Local
	case flag >= 2 && flag != 100:
		off := (flag - 100) * 15 * 60
		loc = time.FixedZone(utcOffsetName(off), off)
	}
	whole := math.Floor(float64(second))
	nanos := int(math.Round((float64(second)-whole)*1e3) * 1e6) // OGR keeps milliseconds
	t := time.Date(int(year), time.Month(month), int(day), int(hour), int(minute), int(whole), nanos, loc)
	return &t, int(tz)
}

func utcOffsetName(off int) string {
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	return "UTC" + sign + twoDigits(off/3600) + ":" + twoDigits(off%3600/60)
}

func twoDigits(n int) string {
	return string([]byte{byte('0' + n/10), byte('0' + n%10)})
}
