package tileset

import (
	"strings"
	"time"
)

// Temporal names the property that holds a tileset's features' time, the
// one OGC API - Features' datetime parameter filters on (see FORMAT.md).
type Temporal struct {
	// Field is the name of the property, one of the metadata's fields.
	Field string `json:"field"`
	// Extent is the span from the earliest to the latest time of any
	// feature, each value read as ParseTime reads it.
	Extent Interval `json:"extent"`
	// Undated counts the features whose property is missing or is not a
	// time ParseTime reads; the datetime parameter selects them always.
	Undated int64 `json:"undated"`
}

// Interval is a closed span of time, both ends included. A zero Start or
// End leaves that end open: the span reaches back, or on, without limit.
type Interval struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// Overlaps reports whether the two spans share an instant, ends included.
func (iv Interval) Overlaps(o Interval) bool {
	return (iv.End.IsZero() || o.Start.IsZero() || !o.Start.After(iv.End)) &&
		(iv.Start.IsZero() || o.End.IsZero() || !iv.Start.After(o.End))
}

// Union returns the smallest span holding both.
func (iv Interval) Union(o Interval) Interval {
	u := iv
	if iv.Start.IsZero() || o.Start.IsZero() {
		u.Start = time.Time{}
	} else if o.Start.Before(u.Start) {
		u.Start = o.Start
	}
	if iv.End.IsZero() || o.End.IsZero() {
		u.End = time.Time{}
	} else if o.End.After(u.End) {
		u.End = o.End
	}
	return u
}

// ParseTime reads a feature's time as the span it stands for, in UTC:
//
//   - an RFC 3339 date-time, "2018-02-12T23:20:50Z": that instant;
//   - a date-time without an offset, "2018-02-12T23:20:50" (as ingest
//     writes a source's local times): the same instant taken as UTC;
//   - a date, "2018-02-12": that whole day;
//   - a year and month, "2018-02", or a year, "2018": that whole month or
//     year, as a survey often records when something was found.
//
// Anything else (empty text, "n.d.", "1970s") is not a time.
func ParseTime(s string) (Interval, bool) {
	switch len(s) {
	case 4, 7, 10:
		y, m, d, ok := parseDate(s)
		if !ok {
			return Interval{}, false
		}
		start := time.Date(y, time.Month(max(m, 1)), max(d, 1), 0, 0, 0, 0, time.UTC)
		var end time.Time
		switch {
		case m == 0:
			end = start.AddDate(1, 0, 0)
		case d == 0:
			end = start.AddDate(0, 1, 0)
		default:
			end = start.AddDate(0, 0, 1)
		}
		return Interval{Start: start, End: end.Add(-time.Nanosecond)}, true
	}
	if len(s) < len("2006-01-02T15:04") || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') {
		return Interval{}, false
	}
	if s[10] != 'T' || strings.ContainsRune(s, 'z') {
		// RFC 3339 allows a lower-case t and z, and a space for the T;
		// Go's layout wants the upper-case letters.
		s = s[:10] + "T" + strings.ToUpper(s[11:])
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t, err = time.ParseInLocation("2006-01-02T15:04:05.999999999", s, time.UTC)
	}
	if err != nil {
		return Interval{}, false
	}
	t = t.UTC()
	return Interval{Start: t, End: t}, true
}

// parseDate reads YYYY, YYYY-MM or YYYY-MM-DD; m and d are 0 where absent.
func parseDate(s string) (y, m, d int, ok bool) {
	num := func(t string) (int, bool) {
		n := 0
		for i := 0; i < len(t); i++ {
			c := t[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	if y, ok = num(s[:4]); !ok {
		return 0, 0, 0, false
	}
	if len(s) >= 7 {
		if s[4] != '-' {
			return 0, 0, 0, false
		}
		if m, ok = num(s[5:7]); !ok || m < 1 || m > 12 {
			return 0, 0, 0, false
		}
	}
	if len(s) == 10 {
		if s[7] != '-' {
			return 0, 0, 0, false
		}
		if d, ok = num(s[8:10]); !ok || d < 1 || d > daysIn(y, m) {
			return 0, 0, 0, false
		}
	}
	return y, m, d, true
}

func daysIn(y, m int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
