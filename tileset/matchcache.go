package tileset

import (
	"container/list"
	"encoding/binary"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/paulmach/orb"
)

// matchCacheBytes bounds the memory the match cache holds, across every
// Reader of the process: 8 bytes per id, so eight million ids.
const matchCacheBytes = 64 << 20

// matches keeps, for recent bbox and filter queries, the ids they matched.
// An OGC API client pages through a query by repeating it with a growing
// offset, and every page must report numberMatched, which takes testing
// every candidate; with the ids kept, the pages after the first cost only
// their own features. A file never changes under its Reader (a new version
// is a new file and a new Reader), so an entry never goes stale; it is keyed
// by the Reader's sequence number and ages out after a Reader closes.
var matches = &matchCache{budget: matchCacheBytes, byKey: map[string]*list.Element{}}

// readerSeq numbers Readers for the match cache's keys: unlike a pointer, a
// number is never reused by a later Reader.
var readerSeq atomic.Uint64

type matchCache struct {
	mu     sync.Mutex
	budget int       // bytes of ids kept at most
	used   int       // bytes of ids kept
	lru    list.List // of *matchEntry, most recently used first
	byKey  map[string]*list.Element
}

type matchEntry struct {
	key string
	seq uint64   // the Reader's
	ids []uint64 // ascending; never modified once stored
}

// get returns the ids stored for key.
func (c *matchCache) get(key string) ([]uint64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[key]
	if !ok {
		return nil, false
	}
	c.lru.MoveToFront(e)
	return e.Value.(*matchEntry).ids, true
}

// put stores ids for key, which the caller must no longer modify, evicting
// the least recently used entries to stay within the budget. A result larger
// than a quarter of the budget is not kept: it would evict everything else.
func (c *matchCache) put(seq uint64, key string, ids []uint64) {
	size := 8 * len(ids)
	if size > c.budget/4 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.byKey[key]; ok {
		return // a concurrent query stored the same answer
	}
	for c.used+size > c.budget {
		last := c.lru.Back()
		old := c.lru.Remove(last).(*matchEntry)
		delete(c.byKey, old.key)
		c.used -= 8 * len(old.ids)
	}
	c.byKey[key] = c.lru.PushFront(&matchEntry{key: key, seq: seq, ids: ids})
	c.used += size
}

// drop forgets the entries of a Reader that is closing, whose memory would
// otherwise stay held until newer queries pushed them out.
func (c *matchCache) drop(seq uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for e := c.lru.Front(); e != nil; {
		next := e.Next()
		if m := e.Value.(*matchEntry); m.seq == seq {
			c.lru.Remove(e)
			delete(c.byKey, m.key)
			c.used -= 8 * len(m.ids)
		}
		e = next
	}
}

// matchKey identifies a query of one Reader: its box, to the bit, and its
// filters, which compileFilters has sorted, datetime included.
func matchKey(seq uint64, box *orb.Bound, fs []filter) string {
	b := binary.AppendUvarint(make([]byte, 0, 64), seq)
	if box == nil {
		b = append(b, 0)
	} else {
		b = append(b, 1)
		for _, v := range [4]float64{box.Min[0], box.Min[1], box.Max[0], box.Max[1]} {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
		}
	}
	for _, f := range fs {
		b = binary.AppendUvarint(b, uint64(len(f.key)))
		b = append(b, f.key...)
		if f.contains {
			// Free text: a marker no text length can be, then the text.
			b = append(b, 0xfe)
		}
		if f.span != nil {
			// A datetime span, to the nanosecond: a marker no text length
			// can be, then its ends (the zero time for an open one).
			b = append(b, 0xff)
			for _, t := range [2]time.Time{f.span.Start, f.span.End} {
				b = binary.AppendVarint(b, t.Unix())
				b = binary.AppendUvarint(b, uint64(t.Nanosecond()))
			}
			continue
		}
		b = binary.AppendUvarint(b, uint64(len(f.text)))
		b = append(b, f.text...)
	}
	return string(b)
}
