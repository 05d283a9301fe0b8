package compile

import (
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/twpayne/go-geos"

	"github.com/outcrop/outcrop/compile/qa"
	"github.com/outcrop/outcrop/data/borders"
)

// The fixture: two national maps along a stretch of the real Thailand–Lao
// border (Natural Earth 1:10m, data/borders), cut across the border into
// cells by parallel lines. Each cell holds one Thai and one Lao unit whose
// ages and lithologies plant a class; one cell's Thai map stops 2 km short of
// the border (a gap), one cell's Lao map spills 1.5 km into Thailand (an
// overlap). Everywhere else the Thai map falls 100 m short of the border and
// the Lao map spills 80 m over it: misalignment within the 250 m tolerance,
// to be snapped and not reported. Faults cross the border in some cells
// (fixtureFaults): a matched pair, three dangling ones, one inside Thailand.
// The Thai map and faults are written as shapefiles in Indian 1975 / UTM 47N
// (EPSG:24047), the map in CP874; the Lao ones as GeoPackages in WGS 84 /
// UTM 48N (EPSG:32648).

const (
	fixtureStretchKm  = 80.0
	fixtureHalfWidth  = 12000.0 // metres either side of the border
	fixtureToleranceM = 250.0
	thaShortM         = 100.0
	laoSpillM         = 80.0
	gapDepthM         = 2000.0
	overlapDepthM     = 1500.0
)

// The surveys' own colours of their unit P-granite: each survey's legend
// codes its units by age and lithology ("sym", e.g. P-granite), so both
// maps use some codes, each with its own colour.
const (
	fixtureTHAGranite = "#E4002B"
	fixtureLAOGranite = "#0057B8"
)

// cellPlan is what one cell plants: its class, and the two units' codes.
type cellPlan struct {
	class           string
	thaAge, thaLith string // source codes
	laoAge, laoLith string
	gap, overlap    bool
}

var fixtureCells = []cellPlan{
	{class: qa.ClassMatch, thaAge: "P", thaLith: "granite", laoAge: "P", laoLith: "granite"},
	{class: qa.ClassCompatible, thaAge: "P1", thaLith: "granite", laoAge: "P", laoLith: "granitoid"},
	{class: qa.ClassAgeMismatch, thaAge: "J", thaLith: "basalt", laoAge: "P", laoLith: "basalt"},
	{class: qa.ClassMatch, thaAge: "J", thaLith: "sandstone", laoAge: "J", laoLith: "sandstone", gap: true},
	{class: qa.ClassLithologyMismatch, thaAge: "P", thaLith: "sandstone", laoAge: "P1", laoLith: "basalt"},
	{class: qa.ClassBothMismatch, thaAge: "J", thaLith: "granite", laoAge: "P", laoLith: "sandstone"},
	{class: qa.ClassMatch, thaAge: "P", thaLith: "basalt", laoAge: "P", laoLith: "basalt", overlap: true},
	{class: qa.ClassCompatible, thaAge: "P", thaLith: "granite", laoAge: "P", laoLith: "granitoid"},
}

// fixture is the generated sources and the truth planted in them.
type fixture struct {
	config string
	frame  frame
	border *geos.Geom // the analysed stretch's border, in the frame
	tha    *geos.Geom // Thailand in the frame
	lao    *geos.Geom
	cover  *geos.Geom // the cells' union
	// lengthM is the planted border length per class; gapKm2 and
	// overlapKm2 the planted areas; gapPoly the gap, in the frame.
	lengthM    map[string]float64
	gapKm2     float64
	overlapKm2 float64
	gapPoly    *geos.Geom
	// dangling are the planted dangling faults' ends at the border (WGS
	// 84), by country; faults counts the faults planted in all.
	dangling []plantedEnd
	faults   int
}

// plantedEnd is where a dangling fault reaches the border.
type plantedEnd struct {
	country string
	at      orb.Point
}

// faultPlan plants faults across the border of a cell, at a fraction of
// the cell's border: a Thai fault ending 100 m short of the border and a
// Lao one cut at it, or only one of them; or a Thai fault 5 km inside.
type faultPlan struct {
	cell     int
	at       float64
	tha, lao bool
	inside   bool
}

var fixtureFaults = []faultPlan{
	{cell: 1, at: 0.5, tha: true, lao: true}, // matched
	{cell: 2, at: 0.5, tha: true},            // dangling in THA
	{cell: 4, at: 0.3, lao: true},            // dangling in LAO…
	{cell: 4, at: 0.7, tha: true},            // …and in THA, 3 km apart
	{cell: 6, at: 0.5, tha: true, inside: true},
}

func countryGEOS(t testing.TB, f frame, code string) *geos.Geom {
	t.Helper()
	fc, err := geojson.UnmarshalFeatureCollection(borders.ASEAN10m)
	if err != nil {
		t.Fatal(err)
	}
	for _, ft := range fc.Features {
		if ft.Properties["iso_a3"] == code {
			g, err := f.toGEOS(polygonsOf(ft.Geometry))
			if err != nil {
				t.Fatal(err)
			}
			return g
		}
	}
	t.Fatalf("no %s in the bundled borders", code)
	return nil
}

// newFixture writes the two sources, their mappings and the configuration
// into dir.
func newFixture(t testing.TB, dir string) *fixture {
	t.Helper()
	ogr := needTool(t, "ogr2ogr", "gdal-bin")
	fx := &fixture{frame: newFrame(17.5), lengthM: map[string]float64{}}
	fr := fx.frame
	fx.tha, fx.lao = countryGEOS(t, fr, "THA"), countryGEOS(t, fr, "LAO")
	eps := fr.dist(snapM)
	full := lineal(fx.tha.Boundary().Intersection(fx.lao.Buffer(eps, 4)))
	var longest *geos.Geom
	for _, l := range parts(full, 1) {
		if longest == nil || l.Length() > longest.Length() {
			longest = l
		}
	}
	coords, err := frameLine(longest)
	if err != nil {
		t.Fatal(err)
	}
	// The first stretch, from 10 % of the way along, that runs nearly
	// straight, so that the cells across it hold the border.
	stretch := fr.dist(fixtureStretchKm * 1000)
	var a, b orb.Point
	found := false
	for start := longest.Length() * 0.1; start+stretch < longest.Length(); start += fr.dist(5000) {
		a, b = substringPoint2(coords, start), substringPoint2(coords, start+stretch)
		if math.Hypot(b[0]-a[0], b[1]-a[1]) > 0.92*stretch {
			found = true
			break
		}
	}
	if !found {
		t.Fatal("no straight stretch of the THA–LAO border")
	}
	// Cuts perpendicular to the stretch's chord, so they never cross.
	dx, dy := b[0]-a[0], b[1]-a[1]
	n := math.Hypot(dx, dy)
	ux, uy := dx/n, dy/n // along
	nx, ny := -uy, ux    // across
	hw := fr.dist(fixtureHalfWidth)
	var cells []*geos.Geom
	for i := range fixtureCells {
		s0, s1 := n*float64(i)/float64(len(fixtureCells)), n*float64(i+1)/float64(len(fixtureCells))
		p0 := [2]float64{a[0] + ux*s0, a[1] + uy*s0}
		p1 := [2]float64{a[0] + ux*s1, a[1] + uy*s1}
		ring := [][]float64{
			{p0[0] - nx*hw, p0[1] - ny*hw}, {p1[0] - nx*hw, p1[1] - ny*hw},
			{p1[0] + nx*hw, p1[1] + ny*hw}, {p0[0] + nx*hw, p0[1] + ny*hw}, {p0[0] - nx*hw, p0[1] - ny*hw},
		}
		cells = append(cells, geos.NewPolygon([][][]float64{ring}))
	}
	fx.cover = polygonal(union(cells))
	fx.border = lineal(full.Intersection(fx.cover))
	short := fx.border.Buffer(fr.dist(thaShortM), 8)
	spill := polygonal(fx.border.Buffer(fr.dist(laoSpillM), 8).Intersection(fx.tha))

	var thaFeatures, laoFeatures []*geojson.Feature
	for i, plan := range fixtureCells {
		cell := cells[i]
		cellBorder := lineal(fx.border.Intersection(cell))
		tu := polygonal(cell.Intersection(fx.tha).Difference(short))
		lu := polygonal(cell.Intersection(fx.lao).Union(polygonal(spill.Intersection(cell))))
		borderM := fr.lengthM(cellBorder)
		if plan.gap {
			// The middle third of the cell's border, 2 km deep.
			cl, _ := frameLine(longestPart(cellBorder))
			third := longestPart(cellBorder).Length() / 3
			mid := geos.NewLineString(toCoords(substring(cl, third, 2*third)))
			fx.gapPoly = polygonal(mid.Buffer(fr.dist(gapDepthM), 8).Intersection(fx.tha).Intersection(cell))
			tu = polygonal(tu.Difference(fx.gapPoly))
			fx.gapKm2 = fr.areaKm2(fx.gapPoly)
			gapM := fr.lengthM(lineal(cellBorder.Intersection(fx.gapPoly.Buffer(eps, 4))))
			fx.lengthM[qa.ClassGap] += gapM
			borderM -= gapM
		}
		if plan.overlap {
			cl, _ := frameLine(longestPart(cellBorder))
			third := longestPart(cellBorder).Length() / 3
			mid := geos.NewLineString(toCoords(substring(cl, third, 2*third)))
			over := polygonal(mid.Buffer(fr.dist(overlapDepthM), 8).Intersection(fx.tha).Intersection(cell))
			fx.overlapKm2 = fr.areaKm2(over)
			lu = polygonal(lu.Union(over))
		}
		fx.lengthM[plan.class] += borderM
		tg, err := fr.toOrb(tu)
		if err != nil {
			t.Fatal(err)
		}
		lg, err := fr.toOrb(lu)
		if err != nil {
			t.Fatal(err)
		}
		tf := geojson.NewFeature(tg)
		tf.Properties = geojson.Properties{"code": "TH" + string(rune('A'+i)), "name_th": "หน่วยหิน " + string(rune('ก'+i)), "age": plan.thaAge, "lith": plan.thaLith, "sym": plan.thaAge + "-" + plan.thaLith}
		thaFeatures = append(thaFeatures, tf)
		lf := geojson.NewFeature(lg)
		lf.Properties = geojson.Properties{"unit_code": "LA" + string(rune('A'+i)), "nom": "ໜ່ວຍຫີນ " + string(rune('ກ'+i)), "periode": plan.laoAge, "roche": plan.laoLith, "sym": plan.laoAge + "-" + plan.laoLith}
		laoFeatures = append(laoFeatures, lf)
	}

	// Faults across the border, perpendicular to the stretch's chord.
	var thaFaults, laoFaults []*geojson.Feature
	thaPrep := fx.tha.Prepare()
	for k, plan := range fixtureFaults {
		cellBorder := longestPart(lineal(fx.border.Intersection(cells[plan.cell])))
		cl, _ := frameLine(cellBorder)
		m := substringPoint2(cl, cellBorder.Length()*plan.at)
		sign := 1.0 // towards Thailand
		if !thaPrep.ContainsXY(m[0]+nx*fr.dist(1000), m[1]+ny*fr.dist(1000)) {
			sign = -1
		}
		at := func(metres float64) []float64 {
			d := sign * fr.dist(metres)
			return []float64{m[0] + nx*d, m[1] + ny*d}
		}
		fault := func(from, to float64) orb.Geometry {
			g, err := fr.toOrb(geos.NewLineString([][]float64{at(from), at(to)}))
			if err != nil {
				t.Fatal(err)
			}
			return g
		}
		wgs := func(p []float64) orb.Point { return orb.Point{p[0] / fr.k, p[1]} }
		if plan.tha {
			f := geojson.NewFeature(fault(thaShortM, 6000))
			if plan.inside {
				f = geojson.NewFeature(fault(5000, 9000))
			}
			f.Properties = geojson.Properties{"fault_id": fmt.Sprintf("THF%d", k)}
			thaFaults = append(thaFaults, f)
			if !plan.lao && !plan.inside {
				fx.dangling = append(fx.dangling, plantedEnd{"THA", wgs(at(thaShortM))})
			}
		}
		if plan.lao {
			f := geojson.NewFeature(fault(-6000, laoSpillM))
			f.Properties = geojson.Properties{"fault_id": fmt.Sprintf("LAF%d", k)}
			laoFaults = append(laoFaults, f)
			if !plan.tha {
				fx.dangling = append(fx.dangling, plantedEnd{"LAO", wgs(m[:])})
			}
		}
	}
	fx.faults = len(thaFaults) + len(laoFaults)

	writeGeoJSON := func(name string, fs []*geojson.Feature) string {
		fc := geojson.NewFeatureCollection()
		fc.Features = fs
		b, err := fc.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	run := func(args ...string) {
		if out, err := exec.Command(ogr, args...).CombinedOutput(); err != nil {
			t.Fatalf("ogr2ogr %v: %v\n%s", args, err, out)
		}
	}
	os.MkdirAll(filepath.Join(dir, "th"), 0o755)
	os.MkdirAll(filepath.Join(dir, "la"), 0o755)
	run("-f", "ESRI Shapefile", "-t_srs", "EPSG:24047", "-lco", "ENCODING=CP874", filepath.Join(dir, "th", "units.shp"), writeGeoJSON("th.geojson", thaFeatures))
	run("-f", "GPKG", "-t_srs", "EPSG:32648", "-nln", "units", filepath.Join(dir, "la", "units.gpkg"), writeGeoJSON("la.geojson", laoFeatures))
	run("-f", "ESRI Shapefile", "-t_srs", "EPSG:24047", filepath.Join(dir, "th", "faults.shp"), writeGeoJSON("th-faults.geojson", thaFaults))
	run("-f", "GPKG", "-t_srs", "EPSG:32648", "-nln", "faults", filepath.Join(dir, "la", "faults.gpkg"), writeGeoJSON("la-faults.geojson", laoFaults))

	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("th.yaml", `view: GeologicUnitView
fields:
  identifier: {template: "dmr:{code}"}
  name: name_th
  representativeAge_uri: {from: age, values: {P: Permian, P1: Cisuralian, J: Jurassic}}
  representativeLithology_uri: {from: lith, values: {granite: granite, basalt: basalt, sandstone: generic_sandstone}}
legend:
  unit: sym
  colours: {P-granite: "`+fixtureTHAGranite+`"}
`)
	write("la.yaml", `view: GeologicUnitView
fields:
  identifier: {template: "dgm:{unit_code}"}
  name: nom
  source: {template: "DGM sheet {unit_code}"}
  representativeAge_uri: {from: periode, values: {P: Permian, P1: Cisuralian, J: Jurassic}}
  representativeLithology_uri: {from: roche, values: {granite: granite, granitoid: granitoid, basalt: basalt, sandstone: generic_sandstone}}
legend:
  unit: sym
  colours: {P-granite: "`+fixtureLAOGranite+`"}
`)
	write("th-la.yaml", `id: th-la-geology
title: Thailand and Lao PDR geology, compiled
tolerance_m: 250
sources:
  - country: THA
    file: th/units.shp
    mapping: th.yaml
    attribution: Department of Mineral Resources, Thailand
    lines:
      faults: th/faults.shp
  - country: LAO
    file: la/units.gpkg
    layer: units
    mapping: la.yaml
    attribution: Department of Geology and Mines, Lao PDR
    lines:
      faults: {file: la/faults.gpkg, layer: faults}
`)
	fx.config = filepath.Join(dir, "th-la.yaml")
	return fx
}

func longestPart(g *geos.Geom) *geos.Geom {
	var best *geos.Geom
	for _, l := range parts(g, 1) {
		if best == nil || l.Length() > best.Length() {
			best = l
		}
	}
	return best
}

func toCoords(ls orb.LineString) [][]float64 {
	out := make([][]float64, len(ls))
	for i, p := range ls {
		out[i] = []float64{p[0], p[1]}
	}
	return out
}

// substringPoint2 is the point at planar distance at along ls.
func substringPoint2(ls orb.LineString, at float64) orb.Point {
	s := substring(ls, at, at)
	if len(s) == 0 {
		return ls[len(ls)-1]
	}
	return s[0]
}

// needTool returns the path of a command-line tool, or skips the test when
// it is missing; under CI a missing tool fails the test instead.
func needTool(t testing.TB, name, debianPackage string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is not installed: apt-get install %s (CI is set, so this is a failure, not a skip)", name, debianPackage)
	}
	t.Skipf("%s is not installed: apt-get install %s", name, debianPackage)
	return ""
}
