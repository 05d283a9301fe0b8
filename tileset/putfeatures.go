package tileset

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	bolt "go.etcd.io/bbolt"

	"github.com/outcrop/outcrop/rtree"
)

// Batching limits for PutFeatures, as for tiles: one transaction per this
// many features or bytes of JSON, whichever comes first.
const (
	batchFeatures     = 16384
	batchFeatureBytes = 32 << 20
)

// featureState is what a Writer keeps about the features stored so far to
// build their index at Commit: 40 bytes per feature with a geometry (its box
// and id, as the R-tree takes them), 8 per feature without one.
type featureState struct {
	items   []rtree.Item
	noGeom  []uint64 // ids of features with a null or empty geometry
	other   bool     // some feature is not a single point
	count   uint64
	lastID  uint64
	any     bool
	buf     []byte // JSON of the batch being written, reused
	entries []featureEntry
}

type featureEntry struct {
	id         uint64
	start, end int // the feature's JSON in featureState.buf
}

// PutFeatures stores features in full, each as a GeoJSON Feature keyed by
// its id, and remembers their boxes for the spatial index that Commit builds.
// Every feature needs an id, a whole number (ingest numbers them from 1 in
// source order) that no other feature of the tileset has; its geometry is in
// WGS 84 longitude/latitude and may be nil. Features may come in any number
// of batches; ids in ascending order across batches give the smallest file.
// The Writer keeps nothing of a batch but the boxes, so the caller may reuse
// it.
func (w *Writer) PutFeatures(batch []*geojson.Feature) error {
	if w.done {
		return w.closedErr()
	}
	fs := &w.features
	for i := 0; i < len(batch); {
		fs.buf, fs.entries = fs.buf[:0], fs.entries[:0]
		for ; i < len(batch) && len(fs.entries) < batchFeatures && len(fs.buf) < batchFeatureBytes; i++ {
			f := batch[i]
			if f == nil {
				return fmt.Errorf("tileset %s: feature %d of the batch is nil; pass features only", w.id, i)
			}
			id, ok := featureID(f)
			if !ok {
				return fmt.Errorf("tileset %s: feature %d of the batch has id %v (%T); give every feature a whole-number id from 0", w.id, i, f.ID, f.ID)
			}
			start := len(fs.buf)
			buf, box, hasBox, err := appendFeature(fs.buf, id, f)
			if err != nil {
				return fmt.Errorf("tileset %s: feature %d: %v", w.id, id, err)
			}
			key := featureKey(id)
			fs.buf = appendChecksum(buf, key[:], buf[start:])
			fs.entries = append(fs.entries, featureEntry{id, start, len(fs.buf)})
			if _, point := f.Geometry.(orb.Point); !point {
				fs.other = true
			}
			if hasBox {
				fs.items = append(fs.items, rtree.Item{MinX: box.Min[0], MinY: box.Min[1], MaxX: box.Max[0], MaxY: box.Max[1], ID: id})
			} else {
				fs.noGeom = append(fs.noGeom, id)
			}
		}
		if err := w.writeFeatures(); err != nil {
			return err
		}
	}
	// The JSON buffer grows to a batch (up to batchFeatureBytes); kept for
	// the next call it would sit idle through the tile cutting that
	// follows the features, so it is let go, at the cost of growing it
	// again if more features come.
	fs.buf, fs.entries = nil, nil
	return nil
}

// writeFeatures stores the encoded batch in one transaction.
func (w *Writer) writeFeatures() error {
	fs := &w.features
	if len(fs.entries) == 0 {
		return nil
	}
	// Sorted keys fill B+tree pages left to right, and completely when the
	// batch also follows every id written before, as a source read in
	// order gives.
	slices.SortFunc(fs.entries, func(a, b featureEntry) int { return cmp.Compare(a.id, b.id) })
	for i := 1; i < len(fs.entries); i++ {
		if fs.entries[i].id == fs.entries[i-1].id {
			return w.duplicateErr(fs.entries[i].id)
		}
	}
	appendOnly := !fs.any || fs.entries[0].id > fs.lastID
	err := w.db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists([]byte(bucketFeatures))
		if err != nil {
			return err
		}
		if appendOnly {
			b.FillPercent = 1.0
		}
		for _, e := range fs.entries {
			k := featureKey(e.id)
			if !appendOnly && b.Get(k[:]) != nil {
				return w.duplicateErr(e.id)
			}
			if err := b.Put(k[:], fs.buf[e.start:e.end]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("tileset %s: cannot write features to %s: %v", w.id, w.tmp, err)
	}
	if !appendOnly {
		w.unordered = true // Commit compacts the half-filled pages away
	}
	fs.count += uint64(len(fs.entries))
	fs.lastID = max(fs.lastID, fs.entries[len(fs.entries)-1].id)
	fs.any = true
	return nil
}

func (w *Writer) duplicateErr(id uint64) error {
	return fmt.Errorf("feature id %d is given twice; give every feature of tileset %s its own id", id, w.id)
}

// finishFeatures writes the spatial index and the position table of the
// stored features, when there are any, and releases the boxes.
func (w *Writer) finishFeatures() error {
	fs := &w.features
	if !fs.any {
		return nil
	}
	index, err := rtree.Build(fs.items, 0)
	if err != nil {
		return fmt.Errorf("tileset %s: cannot build the spatial index: %v", w.id, err)
	}
	ids := make([]uint64, 0, fs.count)
	for _, it := range fs.items {
		ids = append(ids, it.ID)
	}
	ids = append(ids, fs.noGeom...)
	slices.Sort(ids) // already sorted when the source was read in order
	fs.items, fs.noGeom, fs.buf, fs.entries = nil, nil, nil, nil
	var flags uint16
	if !fs.other {
		flags |= positionsPoints
	}
	table := encodePositions(ids, positionStride, flags)
	err = w.db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists([]byte(bucketIndex))
		if err != nil {
			return err
		}
		// A large value lies in consecutive pages, so a reader's memory
		// map presents the whole tree as one slice to search in place.
		if err := b.Put([]byte(keyRTree), sealed([]byte(keyRTree), index)); err != nil {
			return err
		}
		return b.Put([]byte(keyPositions), sealed([]byte(keyPositions), table))
	})
	if err != nil {
		return fmt.Errorf("tileset %s: cannot write the spatial index to %s: %v", w.id, w.tmp, err)
	}
	return nil
}
