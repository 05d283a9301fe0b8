package tileset

import (
	"fmt"
	"runtime/debug"

	bolt "go.etcd.io/bbolt"
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

// faulted marks the Reader after a memory fault: the file changed under its
// memory map, so nothing more is read from it; every later read fails at
// once with err.
func (r *Reader) faulted(err *DamageError) {
	r.poison.CompareAndSwap(nil, err)
}

// poisoned returns the error of an earlier fault, or nil.
func (r *Reader) poisoned() error {
	if e := r.poison.Load(); e != nil {
		return e
	}
	return nil
}

// view runs fn in a read transaction begun with begin's checks, so that a
// file changed under the Reader cannot leave bbolt's locks held.
func (r *Reader) view(fn func(*bolt.Tx) error) error {
	tx, err := r.beginTx()
	if err != nil {
		return err
	}
	defer r.rollback(tx)
	return fn(tx)
}

// damage turns a panic recovered from bbolt into a DamageError; a memory
// fault also poisons the Reader.
func (r *Reader) damage(p any) *DamageError {
	if f, ok := p.(interface{ Addr() uintptr }); ok {
		e := &DamageError{Path: r.path, Cause: fmt.Sprintf("memory fault at %#x while reading the file: it was truncated or overwritten in place", f.Addr())}
		r.faulted(e)
		return e
	}
	return &DamageError{Path: r.path, Cause: fmt.Sprint(p)}
}

// catchFault restores the goroutine's fault mode (old, as SetPanicOnFault
// returned it) and turns a memory fault into a DamageError in *err. Other
// panics are passed on.
func (r *Reader) catchFault(old bool, err *error) {
	debug.SetPanicOnFault(old)
	if p := recover(); p != nil {
		if _, ok := p.(interface{ Addr() uintptr }); ok {
			*err = r.damage(p)
			return
		}
		panic(p)
	}
}

// rollback ends a read transaction, unless beginning one panicked: bbolt
// may then hold the lock that ending one takes, and the transaction is
// abandoned rather than waited on for ever.
func (r *Reader) rollback(tx *bolt.Tx) {
	if !r.wedged.Load() {
		tx.Rollback()
	}
}
