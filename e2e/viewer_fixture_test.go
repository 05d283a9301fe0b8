package e2e

import (
	"context"
	"image"
	"image/color"
	"math"
	"sort"
	"strconv"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/tiles"
	"github.com/outcrop/outcrop/tileset"
)

// The viewer test's data, in WGS 84: two big squares with a gap between
// them and a fault line below them (tileset "geology"), and two points in
// the gap, above and below the squares (tileset "occurrences").
var (
	viewerAlpha = orb.Polygon{{{100, -5}, {110, -5}, {110, 5}, {100, 5}, {100, -5}}}
	viewerBeta  = orb.Polygon{{{115, -5}, {125, -5}, {125, 5}, {115, 5}, {115, -5}}}
	viewerFault = orb.LineString{{100, -10}, {125, -10}}
	viewerCu1   = orb.Point{112.5, 8}
	viewerCu2   = orb.Point{112.5, -8}
	// An attribute and an attribution that would become markup if the
	// viewer put them into the page as HTML.
	viewerTrickyCode = `<b>KT</b> & "x"<img src=x>`
	viewerTrickyAttr = `Test Survey <i>2026</i>`
)

// viewerPlaces are the points whose pixels the test checks.
var viewerPlaces = map[string]orb.Point{
	"alpha": viewerAlpha.Bound().Center(),
	"beta":  viewerBeta.Bound().Center(),
	"gap":   {112.5, 0},  // between the squares: no data
	"south": {102, -7.5}, // below Alpha, above the fault: no data
	"fault": {106, -10},
	"cu1":   viewerCu1,
	"cu2":   viewerCu2,
	"nw":    {100, 8}, // the corners of all the data
	"se":    {125, -10},
}

// viewerWriteStore writes the two test tilesets into dir.
func viewerWriteStore(t *testing.T, dir string) {
	t.Helper()
	viewerWriteTileset(t, dir, "geology", tileset.Metadata{
		Title:       "Test geology",
		Description: "Two units and a fault",
		Attribution: viewerTrickyAttr,
	}, []*geojson.Feature{
		viewerFeature(1, viewerAlpha, geojson.Properties{"name": "Alpha", "code": viewerTrickyCode, "age_ma": 66.5, "unit_id": 7}),
		viewerFeature(2, viewerBeta, geojson.Properties{"name": "Beta", "code": "Pz", "age_ma": 300.0, "unit_id": 8}),
		viewerFeature(3, viewerFault, geojson.Properties{"name": "Main fault"}),
	})
	viewerWriteTileset(t, dir, "occurrences", tileset.Metadata{
		Title:       "Copper occurrences",
		Description: "Synthetic points made by the test",
		Attribution: "Outcrop tests",
	}, []*geojson.Feature{
		viewerFeature(1, viewerCu1, geojson.Properties{"name": "Cu-1", "commodity": "Cu"}),
		viewerFeature(2, viewerCu2, geojson.Properties{"name": "Cu-2", "commodity": "Cu"}),
	})
}

func viewerFeature(id int, g orb.Geometry, props geojson.Properties) *geojson.Feature {
	f := geojson.NewFeature(g)
	f.ID = id
	f.Properties = props
	return f
}

// viewerWriteTileset cuts features at zooms 0 to 6, stores them in full and
// commits them as tileset id in dir, completing meta as ingest would.
func viewerWriteTileset(t *testing.T, dir, id string, meta tileset.Metadata, features []*geojson.Feature) {
	t.Helper()
	w, err := tileset.Create(dir, id)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	var batch []tileset.Tile
	stats, err := tiles.Cut(context.Background(), features, tiles.Options{Layer: id, MinZoom: 0, MaxZoom: 6, Workers: 1},
		func(tile tileset.Tile) error {
			batch = append(batch, tile)
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.PutTiles(batch); err != nil {
		t.Fatal(err)
	}
	// The features themselves too, for the OGC API items the viewer's
	// search asks.
	if err := w.PutFeatures(features); err != nil {
		t.Fatal(err)
	}
	bound := features[0].Geometry.Bound()
	kinds := map[string]bool{}
	fields := map[string]string{}
	for _, f := range features {
		bound = bound.Union(f.Geometry.Bound())
		switch f.Geometry.Dimensions() {
		case 0:
			kinds["point"] = true
		case 1:
			kinds["line"] = true
		default:
			kinds["polygon"] = true
		}
		for k, v := range f.Properties {
			switch v.(type) {
			case int:
				fields[k] = "integer"
			case float64:
				fields[k] = "real"
			default:
				fields[k] = "string"
			}
		}
	}
	meta.Layer = id
	meta.GeometryType = "mixed"
	for k := range kinds {
		if len(kinds) == 1 {
			meta.GeometryType = k
		}
	}
	for name, typ := range fields {
		meta.Fields = append(meta.Fields, tileset.Field{Name: name, Type: typ})
	}
	sort.Slice(meta.Fields, func(i, j int) bool { return meta.Fields[i].Name < meta.Fields[j].Name })
	meta.Bounds = [4]float64{bound.Min[0], bound.Min[1], bound.Max[0], bound.Max[1]}
	c := bound.Center()
	meta.Center = [3]float64{c[0], c[1], 4}
	meta.MinZoom, meta.MaxZoom = 0, 6
	meta.FeatureCount = int64(len(features))
	meta.Zooms = stats.Zooms
	if err := w.Commit(&meta); err != nil {
		t.Fatal(err)
	}
}

// viewerShot is a screenshot with the CSS pixel positions of viewerPlaces
// as the map projected them.
type viewerShot struct {
	img   image.Image
	scale float64 // screenshot pixels per CSS pixel
	px    map[string][2]float64
}

// at is the screenshot pixel of a named place.
func (s viewerShot) at(name string) (int, int) {
	p := s.px[name]
	return int(math.Round(p[0] * s.scale)), int(math.Round(p[1] * s.scale))
}

// expect checks that the pixel at a named place is within tol of want.
func (s viewerShot) expect(t *testing.T, name string, want color.RGBA, tol int, what string) {
	t.Helper()
	x, y := s.at(name)
	if !image.Pt(x, y).In(s.img.Bounds()) {
		t.Errorf("%s (%s) projects to pixel %d,%d, outside the %v screenshot", name, what, x, y, s.img.Bounds())
		return
	}
	got := color.RGBAModel.Convert(s.img.At(x, y)).(color.RGBA)
	if d := viewerColorDist(got, want); d > tol {
		t.Errorf("pixel %d,%d at %s (%s) is %v, want %v ± %d", x, y, name, what, got, want, tol)
	}
}

// expectNear checks that a pixel within r rows of a named place is within
// tol of want: thin lines straddle rows.
func (s viewerShot) expectNear(t *testing.T, name string, r int, want color.RGBA, tol int, what string) {
	t.Helper()
	x, y := s.at(name)
	for dy := -r; dy <= r; dy++ {
		if viewerColorDist(color.RGBAModel.Convert(s.img.At(x, y+dy)).(color.RGBA), want) <= tol {
			return
		}
	}
	t.Errorf("no pixel within %d rows of %d,%d at %s (%s) is %v ± %d", r, x, y, name, what, want, tol)
}

// viewerParseColor reads a CSS #rrggbb colour, the form the viewer uses.
func viewerParseColor(t *testing.T, s string) color.RGBA {
	t.Helper()
	if len(s) != 7 || s[0] != '#' {
		t.Fatalf("colour %q is not #rrggbb", s)
	}
	v, err := strconv.ParseUint(s[1:], 16, 32)
	if err != nil {
		t.Fatalf("colour %q: %v", s, err)
	}
	return color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 255}
}

// viewerBlend is fg drawn with opacity a over bg.
func viewerBlend(fg, bg color.RGBA, a float64) color.RGBA {
	mix := func(f, b uint8) uint8 { return uint8(math.Round(a*float64(f) + (1-a)*float64(b))) }
	return color.RGBA{mix(fg.R, bg.R), mix(fg.G, bg.G), mix(fg.B, bg.B), 255}
}

// viewerColorDist is the largest difference in one channel.
func viewerColorDist(a, b color.RGBA) int {
	d := 0
	for _, c := range [][2]uint8{{a.R, b.R}, {a.G, b.G}, {a.B, b.B}} {
		d = max(d, int(math.Abs(float64(c[0])-float64(c[1]))))
	}
	return d
}
