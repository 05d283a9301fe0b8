package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/store"
	"github.com/outcrop/outcrop/tileset"
)

// The OGC fixture adds two tilesets with stored features to the geology and
// faults tilesets of newFixture (which have none, like files written before
// features were stored):
//
//   - "occurrences": ogcOccurrenceCount points on a grid, one every degree from
//     100°E 0°N eastwards and northwards, ten to a row; feature i (1-based)
//     lies at (100 + (i-1)%10, (i-1)/10), with commodity Cu for odd ids and Au
//     for even ones, rank i%5, grade i/10, active for multiples of 3, found
//     (the time field) on 1 January 19ii, i.e. 1901-01-01 to 1995-01-01.
//   - "units": three polygons: a square with a square hole, a square beside
//     it, and a multipolygon of two small squares far apart.
const (
	ogcOccurrencesID   = "occurrences"
	ogcOccurrenceCount = 95
	ogcUnitsID         = "units"
	// ogcTrickyName is a property value that becomes markup if a page does not
	// escape it.
	ogcTrickyName = `<script>alert("x")</script> & Ōkuma`
)

var ogcOccurrenceFields = []tileset.Field{
	{Name: "name", Type: "string"},
	{Name: "commodity", Type: "string"},
	{Name: "rank", Type: "integer"},
	{Name: "grade", Type: "real"},
	{Name: "active", Type: "boolean"},
	{Name: "found", Type: "date"},
}

// ogcOccurrencePoint is where occurrence id lies.
func ogcOccurrencePoint(id int) orb.Point {
	return orb.Point{100 + float64((id-1)%10), float64((id - 1) / 10)}
}

func ogcOccurrenceFeatures() []*geojson.Feature {
	var fs []*geojson.Feature
	for i := 1; i <= ogcOccurrenceCount; i++ {
		f := geojson.NewFeature(ogcOccurrencePoint(i))
		f.ID = i
		commodity := "Cu"
		if i%2 == 0 {
			commodity = "Au"
		}
		name := fmt.Sprintf("Occurrence %d", i)
		if i == 7 {
			name = ogcTrickyName
		}
		f.Properties = geojson.Properties{
			"name": name, "commodity": commodity, "rank": i % 5, "grade": float64(i) / 10,
			"active": i%3 == 0, "found": fmt.Sprintf("19%02d-01-01", i),
		}
		fs = append(fs, f)
	}
	return fs
}

// The units: holed is 0..10 with a hole 4..6; beside is 12..14; pair is two
// 1° squares at 30 and 40.
var (
	ogcUnitHoled = orb.Polygon{
		{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}},
		{{4, 4}, {4, 6}, {6, 6}, {6, 4}, {4, 4}},
	}
	ogcUnitBeside = orb.Polygon{{{12, 0}, {14, 0}, {14, 2}, {12, 2}, {12, 0}}}
	ogcUnitPair   = orb.MultiPolygon{
		{{{30, 30}, {31, 30}, {31, 31}, {30, 31}, {30, 30}}},
		{{{40, 30}, {41, 30}, {41, 31}, {40, 31}, {40, 30}}},
	}
)

func ogcUnitFeatures() []*geojson.Feature {
	var fs []*geojson.Feature
	for i, g := range []orb.Geometry{ogcUnitHoled, ogcUnitBeside, ogcUnitPair} {
		f := geojson.NewFeature(g)
		f.ID = i + 1
		f.Properties = geojson.Properties{"code": []string{"Ag", "Bq", "Cz"}[i], "age_ma": 100 * float64(i+1)}
		fs = append(fs, f)
	}
	return fs
}

// writeFeatureTileset commits a tileset of features (and no tiles) to dir,
// with metadata completed as ingest would, timeField ("" for none) as its
// temporal property.
func writeFeatureTileset(t testing.TB, dir, id, title string, fields []tileset.Field, features []*geojson.Feature, timeField string) *tileset.Metadata {
	t.Helper()
	w, err := tileset.Create(dir, id)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.PutFeatures(features); err != nil {
		w.Abort()
		t.Fatal(err)
	}
	b := features[0].Geometry.Bound()
	for _, f := range features {
		b = b.Union(f.Geometry.Bound())
	}
	c := b.Center()
	meta := &tileset.Metadata{
		Title: title, Description: "Test features of " + id, Attribution: "Outcrop tests", License: "CC0-1.0",
		Layer: id, GeometryType: "mixed", Fields: fields,
		Bounds: [4]float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}, Center: [3]float64{c[0], c[1], 4},
		MinZoom: 0, MaxZoom: 6,
	}
	if timeField != "" {
		meta.Time = &tileset.Temporal{Field: timeField}
		for i, f := range features {
			v, _ := f.Properties[timeField].(string)
			iv, ok := tileset.ParseTime(v)
			switch {
			case !ok:
				meta.Time.Undated++
			case i == 0:
				meta.Time.Extent = iv
			default:
				meta.Time.Extent = meta.Time.Extent.Union(iv)
			}
		}
	}
	if err := w.Commit(meta); err != nil {
		t.Fatal(err)
	}
	return meta
}

// newOGCFixture is newFixture plus the occurrences and units tilesets.
func newOGCFixture(t testing.TB) *fixture {
	t.Helper()
	dir := t.TempDir()
	f := &fixture{dir: dir, logs: new(bytes.Buffer)}
	f.geology = writeGeology(t, dir, "Hamersley geology")
	writeFaults(t, dir)
	writeFeatureTileset(t, dir, ogcOccurrencesID, "Copper & gold occurrences", ogcOccurrenceFields, ogcOccurrenceFeatures(), "found")
	writeFeatureTileset(t, dir, ogcUnitsID, "Units", []tileset.Field{{Name: "code", Type: "string"}, {Name: "age_ma", Type: "real"}}, ogcUnitFeatures(), "")
	st, err := store.Open(dir, store.Options{PollInterval: -1, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f.store = st
	f.handler = New(Config{Catalog: st, Logger: slog.New(slog.NewTextHandler(f.logs, nil))})
	return f
}

// featureCollectionDoc is an items response as a client reads it.
type featureCollectionDoc struct {
	Type     string `json:"type"`
	Features []struct {
		Type       string          `json:"type"`
		ID         json.Number     `json:"id"`
		Geometry   json.RawMessage `json:"geometry"`
		Properties map[string]any  `json:"properties"`
	} `json:"features"`
	NumberMatched  *int64 `json:"numberMatched"`
	NumberReturned *int   `json:"numberReturned"`
	TimeStamp      string `json:"timeStamp"`
	Links          []link `json:"links"`
}

// getItems fetches an items URL and decodes the page, failing unless the
// answer is 200 GeoJSON.
func (f *fixture) getItems(t testing.TB, target string, kv ...string) featureCollectionDoc {
	t.Helper()
	w := f.get(t, target, kv...)
	if w.Code != http.StatusOK {
		t.Fatalf("GET %s: status %d, body %q", target, w.Code, w.Body.String())
	}
	if ct := w.Header().Get("Content-Type"); ct != geoJSONType {
		t.Fatalf("GET %s: Content-Type %q, want %s", target, ct, geoJSONType)
	}
	var doc featureCollectionDoc
	dec := json.NewDecoder(w.Body)
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("GET %s: decoding: %v", target, err)
	}
	if doc.Type != "FeatureCollection" || doc.NumberMatched == nil || doc.NumberReturned == nil || *doc.NumberReturned != len(doc.Features) {
		t.Fatalf("GET %s: type %q, numberMatched %v, numberReturned %v for %d features", target, doc.Type, doc.NumberMatched, doc.NumberReturned, len(doc.Features))
	}
	if _, err := time.Parse(time.RFC3339, doc.TimeStamp); err != nil {
		t.Errorf("GET %s: timeStamp %q: %v", target, doc.TimeStamp, err)
	}
	return doc
}

// ids lists the feature ids of a page.
func (d featureCollectionDoc) ids() []int {
	var out []int
	for _, f := range d.Features {
		n, _ := f.ID.Int64()
		out = append(out, int(n))
	}
	return out
}

// linkHref returns the href of the first link with rel and type, "" if none.
func linkHref(links []link, rel, typ string) string {
	for _, l := range links {
		if l.Rel == rel && (typ == "" || l.Type == typ) {
			return l.Href
		}
	}
	return ""
}

// pathOf strips the scheme and host of a link for serving it again.
func pathOf(t testing.TB, href string) string {
	t.Helper()
	rest, ok := strings.CutPrefix(href, "http://example.com")
	if !ok {
		t.Fatalf("link %q is not on http://example.com", href)
	}
	return rest
}

// getHTML fetches a page and fails unless it is 200 HTML with the
// page's security headers.
func (f *fixture) getHTML(t testing.TB, target string, kv ...string) string {
	t.Helper()
	w := f.get(t, target, kv...)
	if w.Code != http.StatusOK {
		t.Fatalf("GET %s: status %d, body %q", target, w.Code, w.Body.String())
	}
	if ct := w.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Fatalf("GET %s: Content-Type %q", target, ct)
	}
	if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("GET %s: Content-Security-Policy %q", target, csp)
	}
	return w.Body.String()
}
