// Package gdal is a thin cgo binding to the parts of GDAL's C API that ingest
// needs: open a vector source, read its layers, features, fields and
// geometries, and reproject, repair or round geometries (rounding calls GEOS,
// which GDAL links, directly). Its names and shape follow
// github.com/airbusgeo/godal, so that it can be swapped for godal once that
// module is reachable; where it departs from godal the doc comment says so.
//
// GDAL never prints to stderr through this package: every call captures the
// CPLError messages GDAL raises and returns failures as an *Error carrying
// GDAL's own text; warnings go to the ErrLogger given to Open, if any.
//
// Values of this package are not safe for concurrent use, as GDAL's are not.
package gdal

/*
#cgo pkg-config: gdal geos
#include <stdlib.h>
#include "binding.h"
*/
import "C"

import (
	"strings"
	"sync"
	"unsafe"
)

var initOnce sync.Once

// ensureInit registers GDAL's drivers and silences its default error
// handler. It runs on first use rather than at program start, so that a
// binary that never reads a file (outcrop serve) does not pay for it.
func ensureInit() {
	initOnce.Do(func() { C.gdInit() })
}

// SetConfigOption sets a GDAL configuration option (CPLSetConfigOption) for
// the whole process; an empty value unsets it.
func SetConfigOption(key, value string) {
	ensureInit()
	ck := C.CString(key)
	defer C.free(unsafe.Pointer(ck))
	if value == "" {
		C.CPLSetConfigOption(ck, nil)
		return
	}
	cv := C.CString(value)
	defer C.free(unsafe.Pointer(cv))
	C.CPLSetConfigOption(ck, cv)
}

// ErrorCategory is the severity of a GDAL message (CPLErr).
type ErrorCategory int

// The severities GDAL raises; CE_Debug messages are never reported.
const (
	CE_None    ErrorCategory = C.CE_None
	CE_Debug   ErrorCategory = C.CE_Debug
	CE_Warning ErrorCategory = C.CE_Warning
	CE_Failure ErrorCategory = C.CE_Failure
	CE_Fatal   ErrorCategory = C.CE_Fatal
)

// ErrorHandler receives the messages GDAL raises during a call. Returning a
// non-nil error makes the call fail with it; returning nil ignores the message
// (the handler may log it). Without a handler, failures become errors and
// warnings are dropped. (godal's default also fails on warnings; drivers warn
// about ordinary things such as a text value in a numeric CSV column, so this
// package does not.)
type ErrorHandler func(ec ErrorCategory, code int, msg string) error

// Error is a failure GDAL reported: its CPLError number and message(s).
type Error struct {
	Code int    // CPLErrorNum of the first failure, e.g. 4 (CPLE_OpenFailed)
	Msg  string // GDAL's messages, joined into one line, without final periods
}

// Error returns GDAL's message.
func (e *Error) Error() string { return e.Msg }

// The CPLError numbers callers may want to tell apart.
const (
	CPLE_AppDefined    = int(C.CPLE_AppDefined)
	CPLE_OpenFailed    = int(C.CPLE_OpenFailed)
	CPLE_FileIO        = int(C.CPLE_FileIO)
	CPLE_NotSupported  = int(C.CPLE_NotSupported)
	CPLE_IllegalArg    = int(C.CPLE_IllegalArg)
	CPLE_NoWriteAccess = int(C.CPLE_NoWriteAccess)
)

// call collects the messages of one wrapped GDAL call.
type call struct {
	errs    C.gdErrs
	handler ErrorHandler
}

// err turns the collected messages into the call's error, handing each to the
// handler if there is one, and frees them.
func (c *call) err() error {
	defer C.gdErrsFree(&c.errs)
	n := int(c.errs.n)
	if n == 0 {
		return nil
	}
	msgs := unsafe.Slice(c.errs.msgs, n)
	var fail *Error
	var handled error
	seen := make(map[string]bool, n)
	for _, m := range msgs {
		cat := ErrorCategory(m.level)
		code := int(m.code)
		text := strings.TrimSuffix(oneLine(C.GoString(m.msg)), ".")
		if c.handler != nil {
			if err := c.handler(cat, code, text); err != nil && handled == nil {
				handled = err
			}
			continue
		}
		if cat < CE_Failure || seen[text] {
			continue
		}
		seen[text] = true
		if fail == nil {
			fail = &Error{Code: code, Msg: text}
		} else {
			fail.Msg += "; " + text
		}
	}
	if handled != nil {
		return handled
	}
	if fail != nil {
		return fail
	}
	return nil
}

// oneLine folds GDAL's occasional multi-line messages so errors stay one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// cStrings is a NULL-terminated C array of C strings (GDAL's char**).
type cStrings []*C.char

func newCStrings(ss []string) cStrings {
	if len(ss) == 0 {
		return nil
	}
	cs := make(cStrings, len(ss)+1)
	for i, s := range ss {
		cs[i] = C.CString(s)
	}
	return cs
}

// ptr returns the array for C; it must not outlive cs.
func (cs cStrings) ptr() **C.char {
	if len(cs) == 0 {
		return nil
	}
	return &cs[0]
}

func (cs cStrings) free() {
	for _, s := range cs {
		C.free(unsafe.Pointer(s))
	}
}

// goStrings copies a NULL-terminated C string list.
func goStrings(list **C.char) []string {
	if list == nil {
		return nil
	}
	n := int(C.CSLCount(list))
	out := make([]string, n)
	for i, s := range unsafe.Slice(list, n) {
		out[i] = C.GoString(s)
	}
	return out
}
