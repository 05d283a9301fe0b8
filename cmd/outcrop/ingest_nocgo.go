//go:build !cgo

package main

import (
	"errors"
	"io"
)

// ingestBuilt reports whether this binary can ingest: not when built with
// CGO_ENABLED=0, a server only, since ingest needs GDAL.
const ingestBuilt = false

func init() {
	register("ingest", command{"(not in this build: it was built without cgo/GDAL)", func([]string, io.Writer, io.Writer) error {
		return errors.New("this outcrop was built with CGO_ENABLED=0 and cannot read survey files; build it with cgo and libgdal-dev (make build) to ingest")
	}})
}
