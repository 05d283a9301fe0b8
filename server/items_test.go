package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestItemsFirstPage(t *testing.T) {
	f := newOGCFixture(t)
	doc := f.getItems(t, "/collections/occurrences/items")
	if *doc.NumberMatched != ogcOccurrenceCount || !slices.Equal(doc.ids(), []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}) {
		t.Fatalf("matched %d, ids %v; want %d and 1 to 10", *doc.NumberMatched, doc.ids(), ogcOccurrenceCount)
	}
	first := doc.Features[0]
	if first.Type != "Feature" || first.Properties["commodity"] != "Cu" || first.Properties["rank"] != json.Number("1") {
		t.Errorf("feature 1 = %+v", first)
	}
	var g struct {
		Type        string    `json:"type"`
		Coordinates []float64 `json:"coordinates"`
	}
	if err := json.Unmarshal(doc.Features[4].Geometry, &g); err != nil || g.Type != "Point" || !slices.Equal(g.Coordinates, []float64{104, 0}) {
		t.Errorf("feature 5 geometry = %s, want Point at 104,0", doc.Features[4].Geometry)
	}
	for rel, want := range map[string]string{
		"self":       "http://example.com/collections/occurrences/items?f=json&limit=10",
		"alternate":  "http://example.com/collections/occurrences/items?f=html&limit=10",
		"next":       "http://example.com/collections/occurrences/items?f=json&limit=10&offset=10",
		"collection": "http://example.com/collections/occurrences",
	} {
		if got := linkHref(doc.Links, rel, ""); got != want {
			t.Errorf("%s link = %q, want %q", rel, got, want)
		}
	}
	if linkHref(doc.Links, "prev", "") != "" {
		t.Error("the first page has a prev link")
	}
	if got := linkHref(doc.Links, "next", geoJSONType); got == "" {
		t.Error("the next link is not typed application/geo+json")
	}
}

// TestItemsPagingFollowsNext follows next links, as QGIS and GDAL do, and
// checks that every matching feature comes exactly once, in id order, and
// that each page repeats the query.
func TestItemsPagingFollowsNext(t *testing.T) {
	f := newOGCFixture(t)
	for _, tc := range []struct {
		name, query string
		keep        func(id int) bool
	}{
		{"everything", "limit=7", func(int) bool { return true }},
		{"bbox and filter", "bbox=101.5,0.5,105.5,6.5&commodity=Au&limit=3&properties=name,rank", func(id int) bool {
			p := ogcOccurrencePoint(id)
			return id%2 == 0 && p[0] >= 101.5 && p[0] <= 105.5 && p[1] >= 0.5 && p[1] <= 6.5
		}},
		{"limit one", "commodity=Cu&rank=2&limit=1", func(id int) bool { return id%2 == 1 && id%5 == 2 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := expectOccurrences(tc.keep)
			var got []int
			target := "/collections/occurrences/items?" + tc.query
			q, _ := url.ParseQuery(tc.query)
			for pages := 0; target != ""; pages++ {
				if pages > ogcOccurrenceCount+1 {
					t.Fatal("next links do not end")
				}
				doc := f.getItems(t, target)
				if *doc.NumberMatched != int64(len(want)) {
					t.Fatalf("%s: numberMatched %d, want %d", target, *doc.NumberMatched, len(want))
				}
				got = append(got, doc.ids()...)
				if q.Has("properties") {
					for _, ft := range doc.Features {
						if len(ft.Properties) != 2 || ft.Properties["name"] == nil || ft.Properties["rank"] == nil {
							t.Fatalf("%s: properties %v, want only name and rank", target, ft.Properties)
						}
					}
				}
				next := linkHref(doc.Links, "next", geoJSONType)
				if next == "" {
					break
				}
				nq, _ := url.ParseQuery(strings.SplitN(next, "?", 2)[1])
				for k, v := range q {
					if !slices.Equal(nq[k], v) {
						t.Fatalf("next link %s drops or changes %s=%v", next, k, v)
					}
				}
				target = pathOf(t, next)
			}
			if !slices.Equal(got, want) {
				t.Errorf("ids through next links = %v, want %v", got, want)
			}
		})
	}
}

func seq(from, to int) []int {
	var out []int
	for i := from; i <= to; i++ {
		out = append(out, i)
	}
	return out
}

// expectOccurrences lists the occurrence ids for which keep holds.
func expectOccurrences(keep func(id int) bool) []int {
	var out []int
	for i := 1; i <= ogcOccurrenceCount; i++ {
		if keep(i) {
			out = append(out, i)
		}
	}
	return out
}

func TestItemsPrevLink(t *testing.T) {
	f := newOGCFixture(t)
	doc := f.getItems(t, "/collections/occurrences/items?limit=10&offset=25&commodity=Cu")
	if got := doc.ids(); len(got) != 10 || got[0] != 51 {
		t.Errorf("ids = %v, want 10 from 51 (the 26th odd id)", got)
	}
	if got := linkHref(doc.Links, "prev", ""); got != "http://example.com/collections/occurrences/items?f=json&commodity=Cu&limit=10&offset=15" {
		t.Errorf("prev = %q", got)
	}
	// A page past the end is empty, with a prev link and no next.
	doc = f.getItems(t, "/collections/occurrences/items?offset=500")
	if len(doc.Features) != 0 || *doc.NumberMatched != ogcOccurrenceCount || linkHref(doc.Links, "next", "") != "" || linkHref(doc.Links, "prev", "") == "" {
		t.Errorf("past the end: %d features, matched %d, links %+v", len(doc.Features), *doc.NumberMatched, doc.Links)
	}
}

func TestItemsBBox(t *testing.T) {
	f := newOGCFixture(t)
	for _, tc := range []struct {
		name, bbox string
		want       []int
	}{
		// The box lies in the hole of unit 1: only an exact test leaves it out.
		{"inside the hole", "4.5,4.5,5.5,5.5", nil},
		{"across the hole's edge", "5.5,5.5,6.5,6.5", []int{1}},
		{"touching the edge", "10,1,11,2", []int{1}},
		{"between two units", "10.5,0,11.5,1", nil},
		// Between the two parts of the multipolygon: its envelope meets the
		// box, its geometry does not.
		{"between the parts", "34,29,36,32", nil},
		{"on one part", "40.5,30.5,50,50", []int{3}},
		{"percent-encoded commas", "0%2C0%2C13%2C1", []int{1, 2}},
		{"six numbers", "0,0,-100,13,1,100", []int{1, 2}},
		{"whole world", "-180,-90,180,90", []int{1, 2, 3}},
	} {
		doc := f.getItems(t, "/collections/units/items?bbox="+tc.bbox)
		if got := doc.ids(); !slices.Equal(got, tc.want) || *doc.NumberMatched != int64(len(tc.want)) {
			t.Errorf("%s: bbox=%s gives %v (matched %d), want %v", tc.name, tc.bbox, got, *doc.NumberMatched, tc.want)
		}
	}
	doc := f.getItems(t, "/collections/occurrences/items?bbox=100,0,101,1&limit=100")
	if got := doc.ids(); !slices.Equal(got, []int{1, 2, 11, 12}) {
		t.Errorf("points on the box's edges: %v, want 1 2 11 12", got)
	}
}

func TestItemsFilters(t *testing.T) {
	f := newOGCFixture(t)
	for _, tc := range []struct {
		query string
		keep  func(int) bool
	}{
		{"commodity=Au", func(i int) bool { return i%2 == 0 }},
		{"rank=3", func(i int) bool { return i%5 == 3 }},
		{"rank=3.0", func(i int) bool { return i%5 == 3 }},
		{"grade=1.5", func(i int) bool { return i == 15 }},
		{"active=true&commodity=Cu", func(i int) bool { return i%3 == 0 && i%2 == 1 }},
		{"found=1942-01-01", func(i int) bool { return i == 42 }},
		{"name=" + url.QueryEscape(ogcTrickyName), func(i int) bool { return i == 7 }},
		{"commodity=Zn", func(int) bool { return false }},
		// q: free text in any string property, whatever its case.
		{"q=occurrence+4", func(i int) bool { return i == 4 || i/10 == 4 }},
		{"q=AU", func(i int) bool { return i%2 == 0 }},
		{"q=" + url.QueryEscape("ŌKUMA"), func(i int) bool { return i == 7 }},
		{"q=1942", func(i int) bool { return i == 42 }}, // the found date, a string
		{"q=u&commodity=Au", func(i int) bool { return i%2 == 0 }},
		{"q=zinc", func(int) bool { return false }},
	} {
		doc := f.getItems(t, "/collections/occurrences/items?limit=1000&"+tc.query)
		if want := expectOccurrences(tc.keep); !slices.Equal(doc.ids(), want) {
			t.Errorf("%s: ids %v, want %v", tc.query, doc.ids(), want)
		}
	}
}

func TestItemsLimit(t *testing.T) {
	f := newOGCFixture(t)
	for _, tc := range []struct {
		limit     string
		wantLimit int
	}{
		{"1", 1},
		{"10000", 10000},
		{"10001", maxLimit},
		{"99999999999999999999999", maxLimit},
	} {
		doc := f.getItems(t, "/collections/occurrences/items?limit="+tc.limit)
		if len(doc.Features) != min(tc.wantLimit, ogcOccurrenceCount) {
			t.Errorf("limit=%s: %d features", tc.limit, len(doc.Features))
		}
		if self := linkHref(doc.Links, "self", ""); !strings.HasSuffix(self, "limit="+strconv.Itoa(tc.wantLimit)) {
			t.Errorf("limit=%s: self %s does not state the limit applied, %d", tc.limit, self, tc.wantLimit)
		}
	}
}

func TestItemsProperties(t *testing.T) {
	f := newOGCFixture(t)
	w := f.get(t, "/collections/occurrences/items?properties=rank,name&limit=1")
	if !strings.Contains(w.Body.String(), `"properties":{"rank":1,"name":"Occurrence 1"}`) {
		t.Errorf("properties=rank,name: body %s", w.Body.String())
	}
	doc := f.getItems(t, "/collections/occurrences/items?properties=&limit=2")
	for _, ft := range doc.Features {
		if len(ft.Properties) != 0 {
			t.Errorf("properties= (empty) keeps %v", ft.Properties)
		}
	}
	// Stored features carry a bbox for lines and polygons; it is kept.
	w = f.get(t, "/collections/units/items?properties=code&limit=1")
	if !strings.Contains(w.Body.String(), `"bbox":[0,0,10,10]`) || !strings.Contains(w.Body.String(), `"properties":{"code":"Ag"}`) {
		t.Errorf("units with properties=code: %s", w.Body.String())
	}
}

func TestItemsOfTilesetWithoutFeatures(t *testing.T) {
	f := newOGCFixture(t)
	doc := f.getItems(t, "/collections/geology/items")
	if *doc.NumberMatched != 0 || len(doc.Features) != 0 || doc.Features == nil {
		t.Errorf("tileset without features: matched %d, features %v", *doc.NumberMatched, doc.Features)
	}
}

func TestItemsBadRequests(t *testing.T) {
	f := newOGCFixture(t)
	for _, tc := range []struct{ query, mention string }{
		{"bbox=1,2,3", "3 numbers"},
		{"bbox=1,2,3,4,5", "5 numbers"},
		{"bbox=10,0,5,1", "antimeridian"},
		{"bbox=0,10,1,5", "latitude"},
		{"bbox=-181,0,0,1", "longitudes"},
		{"bbox=0,-91,1,1", "latitudes"},
		{"bbox=0,0,1,NaN", "not a number"},
		{"bbox=a,b,c,d", "not a number"},
		{"bbox=", "numbers"},
		{"bbox=0,0,1,1&bbox=0,0,2,2", "given 2 times"},
		{"bbox-crs=EPSG:4326&bbox=0,0,1,1", "CRS"},
		{"bbox-crs=" + url.QueryEscape(crs84), "without bbox"},
		{"crs=EPSG:3857", "CRS"},
		{"limit=-1", "negative"},
		{"limit=0", "below 1"},
		{"limit=ten", "whole number"},
		{"limit=1.5", "whole number"},
		{"limit=", "empty"},
		{"offset=-10", "negative"},
		{"offset=%2B5", "whole number"},
		{"nosuch=1", "unknown parameter"},
		{"Commodity=Cu", "unknown parameter"},
		{"rank=high", "number"},
		{"active=yes", "true or false"},
		{"properties=name,nosuch", "nosuch"},
		{"datetime=2020-13-01", "datetime"},
		{"datetime=2020-02-01/2020-01-01", "ends before it starts"},
		{"f=xml", "f=json"},
		{"name=%zz", "URL encoding"},
		{"a=1;b=2", "URL encoding"},
		{"q=", "parameter q is empty"},
		{"q=+", "parameter q is empty"},
		{"q=" + strings.Repeat("x", maxQ+1), "parameter q is 201 bytes"},
		{"q=a&q=b", "given 2 times"},
	} {
		w := f.get(t, "/collections/occurrences/items?"+tc.query)
		e := wantError(t, w, http.StatusBadRequest, "InvalidParameterValue")
		if !strings.Contains(e.Description, tc.mention) || strings.Contains(e.Description, "\n") {
			t.Errorf("%s: description %q, want one line mentioning %q", tc.query, e.Description, tc.mention)
		}
	}
	wantError(t, f.get(t, "/collections/nosuch/items"), http.StatusNotFound, "NotFound")
}

func TestItemsHeadAndETag(t *testing.T) {
	f := newOGCFixture(t)
	w := f.do(t, http.MethodHead, "/collections/occurrences/items?limit=5", nil)
	if w.Code != http.StatusOK || w.Body.Len() != 0 || w.Header().Get("Content-Type") != geoJSONType {
		t.Errorf("HEAD: %d, %d bytes, %q", w.Code, w.Body.Len(), w.Header().Get("Content-Type"))
	}
	w = f.get(t, "/collections/occurrences/items?limit=5")
	etag := w.Header().Get("ETag")
	if !strings.HasPrefix(etag, `W/"`) {
		t.Fatalf("ETag %q, want a weak one", etag)
	}
	if got := f.get(t, "/collections/occurrences/items?limit=5", "If-None-Match", etag); got.Code != http.StatusNotModified {
		t.Errorf("revalidation: %d, want 304", got.Code)
	}
	if got := f.get(t, "/collections/occurrences/items?limit=6", "If-None-Match", etag); got.Code != http.StatusOK {
		t.Errorf("another page with the same ETag: %d, want 200", got.Code)
	}
	if vary := w.Header().Values("Vary"); !slices.Contains(vary, "Accept") {
		t.Errorf("Vary %v lacks Accept", vary)
	}
}

func TestSelectProperties(t *testing.T) {
	raw := []byte(`{"type":"Feature","id":3,"bbox":[1,2,3,4],"geometry":{"type":"LineString","coordinates":[[1,2],[3,4]]},"properties":{"a":1,"b":"x","c":null}}`)
	got, err := selectProperties(nil, raw, []string{"c", "a", "missing"})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"type":"Feature","id":3,"bbox":[1,2,3,4],"geometry":{"type":"LineString","coordinates":[[1,2],[3,4]]},"properties":{"c":null,"a":1}}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if _, err := selectProperties(nil, []byte(`{"type":`), nil); err == nil {
		t.Error("a damaged feature gives no error")
	}
}

// TestItemsFreeTextLinks: q is kept in the next link, and counted.
func TestItemsFreeTextLinks(t *testing.T) {
	f := newOGCFixture(t)
	doc := f.getItems(t, "/collections/occurrences/items?q=Au&limit=10")
	var next string
	for _, l := range doc.Links {
		if l.Rel == "next" {
			next = l.Href
		}
	}
	if doc.NumberMatched == nil || *doc.NumberMatched != 47 || !strings.Contains(next, "q=Au") {
		t.Errorf("q=Au: %v matched, next %q; want 47 and q kept", doc.NumberMatched, next)
	}
}
