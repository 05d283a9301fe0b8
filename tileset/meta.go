package tileset

import (
	"bytes"
	"fmt"
	"runtime/debug"

	bolt "go.etcd.io/bbolt"
)

// MetaHarmonisation is the "meta" bucket key of a harmonised tileset's
// harmonisation document: the report of `outcrop ingest --mapping`, as JSON
// (see FORMAT.md). Tilesets ingested without a mapping have no such key.
const MetaHarmonisation = "harmonisation"

// maxMetaKey bounds the length of a meta key; bbolt allows longer ones, but
// keys are names, not data.
const maxMetaKey = 64

// PutMeta stores value under key in the "meta" bucket of the new version,
// for documents that are too large, or too rarely read, to belong in the
// metadata that every reader parses on open. The keys Commit writes itself
// ("metadata", "format_version") are refused.
func (w *Writer) PutMeta(key string, value []byte) error {
	if w.done {
		return w.closedErr()
	}
	if err := checkMetaKey(key); err != nil {
		return fmt.Errorf("tileset %s: %v", w.id, err)
	}
	err := w.db.Update(func(tx *bolt.Tx) error {
		// bbolt keeps the slice until the transaction commits; a copy frees
		// the caller to reuse it.
		return tx.Bucket([]byte(bucketMeta)).Put([]byte(key), bytes.Clone(value))
	})
	if err != nil {
		return fmt.Errorf("tileset %s: cannot write meta %q to %s: %v", w.id, key, w.tmp, err)
	}
	return nil
}

// Meta returns a copy of the value stored under key in the "meta" bucket,
// or nil when the file has none.
func (r *Reader) Meta(key string) (value []byte, err error) {
	if err := checkMetaKey(key); err != nil {
		return nil, fmt.Errorf("tileset %s: %v", r.path, err)
	}
	defer r.catchFault(debug.SetPanicOnFault(true), &err)
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.closed {
		return nil, r.errClosed()
	}
	if err := r.poisoned(); err != nil {
		return nil, err
	}
	err = r.view(func(tx *bolt.Tx) (err error) {
		defer r.recoverDamage(&err)
		if v := tx.Bucket([]byte(bucketMeta)).Get([]byte(key)); v != nil {
			value = bytes.Clone(v) // bbolt's slice lives only as long as tx
		}
		return nil
	})
	return value, err
}

func checkMetaKey(key string) error {
	switch {
	case key == "" || len(key) > maxMetaKey:
		return fmt.Errorf("meta key %q must be 1 to %d bytes long", key, maxMetaKey)
	case key == keyMetadata || key == keyFormatVersion:
		return fmt.Errorf("meta key %q is written by Commit; choose another key", key)
	}
	return nil
}
