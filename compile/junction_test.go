package compile

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
	"github.com/paulmach/orb/geojson"
	"github.com/twpayne/go-geos"

	"github.com/outcrop/outcrop/compile/qa"
	"github.com/outcrop/outcrop/tileset"
)

// The junction fixture: three national maps meeting at the Golden Triangle,
// where Thailand, Lao PDR and Myanmar meet (the tripoint of data/borders),
// each one unit filling its country's share of a 30 km square around the
// tripoint. The Thai map falls 100 m short of its borders, the Lao map
// spills 80 m over them (onto both neighbours, at the tripoint too), the
// Myanmar map lies on them, but for a 2 km gap along its Lao border and a
// Thai spill of 1.5 km onto Myanmar, 6 km from the tripoint. Thai and Lao
// units are compatible (Permian and Cisuralian granite), the Myanmar unit
// (Jurassic granitoid) disagrees in age with both. A Lao and a Thai fault
// meet at the border 150 m from the tripoint.
const (
	junctionHalfM   = 15000.0
	junctionFromM   = 6000.0
	junctionGapM    = 2000.0
	junctionSpillM  = 1500.0
	junctionThaiLat = 20.35
	junctionFaultM  = 150.0
)

// junctionUnits are each country's unit: code, age and lithology codes.
var junctionUnits = map[string][3]string{
	"THA": {"TH1", "P", "granite"},
	"LAO": {"LA1", "P1", "granite"},
	"MMR": {"MM1", "J", "granitoid"},
}

// junctionClass is the class planted along each pair's border.
var junctionClass = map[string]string{
	"LAO-THA": qa.ClassCompatible,
	"LAO-MMR": qa.ClassAgeMismatch,
	"MMR-THA": qa.ClassAgeMismatch,
}

// TestThreeCountryJunction compiles three maps meeting at a tripoint and
// checks that each pair's border is classified and attributed to that pair,
// that the gap and the overlap planted near the tripoint are reported for
// the right pair and country, and that the compiled map covers each
// country's share exactly, with nothing missing or doubled at the tripoint.
func TestThreeCountryJunction(t *testing.T) {
	dir := t.TempDir()
	fr := newFrame(junctionThaiLat)
	eps := fr.dist(snapM)
	poly := map[string]*geos.Geom{}
	for c := range junctionUnits {
		poly[c] = countryGEOS(t, fr, c)
	}
	tri := poly["THA"].Boundary().Intersection(poly["LAO"].Buffer(eps, 4)).Intersection(poly["MMR"].Buffer(eps, 4))
	if tri.IsEmpty() {
		t.Fatal("no THA–LAO–MMR tripoint in the bundled borders")
	}
	at := tri.Centroid()
	x, y := at.X(), at.Y()
	h := fr.dist(junctionHalfM)
	box := geos.NewPolygon([][][]float64{{{x - h, y - h}, {x + h, y - h}, {x + h, y + h}, {x - h, y + h}, {x - h, y - h}}})
	share := map[string]*geos.Geom{}
	for c, p := range poly {
		share[c] = polygonal(p.Intersection(box))
	}
	// border is the border of a pair within the square.
	border := func(a, b string) *geos.Geom {
		return lineal(poly[a].Boundary().Intersection(poly[b].Buffer(eps, 4)).Intersection(box))
	}
	// pointOn is a point of the a–b border at distance d from the tripoint.
	pointOn := func(a, b string, d float64) *geos.Geom {
		ps := at.Buffer(fr.dist(d), 16).Boundary().Intersection(border(a, b))
		if ps.IsEmpty() {
			t.Fatalf("the %s–%s border does not reach %.0f m from the tripoint", a, b, d)
		}
		return ps.Geometry(0)
	}
	gap := polygonal(pointOn("MMR", "LAO", junctionFromM).Buffer(fr.dist(junctionGapM), 16).Intersection(share["MMR"]))
	spill := polygonal(pointOn("MMR", "THA", junctionFromM).Buffer(fr.dist(junctionSpillM), 16).Intersection(share["MMR"]))
	others := func(c string) *geos.Geom {
		var gs []*geos.Geom
		for o, p := range poly {
			if o != c {
				gs = append(gs, p)
			}
		}
		return union(gs)
	}
	maps := map[string]*geos.Geom{
		"THA": polygonal(share["THA"].Difference(others("THA").Buffer(fr.dist(thaShortM), 8)).Union(spill)),
		"LAO": polygonal(poly["LAO"].Buffer(fr.dist(laoSpillM), 8).Intersection(box)),
		"MMR": polygonal(share["MMR"].Difference(gap)),
	}

	// A fault crossing the Lao–Thai border 150 m from the tripoint, so
	// within the tolerance of the Myanmar border too: the Lao half drawn to
	// the border, the Thai half stopping 100 m short. Myanmar has no faults.
	q := pointOn("THA", "LAO", junctionFaultM)
	lc := share["LAO"].Centroid()
	dx, dy := q.X()-lc.X(), q.Y()-lc.Y()
	n := math.Hypot(dx, dy)
	along := func(m float64) []float64 { return []float64{q.X() + dx/n*fr.dist(m), q.Y() + dy/n*fr.dist(m)} }
	faults := map[string]*geos.Geom{
		"THA": geos.NewLineString([][]float64{along(thaShortM), along(3000)}),
		"LAO": geos.NewLineString([][]float64{along(-3000), along(laoSpillM)}),
	}
	if th := faults["THA"]; !poly["THA"].Contains(th) || poly["MMR"].Distance(th.StartPoint()) > fr.dist(fixtureToleranceM) {
		t.Fatalf("the Thai fault half does not lie in Thailand within the tolerance of Myanmar")
	}

	config := "id: golden-triangle\ntitle: The Golden Triangle, compiled\ntolerance_m: 250\nsources:\n"
	writeFeature := func(name string, g *geos.Geom, props geojson.Properties) {
		o, err := fr.toOrb(g)
		if err != nil {
			t.Fatal(err)
		}
		f := geojson.NewFeature(o)
		f.Properties = props
		b, err := geojson.NewFeatureCollection().Append(f).MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for c, u := range junctionUnits {
		writeFeature(c+".geojson", maps[c], geojson.Properties{"code": u[0], "age": u[1], "lith": u[2]})
		config += "  - country: " + c + "\n    file: " + c + ".geojson\n    mapping: units.yaml\n"
		if f := faults[c]; f != nil {
			writeFeature(c+"-faults.geojson", f, geojson.Properties{"fault_id": c + "-F"})
			config += "    lines: {faults: " + c + "-faults.geojson}\n"
		}
	}
	mapping := `view: GeologicUnitView
fields:
  identifier: {template: "x:{code}"}
  name: code
  representativeAge_uri: {from: age, values: {P: Permian, P1: Cisuralian, J: Jurassic}}
  representativeLithology_uri: {from: lith, values: {granite: granite, granitoid: granitoid}}
`
	for name, text := range map[string]string{"units.yaml": mapping, "gt.yaml": config} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := LoadConfig(filepath.Join(dir, "gt.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	store := filepath.Join(dir, "store")
	if err := os.Mkdir(store, 0o755); err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), cfg, Options{Store: store, MaxZoom: 12})
	if err != nil {
		t.Fatal(err)
	}

	var summary strings.Builder
	res.Report.Print(&summary)
	t.Log(summary.String())

	// Each pair's border, classified as planted and attributed to it.
	if len(res.Report.Pairs) != 3 {
		t.Fatalf("%d pairs, want LAO-MMR, LAO-THA and MMR-THA", len(res.Report.Pairs))
	}
	for _, p := range res.Report.Pairs {
		name := p.Countries[0] + "-" + p.Countries[1]
		want, ok := junctionClass[name]
		if !ok {
			t.Errorf("pair %s, not a pair of the fixture", name)
			continue
		}
		wantM := fr.lengthM(border(p.Countries[0], p.Countries[1]))
		if name == "LAO-MMR" { // the gap's stretch of border faces nothing
			wantM -= fr.lengthM(lineal(border("MMR", "LAO").Intersection(gap.Buffer(eps, 4))))
		}
		if got := p.BorderKmByClass.Get(want) * 1000; !within(got, wantM) {
			t.Errorf("%s: %.0f m of %s border, planted %.0f m (%+v)", name, got, want, wantM, p.BorderKmByClass)
		}
		for _, c := range qa.Classes {
			if c != want && c != qa.ClassGap && p.BorderKmByClass.Get(c) > 0.01*p.BorderKm {
				t.Errorf("%s: %.2f km of %s border, planted none", name, p.BorderKmByClass.Get(c), c)
			}
		}
		for _, is := range p.Issues {
			switch is.Kind {
			case qa.KindSegment:
				for k, u := range []*qa.Unit{is.A, is.B} {
					if u != nil && (u.Country != p.Countries[k] || u.Identifier != "x:"+junctionUnits[u.Country][0]) {
						t.Errorf("%s: segment %s side %d is unit %s of %s", name, is.Class, k, u.Identifier, u.Country)
					}
				}
			case qa.KindGap:
				if name != "LAO-MMR" || is.Country != "MMR" || !within(is.AreaKm2, fr.areaKm2(gap)) {
					t.Errorf("%s: gap of %s, %.3f km²; planted in MMR at its Lao border, %.3f km²", name, is.Country, is.AreaKm2, fr.areaKm2(gap))
				}
			case qa.KindOverlap:
				if name != "MMR-THA" || is.Country != "THA" || is.Onto != "MMR" || !within(is.AreaKm2, fr.areaKm2(spill)) {
					t.Errorf("%s: overlap of %s onto %s, %.3f km²; planted THA onto MMR, %.3f km²", name, is.Country, is.Onto, is.AreaKm2, fr.areaKm2(spill))
				}
			}
		}
	}
	if g, o := res.Report.Gaps.Count, res.Report.Overlaps.Count; g != 1 || o != 1 {
		t.Errorf("%d gaps and %d overlaps, planted 1 and 1", g, o)
	}
	// The fault is joined across the Lao border, and is no dangling line
	// of the Myanmar border it also lies near.
	if d, n := res.Report.Dangling, res.Report.SnappedLineEnds; d != 0 || n != 1 {
		t.Errorf("%d dangling lines and %d line ends snapped; want none dangling and the Thai end snapped", d, n)
	}
	fr2, err := tileset.Open(filepath.Join(store, "golden-triangle-faults"+tileset.Ext))
	if err != nil {
		t.Fatal(err)
	}
	defer fr2.Close()
	var ends []orb.Point
	if _, err := fr2.Features(tileset.FeatureQuery{Limit: 10}, func(rf tileset.RawFeature) error {
		f, err := geojson.UnmarshalFeature(rf.JSON)
		if err != nil {
			return err
		}
		ls := f.Geometry.(orb.LineString)
		if f.Properties["country"] == "THA" {
			ends = append(ends, ls[0])
		} else {
			ends = append(ends, ls[len(ls)-1])
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(ends) != 2 || geo.Distance(ends[0], ends[1]) > 0.01 {
		t.Errorf("the fault's halves end at %v, want joined", ends)
	}

	// The compiled map covers each country's share, less the gap, exactly.
	r, err := tileset.Open(filepath.Join(store, "golden-triangle"+tileset.Ext))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	byCountry := map[string][]*geos.Geom{}
	if _, err := r.Features(tileset.FeatureQuery{Limit: 1000}, func(rf tileset.RawFeature) error {
		f, err := geojson.UnmarshalFeature(rf.JSON)
		if err != nil {
			return err
		}
		g, err := fr.toGEOS(f.Geometry)
		if err != nil {
			return err
		}
		c, _ := f.Properties["country"].(string)
		byCountry[c] = append(byCountry[c], g)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var all []*geos.Geom
	sum := 0.0
	near := at.Buffer(fr.dist(1000), 16) // the tripoint's surroundings
	for c := range junctionUnits {
		cover := polygonal(union(byCountry[c]))
		want := share[c]
		if c == "MMR" {
			want = polygonal(want.Difference(gap))
		}
		missing := fr.areaKm2(polygonal(want.Difference(cover)))
		extra := fr.areaKm2(polygonal(cover.Difference(want)))
		if missing > 0.01 || extra > 0.05 {
			t.Errorf("%s: compiled map misses %.4f km² of its share and covers %.4f km² it should not", c, missing, extra)
		}
		if m := fr.areaKm2(polygonal(want.Intersection(near).Difference(cover))); m > 0.001 {
			t.Errorf("%s: %.4f km² of its share within 1 km of the tripoint uncovered", c, m)
		}
		all = append(all, byCountry[c]...)
		for _, g := range byCountry[c] {
			sum += fr.areaKm2(g)
		}
	}
	if doubled := sum - fr.areaKm2(polygonal(union(all))); doubled > 0.001 {
		t.Errorf("compiled units overlap by %.4f km²", doubled)
	}
}
