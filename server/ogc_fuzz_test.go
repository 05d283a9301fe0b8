package server

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// weirdQueries are query strings clients and attackers send; none may get a
// 500 from any OGC API route.
var weirdQueries = []string{
	"", "?", "&", "&&&", "=", "==", "f", "f=", "f=json&f=json", "f=%00", "f=html&f=xml",
	"%", "%zz", "a=%", "%00=%00", "bbox", "bbox=", "bbox=,,,", "bbox=1,2,3,4,5,6,7", "bbox=1e309,0,1,1",
	"bbox=-0,-0,0,0", "bbox=+1,+1,+2,+2", "bbox= 1, 2 ,3 ,4", "bbox=0x10,0,1,1", "bbox=inf,0,1,1", "bbox=-Infinity,0,1,1",
	"bbox=1%2C2%2C3%2C4", "bbox=1%2c2%2c3%2c4", "bbox=180,90,-180,-90", "bbox=-180,-90,180,90,0", "bbox=1;2;3;4",
	"limit", "limit=1e3", "limit=0x10", "limit=+5", "limit=5.0", "limit=99999999999999999999", "limit=-99999999999999999999",
	"offset=99999999999999999999", "offset=9223372036854775807&limit=10000", "offset=1125899906842624", "offset=1e2",
	"properties", "properties=,,", "properties=name,name", "properties=%00", "properties=" + strings.Repeat("name,", 2000),
	"name=" + strings.Repeat("x", 100000), "rank=1e400", "rank=NaN", "grade=-0", "active=TRUE", "found=",
	"datetime=..", "datetime=2020-01-01/..", "crs=", "bbox-crs=", "crs=http://www.opengis.net/def/crs/OGC/1.3/CRS84",
	"bbox=0,0,1,1&bbox-crs=%5BOGC:CRS84%5D", "filter=rank=1", "sortby=rank", "q=copper", "_=12345", "callback=alert",
	"name=\u00e9\u0301", "name=%E2%80%AE", "name=%FF%FE", "%E2%80%AE=1", "a[]=1", "a.b=1", "limit=10&limit=20",
}

// ogcPaths are the routes the table runs every weird query against.
var ogcPaths = []string{
	"/", "/api", "/conformance", "/collections", "/collections/occurrences", "/collections/occurrences/items",
	"/collections/units/items", "/collections/geology/items", "/collections/occurrences/items/1", "/collections/occurrences/items/x",
	"/collections/occurrences/queryables", "/collections/occurrences/tiles", "/collections/geology/tiles/WebMercatorQuad",
	"/collections/geology/tiles/WebMercatorQuad/9/288/424", "/tileMatrixSets", "/tileMatrixSets/WebMercatorQuad",
	"/collections/nosuch/items",
}

func TestWeirdQueriesNever500(t *testing.T) {
	f := newOGCFixture(t)
	for _, p := range ogcPaths {
		for _, q := range weirdQueries {
			for _, accept := range []string{"", "text/html"} {
				target := p + "?" + q
				r := httptest.NewRequest(http.MethodGet, "/", nil)
				r.URL.Path, r.URL.RawQuery = p, q
				r.RequestURI = target
				if accept != "" {
					r.Header.Set("Accept", accept)
				}
				w := serve(f.handler, r)
				switch w.Code {
				case http.StatusOK, http.StatusNoContent:
				case http.StatusBadRequest, http.StatusNotFound:
					var e apiError
					if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Description == "" || strings.Contains(e.Description, "\n") {
						t.Errorf("%s (Accept %q): %d with body %.200q", target, accept, w.Code, w.Body.String())
					}
				default:
					t.Errorf("%s (Accept %q): status %d, body %.300q", target, accept, w.Code, w.Body.String())
				}
			}
		}
	}
	if strings.Contains(f.logs.String(), "panic") {
		t.Errorf("a request panicked: %s", f.logs.String())
	}
}

// FuzzItemsQuery runs the items route on arbitrary query strings; its seeds
// run with every go test, and go test -fuzz=FuzzItemsQuery searches further.
func FuzzItemsQuery(f *testing.F) {
	for _, q := range weirdQueries {
		if len(q) < 1000 {
			f.Add(q)
		}
	}
	fx := newOGCFixture(f)
	f.Fuzz(func(t *testing.T, q string) {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.URL.Path, r.URL.RawQuery = "/collections/occurrences/items", q
		w := serve(fx.handler, r)
		if w.Code != http.StatusOK && w.Code != http.StatusBadRequest {
			t.Fatalf("?%s: status %d, body %.300q", q, w.Code, w.Body.String())
		}
		if w.Code == http.StatusOK && w.Header().Get("Content-Type") == geoJSONType && !json.Valid(w.Body.Bytes()) {
			t.Fatalf("?%s: 200 with invalid JSON", q)
		}
	})
}
