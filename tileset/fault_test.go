package tileset

import (
	"errors"
	"math/rand/v2"
	"os"
	"testing"
)

// TestTruncatedUnderReader truncates a file a Reader has mapped, as cp onto
// a live tileset does: every read must fail with ErrDamaged instead of the
// SIGBUS that used to end the process.
func TestTruncatedUnderReader(t *testing.T) {
	for _, warm := range []bool{false, true} {
		t.Run(map[bool]string{false: "cold", true: "warm"}[warm], func(t *testing.T) { truncatedUnderReader(t, warm) })
	}
}

// truncatedUnderReader runs the test; warm reads first, so that the reads
// after the truncation run in pooled transactions and fault in the memory
// map rather than being refused when a transaction begins.
func truncatedUnderReader(t *testing.T, warm bool) {
	dir := t.TempDir()
	r := writeFeatures(t, dir, "mixed", randomFeatures(rand.New(rand.NewPCG(21, 22)), 2000), 500)
	path := tilesetPath(dir, "mixed")
	if warm {
		if _, err := r.Tile(0, 0, 0, func([]byte) error { return nil }); err != nil {
			t.Fatal(err)
		}
		if _, err := r.Features(FeatureQuery{Limit: 1}, func(RawFeature) error { return nil }); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Truncate(path, 0); err != nil {
		t.Fatal(err)
	}
	check := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, ErrDamaged) {
			t.Errorf("%s on a truncated file = %v; want ErrDamaged", what, err)
		}
	}
	// Warm, the one tile may still be read from the pooled transaction's
	// pages; its checksum vouches for it either way.
	if _, err := r.Tile(0, 0, 0, func([]byte) error { return nil }); !warm || err != nil {
		check("Tile", err)
	}
	_, err := r.Feature(1500, func(RawFeature) error { return nil })
	check("Feature", err)
	_, err = r.Features(FeatureQuery{Offset: 1000, Limit: 10}, func(RawFeature) error { return nil })
	check("Features", err)
	check("ForEach", r.ForEach(func(int, int, int, []byte) error { return nil }))
	_, err = r.Meta("harmonisation")
	check("Meta", err)
	_, err = r.Verify(func(*DamageError) {})
	check("Verify", err)
	if err := r.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
}
