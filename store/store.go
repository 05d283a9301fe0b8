// Package store serves a directory of tileset files and follows it live: a file
// added or replaced is picked up without a restart, and a reader that holds a
// version keeps it until released, so no request fails or mixes two versions.
package store

import (
	"errors"
	"time"

	"github.com/outcrop/outcrop/tileset"
)

// ErrNotFound is returned by Acquire for an id with no tileset in the store.
var ErrNotFound = errors.New("store: no such tileset")

// Catalog is the narrow, read-only view of a store that the server uses.
type Catalog interface {
	// IDs lists the tilesets, sorted.
	IDs() []string
	// Acquire returns the current version of tileset id; release must be
	// called when the caller is done with it.
	Acquire(id string) (ts *tileset.Reader, release func(), err error)
}

// Options tunes a Store.
type Options struct {
	// PollInterval is how often the directory is rescanned (default 1s).
	PollInterval time.Duration
}

// Store is a Catalog over a directory of tileset files.
type Store struct {
	// TODO(store helper)
}

// Open scans dir and starts following it.
func Open(dir string, opts Options) (*Store, error) { panic("TODO") }
