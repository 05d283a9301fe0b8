package server

import (
	"net/http"
	"testing"
)

// BenchmarkWFSGetFeature serves the 95 occurrences of the WFS fixture as
// GML 3.2 and as GeoJSON through /wfs, beside the same page through
// /collections/{id}/items, which copies stored features as they are.
func BenchmarkWFSGetFeature(b *testing.B) {
	f := newWFSFixture(b)
	for _, bc := range []struct{ name, target string }{
		{"gml", "/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=occurrences"},
		{"geojson", "/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=occurrences&OUTPUTFORMAT=application/json"},
		{"items", "/collections/occurrences/items?limit=95"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			r := httptestRequest(http.MethodGet, bc.target)
			for b.Loop() {
				if w := serve(f.handler, r); w.Code != http.StatusOK {
					b.Fatal(w.Code)
				}
			}
		})
	}
}
