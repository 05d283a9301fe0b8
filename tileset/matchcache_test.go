package tileset

import (
	"time"

	"container/list"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

// resetMatchCache empties the process-wide match cache, so that a test can
// exercise the path that computes a query's matches.
func resetMatchCache() {
	matches.mu.Lock()
	defer matches.mu.Unlock()
	matches.lru.Init()
	matches.byKey = map[string]*list.Element{}
	matches.used = 0
}

func TestMatchCacheEvictsLeastRecentlyUsed(t *testing.T) {
	c := &matchCache{budget: 8 * 40, byKey: map[string]*list.Element{}} // 40 ids
	ids := func(n int) []uint64 { return make([]uint64, n) }
	c.put(1, "a", ids(10))
	c.put(2, "b", ids(10))
	c.put(1, "c", ids(10))
	c.put(1, "huge", ids(11)) // more than a quarter of the budget: not kept
	if _, ok := c.get("huge"); ok {
		t.Error("a result over a quarter of the budget was kept")
	}
	if _, ok := c.get("a"); !ok { // a is now the most recent
		t.Fatal("a is missing")
	}
	c.put(2, "d", ids(10))
	c.put(1, "e", ids(5)) // 45 ids: b, the least recent, goes
	for key, want := range map[string]bool{"a": true, "b": false, "c": true, "d": true, "e": true} {
		if _, ok := c.get(key); ok != want {
			t.Errorf("entry %s kept: %v, want %v", key, ok, want)
		}
	}
	if c.used != 8*35 || c.lru.Len() != 4 || len(c.byKey) != 4 {
		t.Errorf("used %d bytes in %d/%d entries, want 280 in 4", c.used, c.lru.Len(), len(c.byKey))
	}
	c.drop(1) // reader 1 closes: a, c and e go
	if _, ok := c.get("d"); !ok || c.used != 8*10 || c.lru.Len() != 1 || len(c.byKey) != 1 {
		t.Errorf("after dropping reader 1: d kept %v, %d bytes in %d/%d entries", ok, c.used, c.lru.Len(), len(c.byKey))
	}
}

// TestFeaturesCacheDroppedOnClose checks that a Reader's cached matches go
// when it closes.
func TestFeaturesCacheDroppedOnClose(t *testing.T) {
	resetMatchCache()
	r := writeFeatures(t, t.TempDir(), "mixed", randomFeatures(rand.New(rand.NewPCG(23, 24)), 200), 200)
	box := bound(99, -1, 106, 11)
	if matched, _ := queryIDs(t, r, FeatureQuery{BBox: &box, Limit: 1}); matched < 2 {
		t.Fatalf("matched %d: the query has no second page", matched)
	}
	if matches.lru.Len() != 1 {
		t.Fatalf("%d cache entries after a paged query, want 1", matches.lru.Len())
	}
	r.Close()
	if matches.lru.Len() != 0 || matches.used != 0 {
		t.Errorf("%d cache entries (%d bytes) after Close, want none", matches.lru.Len(), matches.used)
	}
}

func TestMatchKeyTellsQueriesApart(t *testing.T) {
	box := bound(1, 2, 3, 4)
	other := bound(1, 2, 3, 4.000000000000001)
	span := Interval{utc("2018-02-12T00:00:00Z"), utc("2018-03-18T12:31:12Z")}
	later := Interval{span.Start, span.End.Add(time.Nanosecond)}
	open := Interval{Start: span.Start}
	keys := map[string]string{}
	for name, key := range map[string]string{
		"reader 1, everything": matchKey(1, nil, nil),
		"reader 2, everything": matchKey(2, nil, nil),
		"box":                  matchKey(1, &box, nil),
		"box, one ulp apart":   matchKey(1, &other, nil),
		"filter a=bc":          matchKey(1, nil, compileFilters(map[string]string{"a": "bc"}, "", nil)),
		"filter ab=c":          matchKey(1, nil, compileFilters(map[string]string{"ab": "c"}, "", nil)),
		"box and filter":       matchKey(1, &box, compileFilters(map[string]string{"a": "bc"}, "", nil)),
		"two filters":          matchKey(1, nil, compileFilters(map[string]string{"a": "bc", "d": ""}, "", nil)),
		"datetime on a":        matchKey(1, nil, compileFilters(nil, "a", &span)),
		"datetime, 1 ns later": matchKey(1, nil, compileFilters(nil, "a", &later)),
		"datetime, open end":   matchKey(1, nil, compileFilters(nil, "a", &open)),
		"datetime and filter":  matchKey(1, nil, compileFilters(map[string]string{"a": "bc"}, "a", &span)),
	} {
		if prev, ok := keys[key]; ok {
			t.Errorf("%s and %s share a key", name, prev)
		}
		keys[key] = name
	}
	same := orb.Bound{Min: orb.Point{1, 2}, Max: orb.Point{3, 4}}
	if matchKey(1, &box, nil) != matchKey(1, &same, nil) ||
		matchKey(1, nil, compileFilters(map[string]string{"a": "1", "b": "2"}, "", nil)) != matchKey(1, nil, compileFilters(map[string]string{"b": "2", "a": "1"}, "", nil)) {
		t.Error("equal queries have different keys")
	}
}
