package gdal

/*
#include <stdlib.h>
#include "recode.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"unsafe"
)

// Recoder converts text from a legacy encoding to UTF-8 with iconv, as GDAL's
// CPLRecode does, except that it flushes iconv at the end of each string.
// GDAL 3.6's CPLRecodeIconv does not, so with a stateful decoder (CP1255,
// CP1258, TCVN: iconv holds a character back in case a combining mark
// follows) every string read loses its last character. Open such a source
// without recoding (the Shapefile open option ENCODING="") and recode its
// text with a Recoder. (Not in godal.)
type Recoder struct {
	cd   C.iconv_t
	from string
}

// NewRecoder prepares recoding from encoding from, an iconv name such as
// "CP1258"; it fails for an encoding iconv does not know.
func NewRecoder(from string) (*Recoder, error) {
	cs := C.CString(from)
	defer C.free(unsafe.Pointer(cs))
	cd := C.gdIconvOpen(cs)
	if C.gdIconvIsBad(cd) != 0 {
		return nil, fmt.Errorf("unknown encoding %q", from)
	}
	return &Recoder{cd: cd, from: from}, nil
}

// Stateful reports whether the encoding's decoder holds characters back, so
// that GDAL's own recoding of it loses the last character of each string.
func (r *Recoder) Stateful() bool {
	return C.gdIconvHoldsBack(r.cd) != 0
}

// Recode returns s converted to UTF-8. It fails on bytes that mean nothing in
// the encoding, which shows the encoding is not the one declared.
func (r *Recoder) Recode(s string) (string, error) {
	if r.cd == nil {
		return "", errors.New("gdal: recoder closed")
	}
	if s == "" {
		return "", nil
	}
	cs := C.CString(s)
	defer C.free(unsafe.Pointer(cs))
	var n C.size_t
	var bad C.int
	out := C.gdIconvRecode(r.cd, cs, C.size_t(len(s)), &n, &bad)
	if out == nil {
		return "", errors.New("gdal: out of memory recoding text")
	}
	defer C.free(unsafe.Pointer(out))
	if bad != 0 {
		return "", fmt.Errorf("bytes %q are not valid %s", s, r.from)
	}
	return C.GoStringN(out, C.int(n)), nil
}

// Close releases the converter.
func (r *Recoder) Close() {
	if r.cd != nil {
		C.gdIconvClose(r.cd)
		r.cd = nil
	}
}
