package compile

import (
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/tileset"
)

// TestFaultsAcrossTheBorderJoin checks that the fixture's fault crossing the
// border, whose Thai half stops 100 m short of it, is joined there: both
// halves end at one point of the border, the Thai one extended to it and
// counted in the report; the dangling faults are left as drawn.
func TestFaultsAcrossTheBorderJoin(t *testing.T) {
	fx, res, store := compileFixture(t)
	r, err := tileset.Open(filepath.Join(store, "th-la-geology-faults"+tileset.Ext))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	faults := map[string]orb.LineString{}
	if _, err := r.Features(tileset.FeatureQuery{Limit: 1000}, func(rf tileset.RawFeature) error {
		f, err := geojson.UnmarshalFeature(rf.JSON)
		if err != nil {
			return err
		}
		id, _ := f.Properties["fault_id"].(string)
		ls, ok := f.Geometry.(orb.LineString)
		if !ok {
			t.Errorf("fault %s is a %s, want one line", id, f.Geometry.GeoJSONType())
		}
		faults[id] = ls
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// toBorder is the distance in metres from a point to the border.
	toBorder := func(p orb.Point) float64 {
		g, err := fx.frame.toGEOS(p)
		if err != nil {
			t.Fatal(err)
		}
		return g.Distance(fx.border) * metresPerDegree
	}
	// nearEnd is the end of ls nearer the border.
	nearEnd := func(ls orb.LineString) orb.Point {
		if a, b := ls[0], ls[len(ls)-1]; toBorder(a) < toBorder(b) {
			return a
		}
		return ls[len(ls)-1]
	}
	th, la := faults["THF0"], faults["LAF0"]
	if th == nil || la == nil {
		t.Fatalf("faults THF0 and LAF0 missing: %v", faults)
	}
	pt, pl := nearEnd(th), nearEnd(la)
	if d := geo.Distance(pt, pl); d > 0.01 {
		t.Errorf("the fault's halves end %.2f m apart at the border, want joined", d)
	}
	if d := toBorder(pt); d > snapM {
		t.Errorf("the joined fault meets %.1f m from the border, want on it", d)
	}
	if d := toBorder(nearEnd(faults["THF1"])); d < thaShortM-snapM || d > thaShortM+snapM {
		t.Errorf("dangling fault THF1 ends %.1f m from the border, drawn %.0f m short: it was moved", d, thaShortM)
	}
	if n := res.Report.Pairs[0].SnappedLineEnds; n != 1 {
		t.Errorf("%d line ends snapped, want the Thai end of the crossing fault", n)
	}
	if n := res.Report.Pairs[0].Dangling; n != len(fx.dangling) {
		t.Errorf("%d dangling lines after snapping, planted %d", n, len(fx.dangling))
	}
}
