package compile

import (
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/styles"
	"github.com/outcrop/outcrop/tileset"
	"github.com/outcrop/outcrop/vocab"
)

// TestCompiledMapKeepsEachSurveysUnits checks that the compiled map carries
// both surveys' legends of units, kept apart by country where they share a
// code (P-granite), each with its survey's colour, and offers the
// geology-unit style drawing them so, with counts of the compiled features.
func TestCompiledMapKeepsEachSurveysUnits(t *testing.T) {
	_, _, store := compileFixture(t)
	r, err := tileset.Open(filepath.Join(store, "th-la-geology"+tileset.Ext))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	meta := r.Metadata()

	// The units planted: one feature per cell and country.
	want := map[string]int64{}
	for _, c := range fixtureCells {
		want["THA:"+c.thaAge+"-"+c.thaLith]++
		want["LAO:"+c.laoAge+"-"+c.laoLith]++
	}
	if meta.Units == nil || meta.Units.Field != UnitField {
		t.Fatalf("units = %+v, want a legend by %s", meta.Units, UnitField)
	}
	got := map[string]int64{}
	byCode := map[string]tileset.Unit{}
	for _, u := range meta.Units.Units {
		got[u.Code] = u.Features
		byCode[u.Code] = u
	}
	if !maps.Equal(got, want) {
		t.Errorf("units = %v, want %v", got, want)
	}
	if !slices.IsSortedFunc(meta.Units.Units, func(a, b tileset.Unit) int { return strings.Compare(a.Code, b.Code) }) {
		t.Errorf("units not sorted by code: %+v", meta.Units.Units)
	}
	permian, _ := vocab.Lookup("http://resource.geosciml.org/classifier/ics/ischart/Permian")
	for code, colour := range map[string]string{"THA:P-granite": fixtureTHAGranite, "LAO:P-granite": fixtureLAOGranite, "THA:J-basalt": ""} {
		if u := byCode[code]; u.Colour != colour {
			t.Errorf("unit %s: colour %q, want the survey's %q", code, u.Colour, colour)
		}
	}
	if u := byCode["LAO:P-granite"]; u.Age != permian.URI || u.Name == "" {
		t.Errorf("unit LAO:P-granite = %+v, want age %s and a name", u, permian.URI)
	}

	// Every compiled feature holds its unit, prefixed by its country.
	n := 0
	if _, err := r.Features(tileset.FeatureQuery{Limit: 1000}, func(rf tileset.RawFeature) error {
		f, err := geojson.UnmarshalFeature(rf.JSON)
		if err != nil {
			return err
		}
		c, _ := f.Properties["country"].(string)
		sym, _ := f.Properties["sym"].(string)
		if u, _ := f.Properties[UnitField].(string); u != c+":"+sym {
			t.Errorf("feature %v: %s = %q, want %q", f.ID, UnitField, u, c+":"+sym)
		}
		// The Lao mapping's own source is kept as source_2, not
		// overwritten by the compiled map's source.
		if c == "LAO" {
			if own, _ := f.Properties["source_2"].(string); !strings.HasPrefix(own, "DGM sheet ") || f.Properties["source"] != "Department of Geology and Mines, Lao PDR" {
				t.Errorf("feature %v: source %q, source_2 %q; want the attribution and the mapping's DGM sheet", f.ID, f.Properties["source"], own)
			}
		}
		n++
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(meta.Fields, func(f tileset.Field) bool { return f.Name == "source_2" }) {
		t.Errorf("fields %+v lack source_2, the Lao mapping's own source", meta.Fields)
	}
	if n != 2*len(fixtureCells) {
		t.Errorf("%d compiled features, want %d", n, 2*len(fixtureCells))
	}

	// The geology-unit style draws each with its survey's colour.
	meta.ID = "th-la-geology"
	if !slices.Contains(styles.Kinds(meta), styles.KindGeologyUnit) {
		t.Fatalf("the compiled map offers %v, not %s", styles.Kinds(meta), styles.KindGeologyUnit)
	}
	st, err := styles.ForKind(meta, styles.KindGeologyUnit, meta.ValueCounts, styles.Options{Base: "http://localhost:8080"})
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	colours := map[string]string{}
	for _, e := range st.Legends[0].Entries {
		if e.Fallback {
			t.Errorf("fallback entry %+v: every compiled feature has a unit", e)
		}
		total += e.Count
		colours[e.Code] = e.Colour
	}
	if total != meta.FeatureCount {
		t.Errorf("legend counts %d features, the map holds %d", total, meta.FeatureCount)
	}
	if colours["THA:P-granite"] != fixtureTHAGranite || colours["LAO:P-granite"] != fixtureLAOGranite {
		t.Errorf("legend colours P-granite: THA %s, LAO %s; want the surveys' %s and %s",
			colours["THA:P-granite"], colours["LAO:P-granite"], fixtureTHAGranite, fixtureLAOGranite)
	}
}
