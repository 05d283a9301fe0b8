package compile

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
	"github.com/paulmach/orb/geojson"
	"github.com/twpayne/go-geos"

	"github.com/outcrop/outcrop/compile/qa"
	"github.com/outcrop/outcrop/styles"
	"github.com/outcrop/outcrop/tileset"
)

// within reports whether got is within 5 % of want.
func within(got, want float64) bool { return math.Abs(got-want) <= 0.05*want }

func compileFixture(t *testing.T) (*fixture, *Result, string) {
	t.Helper()
	dir := t.TempDir()
	fx := newFixture(t, dir)
	cfg, err := LoadConfig(fx.config)
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
	return fx, res, store
}

// TestCompileFindsEveryPlantedDefect compiles the two fixture maps and checks
// the report against what was planted: border length per class, the gap and
// the overlap, and no other issue.
func TestCompileFindsEveryPlantedDefect(t *testing.T) {
	fx, res, store := compileFixture(t)
	rep := res.Report
	if len(rep.Pairs) != 1 || rep.Pairs[0].Countries != [2]string{"LAO", "THA"} {
		t.Fatalf("pairs = %+v, want LAO-THA only", rep.Pairs)
	}
	p := rep.Pairs[0]
	for _, c := range qa.Classes {
		got, want := p.BorderKmByClass.Get(c)*1000, fx.lengthM[c]
		if want == 0 && got != 0 || want > 0 && !within(got, want) {
			t.Errorf("class %s: %.0f m of border, planted %.0f m", c, got, want)
		}
	}
	if p.Gaps.Count != 1 || !within(p.Gaps.AreaKm2, fx.gapKm2) {
		t.Errorf("gaps = %+v, planted 1 of %.3f km²", p.Gaps, fx.gapKm2)
	}
	if p.Overlaps.Count != 1 || !within(p.Overlaps.AreaKm2, fx.overlapKm2) {
		t.Errorf("overlaps = %+v, planted 1 of %.3f km²", p.Overlaps, fx.overlapKm2)
	}
	// Every issue is a planted one: a segment between the units of a cell
	// of its class, the Thai gap, the Lao overlap, the dangling faults.
	danglingFound := make([]int, len(fx.dangling))
	for _, is := range p.Issues {
		switch is.Kind {
		case qa.KindSegment:
			if is.Class == qa.ClassGap {
				if is.A == nil || is.B != nil || is.A.Identifier != "dgm:LAD" {
					t.Errorf("gap segment %+v: want the Lao unit of cell D facing nothing", is)
				}
				continue
			}
			if is.A == nil || is.B == nil {
				t.Errorf("segment %+v lacks a side", is)
				continue
			}
			i := int(is.A.Identifier[len(is.A.Identifier)-1] - 'A')
			if is.B.Identifier != "dmr:TH"+string(rune('A'+i)) || fixtureCells[i].class != is.Class {
				t.Errorf("segment %s: %s | %s, not a planted pair of that class", is.Class, is.A.Identifier, is.B.Identifier)
			}
		case qa.KindGap:
			if is.Country != "THA" {
				t.Errorf("gap in %s, planted in THA", is.Country)
			}
		case qa.KindOverlap:
			if is.Country != "LAO" || is.Onto != "THA" {
				t.Errorf("overlap of %s onto %s, planted LAO onto THA", is.Country, is.Onto)
			}
		case qa.KindDangling:
			found := slices.IndexFunc(fx.dangling, func(e plantedEnd) bool {
				return e.country == is.Country && geo.Distance(e.at, orb.Point(is.Center)) < fixtureToleranceM
			})
			if found < 0 || is.Layer != "faults" || is.LengthM < 5000 {
				t.Errorf("dangling %s line %+v (%+v), not a planted one", is.Layer, is, is.A)
				continue
			}
			danglingFound[found]++
		default:
			t.Errorf("issue of kind %q", is.Kind)
		}
	}
	for i, e := range fx.dangling {
		if danglingFound[i] != 1 {
			t.Errorf("planted dangling fault of %s at %v reported %d times, want once", e.country, e.at, danglingFound[i])
		}
	}
	if p.Dangling != len(fx.dangling) {
		t.Errorf("%d dangling lines, planted %d", p.Dangling, len(fx.dangling))
	}
	if got := res.Lines["th-la-geology-faults"]; got != fx.faults {
		t.Errorf("compiled faults: %d, want the %d planted (tilesets %v)", got, fx.faults, res.Lines)
	}
	if p.Issues[0].Viewer != "" || p.Issues[0].Zoom < 4 {
		t.Errorf("issue %+v: want a zoom and no stored viewer link", p.Issues[0])
	}

	// outcrop compile prints the same numbers.
	var out strings.Builder
	rep.Print(&out)
	for _, line := range []string{fmt.Sprintf(`border LAO–THA\s+%.1f km`, p.BorderKm), fmt.Sprintf(`gaps\s+%d\s+%.3f km²`, p.Gaps.Count, p.Gaps.AreaKm2),
		fmt.Sprintf(`age_mismatch\s+%.2f km`, p.BorderKmByClass.AgeMismatch)} {
		if !regexp.MustCompile(line).MatchString(out.String()) {
			t.Errorf("summary lacks %q:\n%s", line, out.String())
		}
	}

	// The report is stored with the qa tileset, as compiled.
	r, err := tileset.Open(filepath.Join(store, "th-la-geology-qa"+tileset.Ext))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	raw, err := r.Meta(qa.MetaKey)
	if err != nil {
		t.Fatal(err)
	}
	var stored qa.Report
	if err := json.Unmarshal(raw, &stored); err != nil || stored.BorderKm != rep.BorderKm || len(stored.Pairs[0].Issues) != len(p.Issues) {
		t.Errorf("stored report differs from the compiled one (%v)", err)
	}
	if m := r.Metadata(); m.FeatureCount != int64(res.QAFeatures) || m.GeometryType != "mixed" {
		t.Errorf("qa tileset: %d features (%s), want %d mixed", m.FeatureCount, m.GeometryType, res.QAFeatures)
	}
}

// TestCompiledCoverageIsSeamless checks that the compiled map covers each
// country's share of the fixture exactly, but for the planted gap, with no
// overlap between units and none over the border.
func TestCompiledCoverageIsSeamless(t *testing.T) {
	fx, _, store := compileFixture(t)
	r, err := tileset.Open(filepath.Join(store, "th-la-geology"+tileset.Ext))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	byCountry := map[string][]*geos.Geom{}
	sources := map[string]string{}
	if _, err := r.Features(tileset.FeatureQuery{Limit: 1000}, func(rf tileset.RawFeature) error {
		f, err := geojson.UnmarshalFeature(rf.JSON)
		if err != nil {
			return err
		}
		g, err := fx.frame.toGEOS(f.Geometry)
		if err != nil {
			return err
		}
		c, _ := f.Properties["country"].(string)
		sources[c], _ = f.Properties["source"].(string)
		byCountry[c] = append(byCountry[c], g)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if sources["THA"] != "Department of Mineral Resources, Thailand" || sources["LAO"] != "Department of Geology and Mines, Lao PDR" {
		t.Errorf("source properties = %v", sources)
	}
	for code, poly := range map[string]*geos.Geom{"THA": fx.tha, "LAO": fx.lao} {
		gs := byCountry[code]
		if len(gs) != len(fixtureCells) {
			t.Errorf("%s: %d compiled units, want %d", code, len(gs), len(fixtureCells))
		}
		cover := polygonal(union(gs))
		sum := 0.0
		for _, g := range gs {
			sum += fx.frame.areaKm2(g)
		}
		if overlap := sum - fx.frame.areaKm2(cover); overlap > 0.001 {
			t.Errorf("%s: units overlap by %.4f km²", code, overlap)
		}
		want := polygonal(fx.cover.Intersection(poly))
		if code == "THA" {
			want = polygonal(want.Difference(fx.gapPoly))
		}
		missing := fx.frame.areaKm2(polygonal(want.Difference(cover)))
		extra := fx.frame.areaKm2(polygonal(cover.Difference(want)))
		// A gap's rounded ends, narrower than the tolerance, are filled.
		if missing > 0.01 || extra > 0.05 {
			t.Errorf("%s: compiled map misses %.4f km² of its territory and covers %.4f km² it should not", code, missing, extra)
		}
	}
}

// TestLineLayerOfPolygonsRefused checks that a line layer holding no lines
// is refused with the configuration's line, before anything is written.
func TestLineLayerOfPolygonsRefused(t *testing.T) {
	dir := t.TempDir()
	fx := newFixture(t, dir)
	text, err := os.ReadFile(fx.config)
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(text), "faults: th/faults.shp", "faults: th/units.shp", 1)
	if err := os.WriteFile(fx.config, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(fx.config)
	if err != nil {
		t.Fatal(err)
	}
	store := filepath.Join(dir, "store")
	os.Mkdir(store, 0o755)
	_, err = Run(context.Background(), cfg, Options{Store: store, MaxZoom: 12})
	if err == nil || !strings.Contains(err.Error(), fx.config+":10: source THA, lines faults: ") || !strings.Contains(err.Error(), "has no lines") {
		t.Errorf("error %v, want %s:10: source THA, lines faults: … has no lines", err, fx.config)
	}
	if entries, _ := os.ReadDir(store); len(entries) != 0 {
		t.Errorf("the store holds %d entries after a refused compile", len(entries))
	}
}

// TestQALegendCountsMatchTheReport checks that the {id}-qa tileset stores
// its features' counts per kind and class, so that the edge-matching
// legend counts equal the report's.
func TestQALegendCountsMatchTheReport(t *testing.T) {
	_, res, store := compileFixture(t)
	r, err := tileset.Open(filepath.Join(store, "th-la-geology-qa"+tileset.Ext))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	meta := r.Metadata()
	meta.ID = "th-la-geology-qa"
	st, err := styles.ForKind(meta, styles.KindEdgeMatching, meta.ValueCounts, styles.Options{Base: "http://localhost:8080"})
	if err != nil {
		t.Fatal(err)
	}
	legend := map[string]int64{}
	for _, e := range st.Legends[0].Entries {
		legend[e.Values[0]] = e.Count
	}
	rep := res.Report
	segments := map[string]int64{}
	for _, p := range rep.Pairs {
		for _, is := range p.Issues {
			if is.Kind == qa.KindSegment {
				segments[is.Class]++
			}
		}
	}
	for _, c := range qa.Classes[1:] { // the report lists every segment but matches
		if legend[c] != segments[c] {
			t.Errorf("legend: %d %s segments, the report lists %d", legend[c], c, segments[c])
		}
	}
	if legend[qa.ClassMatch] == 0 {
		t.Errorf("legend: no match segment; the fixture plants %d cells of matches", 3)
	}
	if legend[qa.KindGap] != int64(rep.Gaps.Count) || legend[qa.KindOverlap] != int64(rep.Overlaps.Count) {
		t.Errorf("legend: %d gaps, %d overlaps; the report counts %d and %d", legend[qa.KindGap], legend[qa.KindOverlap], rep.Gaps.Count, rep.Overlaps.Count)
	}
	if got := meta.ValueCounts["kind"][qa.KindDangling]; got != int64(rep.Dangling) {
		t.Errorf("%d dangling features counted, the report counts %d", got, rep.Dangling)
	}
	var sum int64
	for _, n := range meta.ValueCounts["kind"] {
		sum += n
	}
	if sum != meta.FeatureCount {
		t.Errorf("kinds count %d features, the tileset holds %d", sum, meta.FeatureCount)
	}
}
