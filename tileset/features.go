package tileset

import (
	"bytes"
	"fmt"
	"math"
	"runtime/debug"
	"slices"
	"strconv"

	"github.com/paulmach/orb"
	bolt "go.etcd.io/bbolt"

	"github.com/outcrop/outcrop/rtree"
)

// RawFeature is one stored feature, ready to serve.
type RawFeature struct {
	ID uint64
	// JSON is a complete GeoJSON Feature object, WGS 84 lon/lat at full
	// precision: {"type":"Feature","id":ID,"geometry":{...},"properties":{...}},
	// with a "bbox" member before "geometry" for any geometry but a single
	// point. It lies in the file's memory map and is valid only during the
	// callback.
	JSON []byte
}

// FeatureQuery selects features; results always come in ascending ID order.
type FeatureQuery struct {
	// BBox nil selects everything; otherwise the features whose geometry
	// (not merely its envelope) shares a point with the box, edges included.
	BBox *orb.Bound
	// Filters are property equalities, all of which must hold. The value is
	// compared with the property's value as text: strings exactly, numbers by
	// numeric equality with the parsed filter value, booleans as "true" or
	// "false". A missing or null property equals nothing.
	Filters map[string]string
	// Datetime, when set, selects the features whose time (the metadata's
	// Time field, read as ParseTime reads it) overlaps it, and those that
	// have no time; it selects every feature of a tileset without a Time.
	Datetime *Interval
	// Text, when set, selects the features with a string property that
	// holds it, whatever the case (OGC API's free-text q).
	Text string
	// Envelopes, with BBox and no Filters, Datetime or Text, selects the
	// features whose envelope meets the box, as the spatial index answers,
	// without testing their geometry exactly: for a caller that clips what
	// it draws, as a map does, for whom a feature beside the box costs less
	// than decoding every geometry that crosses the box's edge to test it.
	Envelopes bool
	Offset    int
	// Limit is the most features to return; 0 returns none and only counts.
	Limit int
}

// featureView is the features side of a read transaction, looked up when a
// transaction first serves a feature so that tile lookups never pay for it.
type featureView struct {
	cur       *bolt.Cursor // nil: the file has no features
	rtree     []byte       // the spatial index, in the memory map
	positions []byte       // the position table, in the memory map
	ids       []uint64     // reused by bbox queries for their candidates
	// indexSealed is set while rtree and positions still end in their
	// checksums: openIndex checks and strips them.
	indexSealed bool
}

// maxKeptIDs bounds the candidate buffer a transaction keeps between
// queries, so that one query for a whole continent does not pin megabytes.
const maxKeptIDs = 1 << 16

// features returns the features side of rt.
func (r *Reader) features(rt *readTx) (*featureView, error) {
	if rt.feat == nil {
		v := &featureView{}
		if b := rt.tx.Bucket([]byte(bucketFeatures)); b != nil {
			v.cur = b.Cursor()
			if ix := rt.tx.Bucket([]byte(bucketIndex)); ix != nil {
				v.rtree = ix.Get([]byte(keyRTree))
				v.positions = ix.Get([]byte(keyPositions))
			}
		}
		if r.checked {
			v.indexSealed = true
		}
		rt.feat = v
	}
	return rt.feat, nil
}

// openIndex checks the index values of v against their checksums and strips
// the trailers. The check runs once per Reader, not once per transaction,
// since the file does not change under a Reader and the R-tree of a large
// tileset is megabytes; lookups of single features never need it.
func (r *Reader) openIndex(v *featureView) error {
	if !v.indexSealed {
		return nil
	}
	r.indexOnce.Do(func() {
		for _, kv := range [][2][]byte{{[]byte(keyRTree), v.rtree}, {[]byte(keyPositions), v.positions}} {
			if kv[1] != nil && r.indexErr == nil {
				_, r.indexErr = openSealed(r.path, bucketIndex, kv[0], kv[1])
			}
		}
	})
	if r.indexErr != nil {
		return r.indexErr
	}
	if v.rtree != nil {
		v.rtree = v.rtree[:len(v.rtree)-checksumLen]
	}
	if v.positions != nil {
		v.positions = v.positions[:len(v.positions)-checksumLen]
	}
	v.indexSealed = false
	return nil
}

// acquire takes a read transaction for one query; release returns it.
func (r *Reader) acquire() (*readTx, error) {
	r.mu.RLock()
	if r.closed {
		r.mu.RUnlock()
		return nil, r.errClosed()
	}
	if err := r.poisoned(); err != nil {
		r.mu.RUnlock()
		return nil, err
	}
	select {
	case rt := <-r.idle:
		return rt, nil
	default:
	}
	rt, err := r.begin()
	if err != nil {
		r.mu.RUnlock()
		return nil, err
	}
	return rt, nil
}

func (r *Reader) release(rt *readTx) {
	r.putIdle(rt)
	r.mu.RUnlock()
}

// Feature calls fn with the feature of the given id. It reports false,
// without calling fn, when there is none, including in a tileset written
// without features.
func (r *Reader) Feature(id uint64, fn func(RawFeature) error) (found bool, err error) {
	defer r.catchFault(debug.SetPanicOnFault(true), &err)
	rt, err := r.acquire()
	if err != nil {
		return false, err
	}
	// Deferred so that a panic in fn cannot leak the transaction.
	defer r.release(rt)
	val, err := r.lookupFeature(rt, id)
	if val == nil || err != nil {
		return false, err
	}
	return true, fn(RawFeature{ID: id, JSON: val})
}

func (r *Reader) lookupFeature(rt *readTx, id uint64) (val []byte, err error) {
	defer r.recoverDamage(&err)
	v, err := r.features(rt)
	if v == nil || v.cur == nil {
		return nil, err
	}
	k := rt.key[:featureKeyLen]
	*(*[featureKeyLen]byte)(k) = featureKey(id)
	got, val := v.cur.Seek(k)
	if !bytes.Equal(got, k) {
		return nil, nil
	}
	return r.open(bucketFeatures, k, val)
}

// Features calls fn, in ascending id order, with the features q selects from
// q.Offset on, at most q.Limit of them, and returns how many it selects in
// all (OGC API's numberMatched). An error from fn stops the query and is
// returned. A tileset written without features matches nothing.
//
// Without a box or filters the count is known and the page starts with one
// seek, so a page costs the same at any offset. With a box, the spatial
// index gives the features whose envelope meets it and each of those is
// tested exactly (see intersects); a feature lying wholly inside the box is
// accepted from its envelope, so only geometries crossing the box's edge are
// decoded; in a tileset of points only, the index's answer is exact and only
// the page's features are read. With filters, the properties of every
// candidate are read. The ids a box or filter query matched are kept in a
// small process-wide cache when the query has more than one page, so that
// the following pages cost only their own features.
func (r *Reader) Features(q FeatureQuery, fn func(RawFeature) error) (matched int64, err error) {
	if q.Offset < 0 || q.Limit < 0 {
		return 0, fmt.Errorf("tileset %s: feature query offset %d and limit %d must not be negative", r.path, q.Offset, q.Limit)
	}
	defer r.catchFault(debug.SetPanicOnFault(true), &err)
	rt, err := r.acquire()
	if err != nil {
		return 0, err
	}
	defer r.release(rt)
	s := &featureScan{
		r:       r,
		fn:      fn,
		filters: withText(compileFilters(q.Filters, r.timeField(), q.Datetime), q.Text),
		offset:  int64(q.Offset),
		end:     int64(q.Offset) + min(int64(q.Limit), math.MaxInt64-int64(q.Offset)),
	}
	defer s.recoverDamage(&err)
	v, err := r.features(rt)
	if v == nil || v.cur == nil {
		return 0, err
	}
	s.v = v
	if v.rtree == nil || v.positions == nil {
		return 0, fmt.Errorf("tileset %s has features but no spatial index; rebuild it with outcrop ingest", r.path)
	}
	if err := r.openIndex(v); err != nil {
		return 0, err
	}
	pos, err := readPositions(v.positions)
	if err != nil {
		return 0, s.indexKeyErr(keyPositions, err)
	}
	box := q.BBox
	if box != nil {
		h, err := rtree.ReadHeader(v.rtree)
		if err != nil {
			return 0, s.indexErr(err)
		}
		// A box holding every coordinate holds every feature with a
		// geometry; if no feature lacks one, it selects them all.
		if uint64(h.Count) == pos.count && h.Count > 0 &&
			box.Min[0] <= h.MinX && box.Min[1] <= h.MinY && box.Max[0] >= h.MaxX && box.Max[1] >= h.MaxY {
			box = nil
		}
	}
	if box == nil && len(s.filters) == 0 {
		return s.matched, s.page(pos)
	}
	if box != nil && q.Envelopes && len(s.filters) == 0 {
		// The index's answer, as for points; never kept among the
		// matches of exact queries.
		return s.matched, s.search(*box, false)
	}
	key := matchKey(r.seq, box, s.filters)
	if ids, ok := matches.get(key); ok {
		return s.matched, s.fromIDs(ids)
	}
	s.keep = true
	if box == nil {
		err = s.scan()
	} else {
		err = s.search(*box, pos.flags&positionsPoints == 0)
	}
	// A query that has a next page is likely to be asked for it.
	if err == nil && s.matched > int64(q.Limit) {
		matches.put(r.seq, key, s.kept)
	}
	return s.matched, err
}

// emit calls the query's fn, unless the Reader is being closed: a page
// streamed to a slow client must not keep Close, and the file, waiting.
func (s *featureScan) emit(f RawFeature) error {
	if s.r.closing.Load() {
		return s.r.errClosed()
	}
	return s.fn(f)
}

// timeField is the property the datetime of a query tests, or "".
func (r *Reader) timeField() string {
	if r.meta == nil || r.meta.Time == nil {
		return ""
	}
	return r.meta.Time.Field
}

// featureScan is the state of one Features call.
type featureScan struct {
	r           *Reader
	v           *featureView
	fn          func(RawFeature) error
	filters     []filter
	offset, end int64 // the window of matches passed to fn: [offset, end)
	matched     int64
	inFn        bool // fn is running: a panic is the caller's, not damage
	// keep asks match to record the ids matched, in kept, for the cache.
	keep bool
	kept []uint64
}

// recoverDamage is Reader.recoverDamage for a query that calls back into the
// caller between its reads: a panic inside fn is passed on untouched.
func (s *featureScan) recoverDamage(err *error) {
	if p := recover(); p != nil {
		if s.inFn {
			panic(p)
		}
		*err = s.r.damage(p)
	}
}

func (s *featureScan) indexErr(err error) error {
	return s.indexKeyErr(keyRTree, err)
}

func (s *featureScan) indexKeyErr(key string, err error) error {
	return &DamageError{Path: s.r.path, Bucket: bucketIndex, Key: []byte(key), Cause: err.Error()}
}

func (s *featureScan) featureErr(id uint64, err error) error {
	k := featureKey(id)
	return &DamageError{Path: s.r.path, Bucket: bucketFeatures, Key: k[:], Cause: err.Error()}
}

// value checks a feature read from the cursor and strips its checksum.
func (s *featureScan) value(key, val []byte) ([]byte, error) {
	return s.r.open(bucketFeatures, key, val)
}

// match counts one selected feature and passes it to fn when it falls in
// the page's window.
func (s *featureScan) match(id uint64, val []byte) error {
	if s.keep {
		s.kept = append(s.kept, id)
	}
	n := s.matched
	s.matched++
	if n < s.offset || n >= s.end {
		return nil
	}
	s.inFn = true
	err := s.emit(RawFeature{ID: id, JSON: val})
	s.inFn = false
	return err
}

// page serves a window of all features: the position table gives the count
// and the id to seek to, so the work is the page's, whatever the offset.
func (s *featureScan) page(pos positions) error {
	s.matched = int64(min(pos.count, math.MaxInt64))
	if s.offset >= s.matched || s.end == s.offset {
		return nil
	}
	want := min(s.end, s.matched) - s.offset
	place := uint64(s.offset) / pos.stride
	first := pos.at(place)
	k := featureKey(first)
	key, val := s.v.cur.Seek(k[:])
	if !bytes.Equal(key, k[:]) {
		return s.indexKeyErr(keyPositions, fmt.Errorf("the position table names feature %d, which is not stored", first))
	}
	for skip := uint64(s.offset) - place*pos.stride; skip > 0 && key != nil; skip-- {
		key, val = s.v.cur.Next()
	}
	for ; want > 0; want-- {
		id, ok := parseFeatureKey(key)
		if !ok || val == nil {
			return s.indexKeyErr(keyPositions, fmt.Errorf("the position table counts %d features, more than are stored", pos.count))
		}
		body, err := s.value(key, val)
		if err != nil {
			return err
		}
		s.inFn = true
		err = s.emit(RawFeature{ID: id, JSON: body})
		s.inFn = false
		if err != nil {
			return err
		}
		key, val = s.v.cur.Next()
	}
	return nil
}

// scan reads every feature's properties: filters without a box.
func (s *featureScan) scan() error {
	for key, val := s.v.cur.First(); key != nil; key, val = s.v.cur.Next() {
		id, ok := parseFeatureKey(key)
		if !ok || val == nil {
			return &DamageError{Path: s.r.path, Bucket: bucketFeatures, Key: key, Cause: "the key is not a feature id"}
		}
		body, err := s.value(key, val)
		if err != nil {
			return err
		}
		props, err := member(body, "properties")
		if err != nil {
			return s.featureErr(id, err)
		}
		ok, err = matchProperties(props, s.filters)
		if err != nil {
			return s.featureErr(id, err)
		}
		if ok {
			if err := s.match(id, body); err != nil {
				return err
			}
		}
	}
	return nil
}

// fromIDs serves the page of a query whose matches are known: ids, sorted.
func (s *featureScan) fromIDs(ids []uint64) error {
	s.matched = int64(len(ids))
	if s.offset >= s.matched {
		return nil
	}
	for _, id := range ids[s.offset:min(s.end, s.matched)] {
		k := featureKey(id)
		key, val := s.v.cur.Seek(k[:])
		if !bytes.Equal(key, k[:]) || val == nil {
			return s.indexErr(fmt.Errorf("it names feature %d, which is not stored", id))
		}
		body, err := s.value(key, val)
		if err != nil {
			return err
		}
		s.inFn = true
		err = s.emit(RawFeature{ID: id, JSON: body})
		s.inFn = false
		if err != nil {
			return err
		}
	}
	return nil
}

// search serves a box: the index's candidates, in id order, tested exactly.
// With exact false and without filters (a tileset of points only, whose
// envelopes are their geometry, or a query for envelopes), the candidates
// are the answer, and only the page's features are read.
func (s *featureScan) search(box orb.Bound, exact bool) error {
	ids := s.v.ids[:0]
	err := rtree.Search(s.v.rtree, box.Min[0], box.Min[1], box.Max[0], box.Max[1], func(id uint64) bool {
		ids = append(ids, id)
		return true
	})
	if cap(ids) <= maxKeptIDs {
		s.v.ids = ids
	} else {
		s.v.ids = nil
	}
	if err != nil {
		return s.indexErr(err)
	}
	slices.Sort(ids)
	if !exact && len(s.filters) == 0 {
		if s.keep {
			s.kept = slices.Clone(ids) // ids is the transaction's buffer
		}
		return s.fromIDs(ids)
	}
	for _, id := range ids {
		k := featureKey(id)
		key, val := s.v.cur.Seek(k[:])
		if !bytes.Equal(key, k[:]) || val == nil {
			return s.indexErr(fmt.Errorf("it names feature %d, which is not stored", id))
		}
		body, err := s.value(key, val)
		if err != nil {
			return err
		}
		ok, err := s.selects(body, box)
		if err != nil {
			return s.featureErr(id, err)
		}
		if ok {
			if err := s.match(id, body); err != nil {
				return err
			}
		}
	}
	return nil
}

// selects decides whether a candidate of the index, whose envelope meets
// box, passes the filters and truly intersects box.
func (s *featureScan) selects(val []byte, box orb.Bound) (bool, error) {
	var geom, bbox, props []byte
	it := memberIter{obj: val}
	for {
		k, v, ok, err := it.next()
		if err != nil {
			return false, err
		}
		if !ok {
			break
		}
		switch string(k) {
		case "geometry":
			geom = v
		case "bbox":
			bbox = v
		case "properties":
			props = v
		}
	}
	// The envelope of a point is the point: the index's answer is exact.
	// So it is for any geometry whose envelope lies wholly in the box.
	decided := false
	if typ, err := member(geom, "type"); err == nil && string(typ) == `"Point"` {
		decided = true
	} else if env, ok := parseBBox(bbox); ok && box.Contains(env.Min) && box.Contains(env.Max) {
		decided = true
	}
	if ok, err := matchProperties(props, s.filters); !ok || err != nil {
		return false, err
	}
	if decided {
		return true, nil
	}
	g, err := decodeGeometry(geom)
	if err != nil {
		return false, err
	}
	return intersects(g, box), nil
}

// parseBBox reads a 2D GeoJSON bbox, [west, south, east, north].
func parseBBox(raw []byte) (orb.Bound, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) < 2 || raw[0] != '[' || raw[len(raw)-1] != ']' {
		return orb.Bound{}, false
	}
	var v [4]float64
	rest := raw[1 : len(raw)-1]
	for i := range v {
		num, tail, found := bytes.Cut(rest, []byte(","))
		if found != (i < 3) {
			return orb.Bound{}, false
		}
		x, err := strconv.ParseFloat(string(bytes.TrimSpace(num)), 64)
		if err != nil {
			return orb.Bound{}, false
		}
		v[i], rest = x, tail
	}
	return orb.Bound{Min: orb.Point{v[0], v[1]}, Max: orb.Point{v[2], v[3]}}, true
}
