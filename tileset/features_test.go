package tileset

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	bolt "go.etcd.io/bbolt"
)

func TestFeaturesRoundTrip(t *testing.T) {
	feats := randomFeatures(rand.New(rand.NewPCG(1, 2)), 500)
	r := writeFeatures(t, t.TempDir(), "mixed", feats, 64)
	if got := r.Metadata().FeatureCount; got != 500 {
		t.Errorf("FeatureCount = %d, want 500", got)
	}
	for _, f := range feats {
		id := f.ID.(uint64)
		found, err := r.Feature(id, func(raw RawFeature) error {
			back, err := geojson.UnmarshalFeature(raw.JSON)
			if err != nil {
				return err
			}
			// Full precision: the very same float64s come back.
			if raw.ID != id || back.ID != float64(id) || !orb.Equal(back.Geometry, f.Geometry) {
				t.Errorf("feature %d: id %d/%v, geometry %v, want %v", id, raw.ID, back.ID, back.Geometry, f.Geometry)
			}
			if back.Properties["kind"] != f.Properties["kind"] || back.Properties["n"] != float64(f.Properties["n"].(int64)) ||
				back.Properties["even"] != f.Properties["even"] {
				t.Errorf("feature %d: properties %v, want %v", id, back.Properties, f.Properties)
			}
			return nil
		})
		if err != nil || !found {
			t.Fatalf("Feature(%d) = %v, %v", id, found, err)
		}
	}
	for _, id := range []uint64{0, 2, 1000, 1001, math.MaxUint64} { // even ids and beyond the last are gaps
		found, err := r.Feature(id, func(RawFeature) error { t.Errorf("callback for absent feature %d", id); return nil })
		if found || err != nil {
			t.Errorf("Feature(%d) = %v, %v; want not found", id, found, err)
		}
	}
	// Tiles are still served beside the features.
	if got := tileText(t, r, 0, 0, 0); got != "mixed 0/0/0" {
		t.Errorf("tile 0/0/0 = %q", got)
	}
}

// TestFeaturesBBoxPointsOnly checks the path for a tileset of single points,
// whose index answers are exact without reading features, against a direct
// test, points on the query's edges included; and that one feature of
// another kind turns that path off.
func TestFeaturesBBoxPointsOnly(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	var points []*geojson.Feature
	for i := range 2000 {
		// On a 0.25° grid, so that query edges fall on points.
		f := geojson.NewFeature(orb.Point{100 + float64(rng.IntN(41))/4, float64(rng.IntN(41)) / 4})
		f.ID = uint64(3 * (i + 1))
		points = append(points, f)
	}
	dir := t.TempDir()
	r := writeFeatures(t, dir, "points", points, 700)
	if v, _ := readPositions(r.mustIndexValue(t, keyPositions)); v.flags&positionsPoints == 0 {
		t.Fatal("a tileset of points is not flagged as one")
	}
	mixed := append(append([]*geojson.Feature(nil), points...), geojson.NewFeature(orb.MultiPoint{{100, 0}}))
	mixed[len(mixed)-1].ID = uint64(1)
	if v, _ := readPositions(writeFeatures(t, dir, "mixed", mixed, 700).mustIndexValue(t, keyPositions)); v.flags&positionsPoints != 0 {
		t.Fatal("a tileset with a multipoint is flagged as points only")
	}
	for _, b := range append(randomBoxes(rng, 200), bound(102.25, 3, 104, 3.25), bound(105, 5, 105, 5)) {
		var want []uint64
		for _, f := range points {
			if b.Contains(f.Geometry.(orb.Point)) {
				want = append(want, f.ID.(uint64))
			}
		}
		for _, limit := range []int{1 << 20, 3} {
			var got []uint64
			for offset := 0; offset == 0 || offset < len(want); offset += limit {
				matched, page := queryIDs(t, r, FeatureQuery{BBox: &b, Offset: offset, Limit: limit})
				if matched != int64(len(want)) {
					t.Fatalf("bbox %v: matched %d, want %d", b, matched, len(want))
				}
				got = append(got, page...)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("bbox %v, limit %d: ids %v\nwant %v", b, limit, got, want)
			}
		}
	}
}

// mustIndexValue returns a copy of a value of the index bucket.
func (r *Reader) mustIndexValue(t *testing.T, key string) []byte {
	t.Helper()
	var v []byte
	err := r.db.View(func(tx *bolt.Tx) error {
		v = slices.Clone(tx.Bucket([]byte(bucketIndex)).Get([]byte(key)))
		if v != nil && r.checked {
			v = v[:len(v)-checksumLen]
		}
		return nil
	})
	if err != nil || v == nil {
		t.Fatalf("index/%s: %v", key, err)
	}
	return v
}

// TestFeaturesBBoxIsExact compares every bbox query with a brute-force
// spatial test of every feature, through the index and the exact test.
func TestFeaturesBBoxIsExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	feats := randomFeatures(rng, 1500)
	r := writeFeatures(t, t.TempDir(), "mixed", feats, 500)
	envelopeOnly, nonEmpty := 0, 0
	for _, b := range randomBoxes(rng, 400) {
		var want []uint64
		for _, f := range feats {
			if bruteIntersects(f.Geometry, b) {
				want = append(want, f.ID.(uint64))
			} else if f.Geometry.Bound().Intersects(b) {
				envelopeOnly++
			}
		}
		matched, got := queryIDs(t, r, FeatureQuery{BBox: &b, Limit: 10000})
		if !slices.Equal(got, want) || matched != int64(len(want)) {
			t.Fatalf("bbox %v: matched %d, ids %v\nwant %d: %v", b, matched, got, len(want), want)
		}
		if len(want) > 0 {
			nonEmpty++
		}
	}
	// The comparison is worth something only if boxes met features and
	// envelopes that the exact test had to reject.
	if nonEmpty < 200 || envelopeOnly < 100 {
		t.Errorf("weak test: %d non-empty queries, %d envelope-only overlaps", nonEmpty, envelopeOnly)
	}
}

// TestFeaturesBBoxExcludesEnvelopeOnlyOverlaps pins the cases a plain
// envelope test gets wrong.
func TestFeaturesBBoxExcludesEnvelopeOnlyOverlaps(t *testing.T) {
	shapes := []orb.Geometry{
		orb.LineString{{0, 0}, {10, 10}},                   // 1: a diagonal
		orb.Polygon{{{20, 0}, {30, 0}, {20, 10}, {20, 0}}}, // 3: a triangle
		orb.Polygon{{{40, 0}, {50, 0}, {50, 10}, {40, 10}, {40, 0}}, {{42, 2}, {42, 8}, {48, 8}, {48, 2}, {42, 2}}}, // 5: a frame
		orb.Point{60, 5}, // 7
	}
	var feats []*geojson.Feature
	for i, g := range shapes {
		f := geojson.NewFeature(g)
		f.ID = uint64(2*i + 1)
		feats = append(feats, f)
	}
	r := writeFeatures(t, t.TempDir(), "shapes", feats, 10)
	for _, c := range []struct {
		name string
		box  orb.Bound
		want []uint64
	}{
		{"beside the diagonal, in its envelope", bound(8, 0, 10, 2), nil},
		{"on the diagonal", bound(4, 4.5, 5, 5.5), []uint64{1}},
		{"in the triangle's empty corner", bound(28, 8, 30, 10), nil},
		{"touching the triangle's hypotenuse at a point", bound(25, 5, 26, 6), []uint64{3}},
		{"inside the triangle, no vertex in the box", bound(21, 1, 22, 2), []uint64{3}},
		{"in the frame's hole", bound(43, 3, 47, 7), nil},
		{"across the hole's edge", bound(41, 3, 43, 4), []uint64{5}},
		{"around the hole", bound(41, 1, 49, 9), []uint64{5}},
		{"the point on the box's edge", bound(55, 5, 60, 6), []uint64{7}},
		{"everything", bound(-1, -1, 61, 11), []uint64{1, 3, 5, 7}},
		{"nothing", bound(70, 70, 71, 71), nil},
		{"inverted", bound(10, 10, 0, 0), nil},
	} {
		matched, got := queryIDs(t, r, FeatureQuery{BBox: &c.box, Limit: 10})
		if !slices.Equal(got, c.want) || matched != int64(len(c.want)) {
			t.Errorf("%s: matched %d, ids %v; want %v", c.name, matched, got, c.want)
		}
	}
}

// TestFeaturesBBoxEnvelopes checks that a query for envelopes answers
// the features whose envelope meets the box, those whose geometry lies
// only beside it included, and that an exact query asked after it still
// excludes them.
func TestFeaturesBBoxEnvelopes(t *testing.T) {
	shapes := []orb.Geometry{
		orb.LineString{{0, 0}, {10, 10}}, // 1: a diagonal
		orb.LineString{{2, 0}, {12, 10}}, // 3: another, 2 to the right
		orb.Point{60, 5},                 // 5
	}
	var feats []*geojson.Feature
	for i, g := range shapes {
		f := geojson.NewFeature(g)
		f.ID = uint64(2*i + 1)
		feats = append(feats, f)
	}
	r := writeFeatures(t, t.TempDir(), "shapes", feats, 10)
	for _, c := range []struct {
		name        string
		box         orb.Bound
		limit       int
		want, exact []uint64
	}{
		{"beside both diagonals, in their envelopes", bound(8, 0, 10, 2), 10, []uint64{1, 3}, nil},
		{"a page of those", bound(8, 0, 10, 2), 1, []uint64{1}, nil},
		{"on the first diagonal", bound(4, 4.5, 5, 5.5), 10, []uint64{1, 3}, []uint64{1}},
		{"the point", bound(59, 4, 61, 6), 10, []uint64{5}, []uint64{5}},
		{"nothing", bound(70, 70, 71, 71), 10, nil, nil},
	} {
		matched, got := queryIDs(t, r, FeatureQuery{BBox: &c.box, Limit: c.limit, Envelopes: true})
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: envelopes: matched %d, ids %v; want %v", c.name, matched, got, c.want)
		}
		if _, got := queryIDs(t, r, FeatureQuery{BBox: &c.box, Limit: c.limit}); !slices.Equal(got, c.exact) {
			t.Errorf("%s: exact after envelopes: ids %v; want %v", c.name, got, c.exact)
		}
	}
}

func TestFeaturesFilters(t *testing.T) {
	var feats []*geojson.Feature
	for i := range 300 {
		f := geojson.NewFeature(orb.Point{float64(i % 30), float64(i / 30)})
		f.ID = uint64(i + 1)
		f.Properties = geojson.Properties{
			"commodity": []string{"Cu", "Au", "Cu-Au", "Mo"}[i%4],
			"grade":     float64(i%5) / 2, // 0, 0.5, 1, 1.5, 2
			"rank":      int64(i % 7),
			"active":    i%2 == 0,
		}
		if i%10 == 0 {
			delete(f.Properties, "commodity")
		}
		feats = append(feats, f)
	}
	r := writeFeatures(t, t.TempDir(), "deposits", feats, 100)
	// brute applies the filters' rules directly to the source features.
	brute := func(box *orb.Bound, keep func(i int) bool) []uint64 {
		var ids []uint64
		for i, f := range feats {
			if keep(i) && (box == nil || box.Contains(f.Geometry.(orb.Point))) {
				ids = append(ids, uint64(i+1))
			}
		}
		return ids
	}
	west := bound(0, 0, 14.5, 9)
	for _, c := range []struct {
		name    string
		filters map[string]string
		box     *orb.Bound
		want    []uint64
	}{
		{"string", map[string]string{"commodity": "Cu"}, nil, brute(nil, func(i int) bool { return i%4 == 0 && i%10 != 0 })},
		{"string, not a prefix", map[string]string{"commodity": "Cu-"}, nil, nil},
		{"real", map[string]string{"grade": "1.5"}, nil, brute(nil, func(i int) bool { return i%5 == 3 })},
		{"real written as an integer", map[string]string{"grade": "1"}, nil, brute(nil, func(i int) bool { return i%5 == 2 })},
		{"integer", map[string]string{"rank": "3"}, nil, brute(nil, func(i int) bool { return i%7 == 3 })},
		{"boolean", map[string]string{"active": "false"}, nil, brute(nil, func(i int) bool { return i%2 == 1 })},
		{"all together", map[string]string{"commodity": "Au", "active": "false", "rank": "5"}, nil,
			brute(nil, func(i int) bool { return i%4 == 1 && i%2 == 1 && i%7 == 5 && i%10 != 0 })},
		{"with a bbox", map[string]string{"commodity": "Mo"}, &west, brute(&west, func(i int) bool { return i%4 == 3 && i%10 != 0 })},
		{"unknown property", map[string]string{"colour": "red"}, nil, nil},
	} {
		matched, got := queryIDs(t, r, FeatureQuery{BBox: c.box, Filters: c.filters, Limit: 1000})
		if !slices.Equal(got, c.want) || matched != int64(len(c.want)) {
			t.Errorf("%s: matched %d, ids %v\nwant %d: %v", c.name, matched, got, len(c.want), c.want)
		}
		if c.name == "string" && len(c.want) < 50 {
			t.Errorf("weak test: %d features match", len(c.want))
		}
	}
}

// TestFeaturesPaging pages through every kind of query at several limits:
// the pages hold every selected feature exactly once, in ascending order.
func TestFeaturesPaging(t *testing.T) {
	// More than a few strides of the position table, with gaps in the ids.
	feats := randomFeatures(rand.New(rand.NewPCG(5, 6)), 3*positionStride+17)
	r := writeFeatures(t, t.TempDir(), "mixed", feats, 100)
	box := bound(101, 1, 108, 9)
	for _, c := range []struct {
		q      FeatureQuery
		cached bool // later pages may come from the match cache
	}{
		{FeatureQuery{}, true},
		{FeatureQuery{BBox: &box}, true},
		{FeatureQuery{BBox: &box}, false},
		{FeatureQuery{Filters: map[string]string{"kind": "line"}}, true},
		{FeatureQuery{Filters: map[string]string{"kind": "line"}}, false},
		{FeatureQuery{BBox: &box, Filters: map[string]string{"even": "true"}}, true},
		{FeatureQuery{BBox: &box, Filters: map[string]string{"even": "true"}}, false},
	} {
		q := c.q
		q.Limit = 1 << 20
		all, want := queryIDs(t, r, q)
		if q.BBox == nil && q.Filters == nil && (all != int64(len(feats)) || len(want) != len(feats)) {
			t.Fatalf("everything: matched %d, %d returned; want %d", all, len(want), len(feats))
		}
		if len(want) < 50 {
			t.Fatalf("query %+v: only %d features, a weak test", q, len(want))
		}
		for _, limit := range []int{1, 7, positionStride - 1, positionStride, positionStride + 1, 1000} {
			var got []uint64
			for offset := 0; ; offset += limit {
				q.Offset, q.Limit = offset, limit
				if !c.cached {
					resetMatchCache()
				}
				matched, page := queryIDs(t, r, q)
				if matched != all {
					t.Fatalf("%+v: matched %d, want %d", q, matched, all)
				}
				if want := min(limit, max(0, int(all)-offset)); len(page) != want {
					t.Fatalf("%+v: %d returned, want %d", q, len(page), want)
				}
				got = append(got, page...)
				if offset+limit >= int(matched) {
					break
				}
			}
			if !slices.Equal(got, want) {
				t.Fatalf("query %+v, limit %d: pages hold %d ids, want each of %d once", q, limit, len(got), len(want))
			}
		}
		q.Offset, q.Limit = int(all), 10
		if matched, page := queryIDs(t, r, q); matched != all || len(page) != 0 {
			t.Errorf("past the end: matched %d, %d returned", matched, len(page))
		}
		q.Offset, q.Limit = 0, 0
		if matched, page := queryIDs(t, r, q); matched != all || len(page) != 0 {
			t.Errorf("limit 0: matched %d, %d returned; want the count only", matched, len(page))
		}
	}
}

func TestFeaturesCallbackErrorsAndPanics(t *testing.T) {
	r := writeFeatures(t, t.TempDir(), "mixed", randomFeatures(rand.New(rand.NewPCG(7, 8)), 50), 50)
	stop := errors.New("client went away")
	box := bound(99, -1, 111, 11)
	for _, q := range []FeatureQuery{{Limit: 10}, {BBox: &box, Limit: 10}, {Filters: map[string]string{"kind": "point"}, Limit: 10}} {
		calls := 0
		_, err := r.Features(q, func(RawFeature) error { calls++; return stop })
		if !errors.Is(err, stop) || calls != 1 {
			t.Errorf("query %+v: error %v after %d calls; want the callback's, after 1", q, err, calls)
		}
		func() {
			defer func() {
				if p := recover(); p != "boom" {
					t.Errorf("query %+v: recovered %v; want the callback's own panic", q, p)
				}
			}()
			r.Features(q, func(RawFeature) error { panic("boom") })
		}()
	}
	// The transactions survived: a query still works.
	if matched, _ := queryIDs(t, r, FeatureQuery{Limit: 1}); matched != 50 {
		t.Errorf("after panics: matched %d", matched)
	}
	if _, err := r.Features(FeatureQuery{Offset: -1}, nil); err == nil || !strings.Contains(err.Error(), "offset -1") {
		t.Errorf("negative offset: %v", err)
	}
	if _, err := r.Features(FeatureQuery{Limit: -1}, nil); err == nil {
		t.Error("negative limit gave no error")
	}
}

// TestFeaturesWithoutFeatures reads a file written before features existed.
func TestFeaturesWithoutFeatures(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "old", pyramid(t, "v1", 1), 10, nil)
	r, err := Open(tilesetPath(dir, "old"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	box := bound(-180, -90, 180, 90)
	for _, q := range []FeatureQuery{{Limit: 10}, {BBox: &box, Limit: 10}, {Filters: map[string]string{"a": "b"}, Limit: 10}} {
		matched, err := r.Features(q, func(RawFeature) error { t.Error("callback called"); return nil })
		if matched != 0 || err != nil {
			t.Errorf("query %+v: matched %d, %v; want 0, nil", q, matched, err)
		}
	}
	if found, err := r.Feature(1, func(RawFeature) error { return nil }); found || err != nil {
		t.Errorf("Feature(1) = %v, %v; want false, nil", found, err)
	}
	if tileText(t, r, 1, 1, 1) != "v1 1/1/1" {
		t.Error("tiles no longer read")
	}
}

func TestPutFeaturesOrderNullsAndErrors(t *testing.T) {
	dir := t.TempDir()
	// Batches out of order, and a feature without geometry.
	mk := func(id uint64, g orb.Geometry) *geojson.Feature {
		f := &geojson.Feature{Type: "Feature", ID: id, Geometry: g}
		return f
	}
	w, err := Create(dir, "unordered")
	if err != nil {
		t.Fatal(err)
	}
	for _, batch := range [][]*geojson.Feature{
		{mk(30, orb.Point{3, 3}), mk(10, orb.Point{1, 1})},
		{mk(20, nil), mk(5, orb.Point{0.5, 0.5})},
	} {
		if err := w.PutFeatures(batch); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.PutFeatures([]*geojson.Feature{mk(10, orb.Point{9, 9})}); err == nil || !strings.Contains(err.Error(), "feature id 10 is given twice") {
		t.Errorf("a repeated id across batches: %v", err)
	}
	w.Abort()

	w, err = Create(dir, "unordered")
	if err != nil {
		t.Fatal(err)
	}
	for _, batch := range [][]*geojson.Feature{
		{mk(30, orb.Point{3, 3}), mk(10, orb.Point{1, 1})},
		{mk(20, nil), mk(5, orb.Point{0.5, 0.5})},
	} {
		if err := w.PutFeatures(batch); err != nil {
			t.Fatal(err)
		}
	}
	meta := &Metadata{Title: "u", Layer: "u", FeatureCount: 99}
	if err := w.Commit(meta); err != nil {
		t.Fatal(err)
	}
	if meta.FeatureCount != 4 {
		t.Errorf("Commit set FeatureCount %d, want the 4 stored", meta.FeatureCount)
	}
	r, err := Open(tilesetPath(dir, "unordered"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if matched, ids := queryIDs(t, r, FeatureQuery{Limit: 10}); matched != 4 || !slices.Equal(ids, []uint64{5, 10, 20, 30}) {
		t.Errorf("all: matched %d, ids %v", matched, ids)
	}
	// The feature without geometry is counted but matches no box, so a box
	// around all the data cannot take the shortcut of selecting everything.
	box := bound(0, 0, 10, 10)
	if matched, ids := queryIDs(t, r, FeatureQuery{BBox: &box, Limit: 10}); matched != 3 || !slices.Equal(ids, []uint64{5, 10, 30}) {
		t.Errorf("box: matched %d, ids %v", matched, ids)
	}

	for name, batch := range map[string][]*geojson.Feature{
		"feature id 1 is given twice": {mk(1, orb.Point{0, 0}), mk(1, orb.Point{1, 1})},
		"has id <nil>":                {{Type: "Feature", Geometry: orb.Point{0, 0}}},
		"has id -3":                   {{Type: "Feature", ID: -3, Geometry: orb.Point{0, 0}}},
		"NaN or infinite":             {mk(1, orb.Point{math.Inf(1), 0})},
		"is nil":                      {nil},
	} {
		w, err := Create(dir, "bad")
		if err != nil {
			t.Fatal(err)
		}
		if err := w.PutFeatures(batch); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: error %v", name, err)
		}
		w.Abort()
	}
	if err := w.PutFeatures(nil); err == nil {
		t.Error("PutFeatures after Abort gave no error")
	}
}

// corrupt rewrites one value of a committed tileset file.
func corrupt(t *testing.T, path, bucket, key string, edit func([]byte) []byte) {
	t.Helper()
	db, err := bolt.Open(path, 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bolt.Tx) error {
		// The edited value is sealed again, so that the damage reaches the
		// checks behind the checksum; TestChecksum* flip raw bits.
		b := tx.Bucket([]byte(bucket))
		v := b.Get([]byte(key))
		return b.Put([]byte(key), sealed([]byte(key), edit(slices.Clone(v[:len(v)-checksumLen]))))
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestFeaturesDamagedFile corrupts the index, the position table and a
// stored feature: each query fails with an error naming the file, and none
// panics.
func TestFeaturesDamagedFile(t *testing.T) {
	feats := randomFeatures(rand.New(rand.NewPCG(9, 10)), 300)
	box := bound(101, 1, 109, 9)
	for _, c := range []struct {
		name       string
		bucket     string
		key        string
		edit       func([]byte) []byte
		q          FeatureQuery
		wantInText string
	}{
		{"truncated index", bucketIndex, keyRTree, func(b []byte) []byte { return b[:len(b)-40] }, FeatureQuery{BBox: &box, Limit: 10}, "index/rtree"},
		{"overwritten index", bucketIndex, keyRTree, func(b []byte) []byte {
			for i := 48; i < len(b); i += 7 {
				b[i] ^= 0x5a
			}
			return b
		}, FeatureQuery{BBox: &box, Limit: 10}, "damaged"},
		{"index naming absent features", bucketIndex, keyRTree, func(b []byte) []byte {
			for i := len(b) - 300*40 + 32; i < len(b); i += 40 { // every leaf's id
				b[i] = 0xfe
			}
			return b
		}, FeatureQuery{BBox: &box, Limit: 10}, "which is not stored"},
		{"position table", bucketIndex, keyPositions, func(b []byte) []byte { return b[:30] }, FeatureQuery{Limit: 10}, "index/positions"},
		{"position table naming an absent feature", bucketIndex, keyPositions, func(b []byte) []byte { b[24+8] = 2; return b }, FeatureQuery{Offset: positionStride, Limit: 10}, "which is not stored"},
		{"feature JSON", bucketFeatures, string(featureKeyOf(1)), func(b []byte) []byte { return b[:len(b)/2] }, FeatureQuery{Filters: map[string]string{"kind": "x"}}, "feature 1 (bucket features"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFeatures(t, dir, "mixed", feats, 300).Close()
			path := tilesetPath(dir, "mixed")
			corrupt(t, path, c.bucket, c.key, c.edit)
			r, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			_, err = r.Features(c.q, func(RawFeature) error { return nil })
			if err == nil || !strings.Contains(err.Error(), c.wantInText) || !strings.Contains(err.Error(), path) {
				t.Errorf("error %v; want one naming %s and saying %q", err, path, c.wantInText)
			}
			// Tiles and single features stay readable.
			if tileText(t, r, 0, 0, 0) == "" {
				t.Error("the tile is gone")
			}
		})
	}
}

func featureKeyOf(id uint64) []byte { k := featureKey(id); return k[:] }

// TestFeaturesNotLoadedAtOpen checks that opening reads nothing of the
// features: a file whose index and features are garbage opens fine and
// fails only the queries that touch them.
func TestFeaturesNotLoadedAtOpen(t *testing.T) {
	dir := t.TempDir()
	writeFeatures(t, dir, "mixed", randomFeatures(rand.New(rand.NewPCG(11, 12)), 20), 20).Close()
	path := tilesetPath(dir, "mixed")
	corrupt(t, path, bucketIndex, keyRTree, func([]byte) []byte { return []byte("garbage") })
	r, err := Open(path)
	if err != nil {
		t.Fatalf("Open read the index: %v", err)
	}
	defer r.Close()
	if found, err := r.Feature(3, func(RawFeature) error { return nil }); !found || err != nil {
		t.Errorf("Feature(3) = %v, %v", found, err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
		t.Fatal(err)
	}
}

// TestFeaturesConcurrent runs queries from many goroutines at once, which
// share the Reader's pooled transactions and their candidate buffers: each
// must get the answer it gets alone.
func TestFeaturesConcurrent(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	r := writeFeatures(t, t.TempDir(), "mixed", randomFeatures(rng, 600), 600)
	boxes := randomBoxes(rng, 40)
	want := make([][]uint64, len(boxes))
	for i := range boxes {
		_, want[i] = queryIDs(t, r, FeatureQuery{BBox: &boxes[i], Limit: 1000})
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := range 8 {
		wg.Go(func() {
			for n := range 100 {
				i := (g*7 + n) % len(boxes)
				var got []uint64
				_, err := r.Features(FeatureQuery{BBox: &boxes[i], Limit: 1000}, func(f RawFeature) error {
					got = append(got, f.ID)
					return nil
				})
				if err != nil || !slices.Equal(got, want[i]) {
					errs <- fmt.Sprintf("box %v: %v, ids %v; want %v", boxes[i], err, got, want[i])
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestFeaturesHugeOffsetAndLimit(t *testing.T) {
	r := writeFeatures(t, t.TempDir(), "mixed", randomFeatures(rand.New(rand.NewPCG(17, 18)), 30), 30)
	box := bound(99, -1, 105, 11)
	for _, q := range []FeatureQuery{
		{Offset: math.MaxInt, Limit: math.MaxInt},
		{Offset: 5, Limit: math.MaxInt},
		{BBox: &box, Offset: math.MaxInt, Limit: math.MaxInt},
		{Filters: map[string]string{"kind": "line"}, Offset: math.MaxInt - 1, Limit: 10},
	} {
		matched, ids := queryIDs(t, r, q)
		if matched == 0 || (q.Offset > 100 && len(ids) != 0) || (q.Offset == 5 && len(ids) != 25) {
			t.Errorf("query %+v: matched %d, %d returned", q, matched, len(ids))
		}
	}
}

// The JSON buffer of a batch can reach batchFeatureBytes; ingest stores all
// features first and then cuts tiles for a long while, so the Writer must not
// keep it between calls.
func TestPutFeaturesLetsGoOfItsBuffer(t *testing.T) {
	w, err := Create(t.TempDir(), "buf")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	if err := w.PutFeatures(randomFeatures(rand.New(rand.NewPCG(3, 4)), 200)); err != nil {
		t.Fatal(err)
	}
	if fs := &w.features; fs.buf != nil || fs.entries != nil {
		t.Fatalf("after PutFeatures the Writer still holds %d bytes of JSON and %d entries", cap(fs.buf), cap(fs.entries))
	}
	if got := w.features.count; got != 200 {
		t.Fatalf("count = %d, want 200", got)
	}
}

// A datetime query selects the features whose time overlaps it and those
// without a time, pages through the match cache like a filter, and selects
// everything in a tileset without a time field.
func TestFeaturesDatetime(t *testing.T) {
	dir := t.TempDir()
	var feats []*geojson.Feature
	want := map[string]int{} // decade -> features dated in it
	undated := 0
	// Before the first instant of 1960, inclusive: every earlier year, and
	// 1960 where it is given as a year (which starts at that instant).
	upTo1960 := 0
	for i := range 300 {
		f := geojson.NewFeature(orb.Point{100 + float64(i)/100, 5})
		f.ID = i + 1
		switch {
		case i%7 == 0:
			f.Properties = geojson.Properties{"found": "n.d."}
			undated++
		case i%11 == 0:
			f.Properties = geojson.Properties{"other": 1}
			undated++
		default:
			year := 1900 + i/3
			f.Properties = geojson.Properties{"found": strconv.Itoa(year)}
			if i%2 == 0 {
				f.Properties["found"] = fmt.Sprintf("%d-06-30T12:00:00Z", year)
			}
			want[strconv.Itoa(year/10*10)]++
			if year < 1960 || (year == 1960 && i%2 == 1) {
				upTo1960++
			}
		}
		feats = append(feats, f)
	}
	open := func(id string, tm *Temporal) *Reader {
		w, err := Create(dir, id)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.PutFeatures(feats); err != nil {
			t.Fatal(err)
		}
		if err := w.Commit(&Metadata{Title: id, Layer: id, GeometryType: "point", Time: tm}); err != nil {
			t.Fatal(err)
		}
		r, err := Open(tilesetPath(dir, id))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { r.Close() })
		return r
	}
	r := open("dated", &Temporal{Field: "found"})
	if r.Metadata().Time == nil || r.Metadata().Time.Field != "found" {
		t.Fatalf("metadata time = %+v, want field found", r.Metadata().Time)
	}
	sixties := &Interval{utc("1960-01-01T00:00:00Z"), utc("1969-12-31T23:59:59.999999999Z")}
	// Twice, the second page from the cache.
	for _, offset := range []int{0, 5} {
		matched, ids := queryIDs(t, r, FeatureQuery{Datetime: sixties, Offset: offset, Limit: 5})
		if matched != int64(want["1960"]+undated) || len(ids) != 5 {
			t.Errorf("the 1960s from %d: %d matched, %d returned; want %d (%d dated, %d undated), 5", offset, matched, len(ids), want["1960"]+undated, want["1960"], undated)
		}
	}
	if n, _ := queryIDs(t, r, FeatureQuery{Datetime: &Interval{End: utc("1960-01-01T00:00:00Z")}}); n != int64(upTo1960+undated) {
		t.Errorf("up to 1960-01-01T00:00:00Z: %d matched, want %d (%d dated, %d undated)", n, upTo1960+undated, upTo1960, undated)
	}
	if n, _ := queryIDs(t, r, FeatureQuery{Datetime: &Interval{Start: utc("3000-01-01T00:00:00Z")}}); n != int64(undated) {
		t.Errorf("after the data: %d matched, want the %d undated", n, undated)
	}
	if n, _ := queryIDs(t, r, FeatureQuery{Datetime: sixties, Filters: map[string]string{"found": "n.d."}}); n != 300/7+1 {
		t.Errorf("the 1960s and found=n.d.: %d matched, want %d", n, 300/7+1)
	}
	plain := open("undated", nil)
	if n, _ := queryIDs(t, plain, FeatureQuery{Datetime: sixties}); n != 300 {
		t.Errorf("no time field: %d matched, want all 300", n)
	}
}
