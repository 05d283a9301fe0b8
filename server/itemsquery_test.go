package server

import (
	"net/url"
	"reflect"
	"testing"

	"github.com/paulmach/orb"
)

func TestParseBBox(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want orb.Bound
		ok   bool
	}{
		{"1,2,3,4", orb.Bound{Min: orb.Point{1, 2}, Max: orb.Point{3, 4}}, true},
		{" -180 , -90 , 180 , 90 ", orb.Bound{Min: orb.Point{-180, -90}, Max: orb.Point{180, 90}}, true},
		{"1,2,-100,3,4,100", orb.Bound{Min: orb.Point{1, 2}, Max: orb.Point{3, 4}}, true},
		{"1,1,1,1", orb.Bound{Min: orb.Point{1, 1}, Max: orb.Point{1, 1}}, true}, // a point is a box
		{"1,2,3", orb.Bound{}, false},
		{"3,2,1,4", orb.Bound{}, false},
		{"1,4,3,2", orb.Bound{}, false},
		{"1,2,181,4", orb.Bound{}, false},
		{"1,2,3,Inf", orb.Bound{}, false},
	} {
		got, msg := parseBBox(tc.in)
		if (msg == "") != tc.ok || tc.ok && got != tc.want {
			t.Errorf("parseBBox(%q) = %v, %q", tc.in, got, msg)
		}
	}
}

func TestParseCount(t *testing.T) {
	for _, tc := range []struct {
		in     string
		lowest int
		want   int
		ok     bool
	}{
		{"0", 0, 0, true}, {"10", 1, 10, true}, {"0", 1, 0, false}, {"-1", 0, 0, false},
		{"+1", 0, 0, false}, {"1e3", 0, 0, false}, {"", 0, 0, false},
		{"99999999999999999999", 1, int(^uint(0) >> 1), true},
	} {
		got, msg := parseCount("limit", tc.in, tc.lowest)
		if (msg == "") != tc.ok || got != tc.want {
			t.Errorf("parseCount(%q, %d) = %d, %q", tc.in, tc.lowest, got, msg)
		}
	}
}

// TestItemsQueryEncodeRoundTrip checks that a link's query parses back to
// the query it was made from, so that next links select the same features.
func TestItemsQueryEncodeRoundTrip(t *testing.T) {
	raw := "bbox=100%2C0%2C105.5%2C6&commodity=Cu+%26+Au&rank=3&properties=name,rank&limit=20000&offset=40&crs=" + url.QueryEscape(crs84)
	q, msg := parseItemsQuery(raw, ogcOccurrencesID, ogcOccurrenceFields)
	if msg != "" {
		t.Fatal(msg)
	}
	link := q.encode(q.offset+q.limit, formatJSON)
	want := "f=json&bbox=100,0,105.5,6&crs=" + crs84 + "&commodity=Cu+%26+Au&rank=3&properties=name,rank&limit=10000&offset=10040"
	if link != want {
		t.Errorf("encode = %s\nwant     %s", link, want)
	}
	again, msg := parseItemsQuery(link, ogcOccurrencesID, ogcOccurrenceFields)
	if msg != "" {
		t.Fatal(msg)
	}
	q.offset += q.limit
	if !reflect.DeepEqual(again, q) {
		t.Errorf("parsed back: %+v\nwant         %+v", again, q)
	}
}
