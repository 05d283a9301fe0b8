package server

import (
	"net/http"
	"testing"
)

// TestOWSQuery checks a raw ; stays in its value, where url.ParseQuery
// drops the parameter, and that escapes and repeats read as ParseQuery's.
func TestOWSQuery(t *testing.T) {
	r, _ := http.NewRequest(http.MethodGet, "/wms?REQUEST=GetFeatureInfo&INFO_FORMAT=application/gml%2Bxml;%20version=3.2&A=1&A=2&B=x+y&&C=%zz", nil)
	q := owsQuery(r)
	if got := q.Get("INFO_FORMAT"); got != "application/gml+xml; version=3.2" {
		t.Errorf("INFO_FORMAT %q", got)
	}
	if len(q["A"]) != 2 || q.Get("B") != "x y" || q.Get("C") != "%zz" || q.Get("REQUEST") != "GetFeatureInfo" {
		t.Errorf("query %v", q)
	}
}
