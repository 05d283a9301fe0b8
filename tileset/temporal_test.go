package tileset

import (
	"testing"
	"time"
)

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func TestParseTime(t *testing.T) {
	for _, c := range []struct {
		in         string
		start, end string
	}{
		{"2018-02-12T23:20:50Z", "2018-02-12T23:20:50Z", "2018-02-12T23:20:50Z"},
		{"2018-02-12T23:20:50.5+07:00", "2018-02-12T16:20:50.5Z", "2018-02-12T16:20:50.5Z"},
		{"2018-02-12t23:20:50z", "2018-02-12T23:20:50Z", "2018-02-12T23:20:50Z"},
		// A local time, as ingest writes one without a known zone: UTC.
		{"2018-02-12T23:20:50.123", "2018-02-12T23:20:50.123Z", "2018-02-12T23:20:50.123Z"},
		{"2018-02-12", "2018-02-12T00:00:00Z", "2018-02-12T23:59:59.999999999Z"},
		{"2016-02", "2016-02-01T00:00:00Z", "2016-02-29T23:59:59.999999999Z"},
		{"1968", "1968-01-01T00:00:00Z", "1968-12-31T23:59:59.999999999Z"},
	} {
		got, ok := ParseTime(c.in)
		if !ok || !got.Start.Equal(utc(c.start)) || !got.End.Equal(utc(c.end)) {
			t.Errorf("ParseTime(%q) = %v, %v; want %s to %s", c.in, got, ok, c.start, c.end)
		}
	}
	for _, bad := range []string{"", "n.d.", "1970s", "19", "2018-13", "2018-02-30", "2018-2-12", "2018/02/12",
		"12-02-2018", "2018-02-12T25:00:00Z", "2018-02-12X23:20:50Z", "2018-02-12T23:20:50+25:00", "１９６８"} {
		if got, ok := ParseTime(bad); ok {
			t.Errorf("ParseTime(%q) = %v, true; want not a time", bad, got)
		}
	}
}

func TestIntervalOverlaps(t *testing.T) {
	day := Interval{utc("2018-02-12T00:00:00Z"), utc("2018-02-12T23:59:59.999999999Z")}
	for _, c := range []struct {
		name string
		q    Interval
		want bool
	}{
		{"instant inside", Interval{utc("2018-02-12T10:00:00Z"), utc("2018-02-12T10:00:00Z")}, true},
		{"ends at the start, inclusive", Interval{utc("2018-02-01T00:00:00Z"), utc("2018-02-12T00:00:00Z")}, true},
		{"starts at the end, inclusive", Interval{utc("2018-02-12T23:59:59.999999999Z"), time.Time{}}, true},
		{"just before", Interval{time.Time{}, utc("2018-02-11T23:59:59.999999999Z")}, false},
		{"just after", Interval{utc("2018-02-13T00:00:00Z"), time.Time{}}, false},
		{"open both ends", Interval{}, true},
	} {
		if got := day.Overlaps(c.q); got != c.want {
			t.Errorf("%s: Overlaps = %v, want %v", c.name, got, c.want)
		}
		if got := c.q.Overlaps(day); got != c.want {
			t.Errorf("%s, reversed: Overlaps = %v, want %v", c.name, got, c.want)
		}
	}
	u := day.Union(Interval{utc("2017-01-01T00:00:00Z"), utc("2017-01-01T00:00:00Z")})
	if !u.Start.Equal(utc("2017-01-01T00:00:00Z")) || !u.End.Equal(day.End) {
		t.Errorf("Union = %v", u)
	}
}
