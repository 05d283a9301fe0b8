package tileset

import (
	"fmt"
	"runtime/debug"
)

// A Reader reads its file through a memory map. When the file is truncated
// or overwritten in place while it is mapped (cp or scp onto a live tileset),
// reading a page past the new end raises SIGBUS, which by default ends the
// whole process and every tileset it serves. Each read entry point therefore
// runs with the goroutine's panic-on-fault mode on:
//
//	defer r.catchFault(debug.SetPanicOnFault(true), &err)
//
// so that the fault becomes a panic, which catchFault recovers into a
// DamageError for that one request.

// catchFault restores the goroutine's fault mode (old, as SetPanicOnFault
// returned it) and turns a memory fault into a DamageError in *err. Other
// panics are passed on.
func (r *Reader) catchFault(old bool, err *error) {
	debug.SetPanicOnFault(old)
	if p := recover(); p != nil {
		if f, ok := p.(interface{ Addr() uintptr }); ok {
			*err = &DamageError{Path: r.path, Cause: fmt.Sprintf("memory fault at %#x while reading the file: it was truncated or overwritten in place", f.Addr())}
			return
		}
		panic(p)
	}
}
