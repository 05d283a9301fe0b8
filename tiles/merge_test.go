package tiles

import (
	"context"
	"testing"
)

func TestMergeOrderPicksTheLongestBorder(t *testing.T) {
	feats, err := prepare(context.Background(), strip(), 1)
	if err != nil {
		t.Fatal(err)
	}
	topo := buildTopology(feats)
	if len(topo.faces) != 3 {
		t.Fatalf("%d faces, want 3", len(topo.faces))
	}
	// Unit 3 is the larger neighbour, unit 1 the one sharing more border.
	if topo.faces[2].area <= topo.faces[0].area {
		t.Fatal("fixture: unit 3 should be larger than unit 1")
	}
	merges := topo.mergeOrder(topo.faces[1].area * 1.01)
	if len(merges) != 1 || merges[0].face != 1 || merges[0].into != 0 || merges[0].area != topo.faces[1].area {
		t.Errorf("merges %+v, want face 1 into face 0 at its own area", merges)
	}
	// A limit above every unit's area merges until one region is left,
	// smallest first, with non-decreasing areas.
	merges = topo.mergeOrder(10)
	if len(merges) != 2 {
		t.Fatalf("merges %+v, want two", merges)
	}
	if merges[1].area < merges[0].area {
		t.Errorf("merge areas %v then %v decrease", merges[0].area, merges[1].area)
	}
}
