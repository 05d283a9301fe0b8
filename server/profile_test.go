package server

import (
	"bytes"
	"fmt"
	"math"
	"net/http"
	"testing"
)

func TestRasterProfile(t *testing.T) {
	h := rasterServer(t)
	// Along the row of the centres of tile 1/1/1's top pixels: -600, 0,
	// nodata, -300; then on into tile 1/0/1, which holds no data.
	lat := math.Atan(math.Sinh(math.Pi*(1-2*4.5/8))) * 180 / math.Pi
	w := serve(h, httptestRequest(http.MethodGet, fmt.Sprintf("/collections/depth/value?line=22.5,%[1]v,157.5,%[1]v&samples=4", lat)))
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	var d profileDoc
	decodeJSON(t, w, &d)
	if len(d.Points) != 4 || len(d.Bands) != 1 || d.Bands[0].Units != "km" {
		t.Fatalf("profile %+v", d)
	}
	want := []any{-600.0, 0.0, nil, -300.0}
	for i, p := range d.Points {
		if math.Abs(p.Lon-(22.5+45*float64(i))) > 1e-9 || math.Abs(p.Lat-lat) > 1e-9 {
			t.Errorf("point %d at %v %v", i, p.Lon, p.Lat)
		}
		switch {
		case want[i] == nil && p.Values[0] != nil:
			t.Errorf("point %d: %v, want null (nodata)", i, *p.Values[0])
		case want[i] != nil && (p.Values[0] == nil || *p.Values[0] != want[i].(float64)):
			t.Errorf("point %d: %v, want %v", i, p.Values[0], want[i])
		}
	}
	// 135° of longitude along the parallel, on a sphere: the last point's
	// distance is the great circle, a little shorter than the parallel.
	length := haversine([2]float64{22.5, lat}, [2]float64{157.5, lat})
	parallel := 135 * math.Pi / 180 * earthRadius * math.Cos(lat*math.Pi/180)
	if d.Points[3].Distance != d.Length || math.Abs(d.Length-length) > 0.001 || d.Length >= parallel || d.Points[0].Distance != 0 {
		t.Errorf("distances %v … %v, length %v; want 0 … %v", d.Points[0].Distance, d.Points[3].Distance, d.Length, length)
	}
	// A line through no data at all is all nulls, not a 404.
	w = serve(h, httptestRequest(http.MethodGet, "/collections/depth/value?line=-170,10,-100,10,-100,20"))
	decodeJSON(t, w, &d)
	if w.Code != http.StatusOK || len(d.Points) != defaultProfileSamples || d.Points[50].Values[0] != nil {
		t.Errorf("a line outside the data: %d, %d points", w.Code, len(d.Points))
	}
	for _, c := range []struct{ target, names string }{
		{"/collections/depth/value?line=10,10,20", "line="},
		{"/collections/depth/value?line=10,10", "line="},
		{"/collections/depth/value?line=10,10,x,20", "line="},
		{"/collections/depth/value?line=10,10,200,20", "line="},
		{"/collections/depth/value?line=10,10,20,89", "line="},
		{"/collections/depth/value?line=10,10,20,20&samples=1", "samples="},
		{"/collections/depth/value?line=10,10,20,20&samples=2001", "samples="},
		{"/collections/depth/value?line=10,10,20,20&lon=3", "line="},
	} {
		w := serve(h, httptestRequest(http.MethodGet, c.target))
		if e := wantError(t, w, http.StatusBadRequest, "InvalidParameterValue"); !bytes.Contains([]byte(e.Description), []byte(c.names)) {
			t.Errorf("%s: %q does not name %s", c.target, e.Description, c.names)
		}
	}
}
