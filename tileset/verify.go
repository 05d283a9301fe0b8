package tileset

import (
	"runtime/debug"

	bolt "go.etcd.io/bbolt"
)

// Verify reads every value of the tiles, features and index buckets and
// calls report with a DamageError for each whose checksum does not match. It
// returns the number of values checked, which is 0 for a file of a format
// version without checksums. A file whose structure cannot be walked (a
// damaged bbolt page, a file truncated under the Reader) ends the walk with
// a DamageError as err.
func (r *Reader) Verify(report func(*DamageError)) (checked int, err error) {
	defer r.catchFault(debug.SetPanicOnFault(true), &err)
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.closed {
		return 0, r.errClosed()
	}
	if err := r.poisoned(); err != nil {
		return 0, err
	}
	if !r.checked {
		return 0, nil
	}
	err = r.view(func(tx *bolt.Tx) (err error) {
		defer r.recoverDamage(&err)
		for _, name := range []string{bucketTiles, bucketFeatures, bucketIndex} {
			b := tx.Bucket([]byte(name))
			if b == nil {
				continue
			}
			c := b.Cursor()
			for k, v := c.First(); k != nil; k, v = c.Next() {
				if v == nil {
					continue // a nested bucket, which the format has none of
				}
				if name == bucketTiles && len(k) != keyLen {
					continue // not a tile: ignored, as FORMAT.md asks of readers
				}
				checked++
				if _, err := openSealed(r.path, name, k, v); err != nil {
					report(err.(*DamageError))
				}
			}
		}
		return nil
	})
	return checked, err
}
