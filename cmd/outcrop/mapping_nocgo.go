//go:build !cgo

package main

import (
	"errors"
	"io"
)

// A binary built with CGO_ENABLED=0 is a server only: mapping init reads survey files through GDAL.
func init() {
	register("mapping", command{"(not in this build: it was built without cgo/GDAL)", func([]string, io.Writer, io.Writer) error {
		return errors.New("this outcrop was built with CGO_ENABLED=0 and cannot read survey files; build it with cgo, libgdal-dev and libgeos-dev (make build) to draft a mapping")
	}})
}
