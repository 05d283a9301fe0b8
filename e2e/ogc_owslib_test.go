package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/paulmach/orb"
)

// owslibPython is Debian's interpreter, which has python3-owslib; a
// python3 earlier on PATH (pyenv, a virtualenv) may not.
const owslibPython = "/usr/bin/python3"

// TestOWSLib reads the server with OWSLib (Debian's python3-owslib), which
// sends neither f nor an Accept header and needs itemType "feature" to list
// collections: collections, items in a bbox, a page, queryables, one item.
func TestOWSLib(t *testing.T) {
	if err := exec.Command(owslibPython, "-c", "import owslib.ogcapi.features").Run(); err != nil {
		msg := "OWSLib is not installed for " + owslibPython + " (Debian: python3-owslib)"
		if os.Getenv("CI") != "" {
			t.Fatalf("%s; CI is set, so this is a failure, not a skip", msg)
		}
		t.Skip(msg)
	}
	srv := startOGCServer(t, -1)
	_, copper := ogcDatasets(t)
	box := orb.Bound{Min: orb.Point{94, -11}, Max: orb.Point{141, 21}} // Southeast Asia
	out, err := exec.Command(owslibPython, filepath.Join("testdata", "ogc_owslib.py"), srv.URL, ogcCopperID,
		ogcCoord(box.Min[0]), ogcCoord(box.Min[1]), ogcCoord(box.Max[0]), ogcCoord(box.Max[1])).Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("ogc_owslib.py: %v\n%s", err, ee.Stderr)
		}
		t.Fatal(err)
	}
	var got struct {
		Conformance []string `json:"conformance"`
		Collections []string `json:"collections"`
		ItemType    string   `json:"collection_item_type"`
		BBoxIDs     []int    `json:"bbox_ids"`
		BBoxMatched int      `json:"bbox_matched"`
		PageIDs     []int    `json:"page_ids"`
		Queryables  []string `json:"queryables"`
		ItemID      int      `json:"item_id"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("ogc_owslib.py printed %q: %v", out, err)
	}
	if !slices.Equal(got.Collections, []string{ogcBordersID, ogcCopperID}) || got.ItemType != "feature" {
		t.Errorf("collections %v, itemType %q", got.Collections, got.ItemType)
	}
	if !slices.Contains(got.Conformance, "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core") {
		t.Errorf("conformance %v", got.Conformance)
	}
	want := expectInBox(copper, box)
	if len(want) < 60 {
		t.Fatalf("the box holds %d deposits; the source says Southeast Asia has 67", len(want))
	}
	if !slices.Equal(got.BBoxIDs, want) || got.BBoxMatched != len(want) {
		t.Errorf("items in bbox: %v (numberMatched %d), want %v", got.BBoxIDs, got.BBoxMatched, want)
	}
	if !slices.Equal(got.PageIDs, []int{6, 7, 8, 9, 10}) {
		t.Errorf("limit=5 offset=5: %v", got.PageIDs)
	}
	if !slices.Equal(got.Queryables, []string{"age_my", "country", "cu_grade", "name"}) {
		t.Errorf("queryables %v", got.Queryables)
	}
	if got.ItemID != 1 {
		t.Errorf("item 1 has id %d", got.ItemID)
	}
}
