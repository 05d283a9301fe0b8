package server

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/outcrop/outcrop/tileset"
)

func at(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

// TestParseDatetime reads every form of /req/core/fc-time-definition.
func TestParseDatetime(t *testing.T) {
	const dayEnd = "T23:59:59.999999999Z"
	for _, c := range []struct{ in, start, end string }{
		// Instants: a date-time is itself, a date its whole day.
		{"2018-02-12T23:20:50Z", "2018-02-12T23:20:50Z", "2018-02-12T23:20:50Z"},
		{"2018-02-12t23:20:50.25z", "2018-02-12T23:20:50.25Z", "2018-02-12T23:20:50.25Z"},
		{"2018-02-12T23:20:50+07:00", "2018-02-12T16:20:50Z", "2018-02-12T16:20:50Z"},
		{"2018-02-12T23:20:50 07:00", "2018-02-12T16:20:50Z", "2018-02-12T16:20:50Z"}, // an unencoded +
		{"2018-02-12T23:20:50-03:30", "2018-02-13T02:50:50Z", "2018-02-13T02:50:50Z"},
		{"2018-02-12", "2018-02-12T00:00:00Z", "2018-02-12" + dayEnd},
		// Closed intervals, ends included.
		{"2018-02-12T00:00:00Z/2018-03-18T12:31:12Z", "2018-02-12T00:00:00Z", "2018-03-18T12:31:12Z"},
		{"2018-02-12/2018-03-18", "2018-02-12T00:00:00Z", "2018-03-18" + dayEnd},
		{"2018-02-12/2018-02-12", "2018-02-12T00:00:00Z", "2018-02-12" + dayEnd},
		{"2018-02-12T23:20:50Z/2018-02-12T23:20:50Z", "2018-02-12T23:20:50Z", "2018-02-12T23:20:50Z"},
		// Open intervals, with .. or nothing.
		{"2018-02-12T00:00:00Z/..", "2018-02-12T00:00:00Z", ""},
		{"2018-02-12T00:00:00Z/", "2018-02-12T00:00:00Z", ""},
		{"../2018-03-18T12:31:12Z", "", "2018-03-18T12:31:12Z"},
		{"/2018-03-18T12:31:12Z", "", "2018-03-18T12:31:12Z"},
		{"/2018-03-18", "", "2018-03-18" + dayEnd},
		{"2018-02-12/..", "2018-02-12T00:00:00Z", ""},
		// Durations, as the OGC test suite sends them.
		{"2017-03-04/P1M2D", "2017-03-04T00:00:00Z", "2017-04-06T00:00:00Z"},
		{"2018-02-12T00:00:00Z/P1M6DT12H31M12S", "2018-02-12T00:00:00Z", "2018-03-18T12:31:12Z"},
		{"2018-02-12T00:00:00Z/PT1.5S", "2018-02-12T00:00:00Z", "2018-02-12T00:00:01.5Z"},
		{"P1W/2018-03-18T00:00:00Z", "2018-03-11T00:00:00Z", "2018-03-18T00:00:00Z"},
		{"2018-01-01/P1Y", "2018-01-01T00:00:00Z", "2019-01-01T00:00:00Z"},
	} {
		got, msg := parseDatetime(c.in)
		want := tileset.Interval{Start: at(c.start), End: at(c.end)}
		if msg != "" || !got.Start.Equal(want.Start) || !got.End.Equal(want.End) || got.Start.IsZero() != want.Start.IsZero() || got.End.IsZero() != want.End.IsZero() {
			t.Errorf("parseDatetime(%q) = %v, %q; want %s to %s", c.in, got, msg, c.start, c.end)
		}
	}
}

// TestParseDatetimeMalformed gets a one-line message naming the parameter,
// the value and the forms for everything the standard does not give.
func TestParseDatetimeMalformed(t *testing.T) {
	for _, c := range []struct{ in, mention string }{
		{"", "not a date-time"},
		{"..", "not a date-time"},
		{"/", "both ends"},
		{"../..", "both ends"},
		{"2018", "not a date-time"},
		{"2018-02", "not a date-time"},
		{"2018-02-30", "not a date-time"},
		{"12/02/2018", "more than one /"},
		{"2018-02-12T23:20:50", "not a date-time"}, // RFC 3339 requires an offset
		{"2018-02-12T23:20Z", "not a date-time"},
		{"2018-02-12T25:20:50Z", "not a date-time"},
		{"2018-02-12 23:20:50Z junk", "not a date-time"},
		{"now", "not a date-time"},
		{"2018-03-18/2018-02-12", "ends before it starts"},
		{"2018-02-12T10:00:00Z/2018-02-12T09:59:59Z", "ends before it starts"},
		{"2018-02-12/yesterday", "ends with \"yesterday\""},
		{"tomorrow/..", "starts with \"tomorrow\""},
		{"2018-02-12/P", "not a date-time"}, // not a duration either: read as an end
		{"2018-02-12/P1H", "duration"},
		{"2018-02-12/PT1D", "duration"},
		{"2018-02-12/P1D2Y", "duration"},
		{"2018-02-12/P-1D", "duration"},
		{"2018-02-12/PT", "duration"},
		{"P1D/P2D", "two durations"},
		{"../P1D", "open start"},
		{"P1D/..", "open end"},
	} {
		_, msg := parseDatetime(c.in)
		if msg == "" || !strings.HasPrefix(msg, "parameter datetime=") || !strings.Contains(msg, c.mention) ||
			!strings.Contains(msg, "RFC 3339") || strings.Contains(msg, "\n") {
			t.Errorf("parseDatetime(%q): message %q, want one line naming datetime and %q", c.in, msg, c.mention)
		}
	}
}

// TestItemsDatetime filters the occurrences, found on 1 January of 1901 to
// 1995 (feature i in 19ii), and counts the matches.
func TestItemsDatetime(t *testing.T) {
	f := newOGCFixture(t)
	for _, c := range []struct {
		datetime string
		ids      []int // the matches, from to, both included
	}{
		{"1950-01-01", []int{50, 50}},
		{"1950-01-01T00:00:00Z", []int{50, 50}},
		{"1950-01-01T23:59:59.999Z", []int{50, 50}},
		// The same instant in another zone: 1949-12-31T23:00Z.
		{"1950-01-01T12:00:00+13:00", nil},
		{"1950-01-02", nil},
		{"1950-01-01/1959-12-31", []int{50, 59}},
		{"1950-01-01T00:00:00Z/1959-01-01T00:00:00Z", []int{50, 59}},
		// A date is its whole day: one nanosecond into it still meets it.
		{"1950-01-01T00:00:00.000000001Z/1959-01-01T00:00:00Z", []int{50, 59}},
		{"1950-01-02T00:00:00Z/1959-01-01T00:00:00Z", []int{51, 59}},
		{"1990-01-01T00:00:00Z/..", []int{90, 95}},
		{"1994-06-01/", []int{95, 95}},
		{"../1910-01-01T00:00:00Z", []int{1, 10}},
		{"/1909-12-31", []int{1, 9}},
		{"1950-01-01/P1Y", []int{50, 51}},
		{"2000-01-01/..", nil},
	} {
		want := 0
		if c.ids != nil {
			want = c.ids[1] - c.ids[0] + 1
		}
		doc := f.getItems(t, "/collections/occurrences/items?limit=100&datetime="+url.QueryEscape(c.datetime))
		got := doc.ids()
		if *doc.NumberMatched != int64(want) || len(got) != want || want > 0 && (got[0] != c.ids[0] || got[len(got)-1] != c.ids[1]) {
			t.Errorf("datetime=%s: %d matched, ids %v; want %d from %v", c.datetime, *doc.NumberMatched, got, want, c.ids)
		}
	}
	// With a property filter: the Cu (odd) ones of the 1950s.
	doc := f.getItems(t, "/collections/occurrences/items?commodity=Cu&datetime=1950-01-01/1959-12-31")
	if !slices.Equal(doc.ids(), []int{51, 53, 55, 57, 59}) {
		t.Errorf("commodity=Cu in the 1950s: %v", doc.ids())
	}
	// A collection without a time field: every feature matches.
	for _, dt := range []string{"2018-02-12T23:20:50Z", "../1900-01-01", "2018-02-12/P1D"} {
		if doc := f.getItems(t, "/collections/units/items?datetime="+url.QueryEscape(dt)); *doc.NumberMatched != 3 {
			t.Errorf("units, datetime=%s: %d matched, want all 3", dt, *doc.NumberMatched)
		}
	}
	// A malformed one is refused there too.
	w := f.get(t, "/collections/units/items?datetime=yesterday")
	if e := wantError(t, w, http.StatusBadRequest, "InvalidParameterValue"); !strings.Contains(e.Description, "datetime") {
		t.Errorf("units, datetime=yesterday: %q", e.Description)
	}
}

// TestItemsDatetimePaging follows next links: each keeps the datetime, so
// the pages hold every match once, from the match cache after the first.
func TestItemsDatetimePaging(t *testing.T) {
	f := newOGCFixture(t)
	target := "/collections/occurrences/items?limit=7&datetime=" + url.QueryEscape("1920-01-01T00:00:00+00:00/1969-12-31T00:00:00+00:00")
	var ids []int
	for pages := 0; target != ""; pages++ {
		if pages > 20 {
			t.Fatal("more than 20 pages")
		}
		doc := f.getItems(t, target)
		if *doc.NumberMatched != 50 {
			t.Fatalf("%s: %d matched, want 50", target, *doc.NumberMatched)
		}
		ids = append(ids, doc.ids()...)
		target = ""
		if next := linkHref(doc.Links, "next", geoJSONType); next != "" {
			target = pathOf(t, next)
			if !strings.Contains(target, "datetime=1920-01-01T00:00:00%2B00:00/1969-12-31T00:00:00%2B00:00") {
				t.Fatalf("next link %s lost the datetime", target)
			}
		}
	}
	if len(ids) != 50 || ids[0] != 20 || ids[49] != 69 {
		t.Errorf("paged through %d ids %v, want 20 to 69", len(ids), ids)
	}
}

// TestCollectionTemporalExtent advertises the time field's span, and no
// temporal extent without one.
func TestCollectionTemporalExtent(t *testing.T) {
	f := newOGCFixture(t)
	var c struct {
		Extent struct {
			Temporal *struct {
				Interval [][2]*string `json:"interval"`
				TRS      string       `json:"trs"`
			} `json:"temporal"`
		} `json:"extent"`
	}
	decodeJSON(t, f.get(t, "/collections/occurrences"), &c)
	tm := c.Extent.Temporal
	if tm == nil || len(tm.Interval) != 1 || tm.Interval[0][0] == nil || tm.Interval[0][1] == nil ||
		*tm.Interval[0][0] != "1901-01-01T00:00:00Z" || *tm.Interval[0][1] != "1995-01-01T23:59:59.999999999Z" || tm.TRS != gregorian {
		t.Errorf("occurrences: temporal extent %+v", tm)
	}
	c.Extent.Temporal = nil
	decodeJSON(t, f.get(t, "/collections/units"), &c)
	if c.Extent.Temporal != nil {
		t.Errorf("units, without a time field: temporal extent %+v", c.Extent.Temporal)
	}
}
