package compile

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
// (Jurassic granitoid) disagrees in age with both.
const (
	junctionHalfM   = 15000.0
	junctionFromM   = 6000.0
	junctionGapM    = 2000.0
	junctionSpillM  = 1500.0
	junctionThaiLat = 20.35
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

	config := "id: golden-triangle\ntitle: The Golden Triangle, compiled\ntolerance_m: 250\nsources:\n"
	for c, u := range junctionUnits {
		g, err := fr.toOrb(maps[c])
		if err != nil {
			t.Fatal(err)
		}
		f := geojson.NewFeature(g)
		f.Properties = geojson.Properties{"code": u[0], "age": u[1], "lith": u[2]}
		fc := geojson.NewFeatureCollection().Append(f)
		b, err := fc.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, c+".geojson"), b, 0o644); err != nil {
			t.Fatal(err)
		}
		config += "  - country: " + c + "\n    file: " + c + ".geojson\n    mapping: units.yaml\n"
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
