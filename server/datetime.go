package server

import (
	"strconv"
	"strings"
	"time"

	"github.com/outcrop/outcrop/tileset"
)

// datetimeForms is the end of every datetime error: the forms accepted.
const datetimeForms = "; give an RFC 3339 date-time (2018-02-12T23:20:50Z), a date (2018-02-12), " +
	"or an interval start/end of them with .. or nothing for an open end (2018-02-12T00:00:00Z/.., ../2018-03-18, 2018-02-12/2018-03-18)"

// parseDatetime reads the datetime parameter of an items request, every form
// OGC API - Features Part 1 gives (/req/core/fc-time-definition):
//
//   - an instant: an RFC 3339 date-time, or a date, which stands for its
//     whole day in UTC;
//   - a closed interval, start/end, ends included; a date as the end
//     includes that whole day;
//   - an interval open at one end, "../end", "/end", "start/..", "start/";
//   - start/duration or duration/end with an ISO 8601 duration ("P1M2D",
//     "PT12H"), which the OGC's test suite sends.
//
// The message, when v is malformed, names the parameter and the forms.
func parseDatetime(v string) (tileset.Interval, string) {
	bad := func(why string) (tileset.Interval, string) {
		return tileset.Interval{}, "parameter datetime=" + strconv.Quote(v) + " " + why + datetimeForms
	}
	first, last, isInterval := strings.Cut(v, "/")
	if !isInterval {
		iv, ok := parseInstant(v)
		if !ok {
			return bad("is not a date-time or a date")
		}
		return iv, ""
	}
	if strings.Contains(last, "/") {
		return bad("has more than one /")
	}
	openStart, openEnd := first == "" || first == "..", last == "" || last == ".."
	var iv tileset.Interval
	switch {
	case openStart && openEnd:
		return bad("is open at both ends; leave the parameter out to select every feature")
	case isDuration(first) && isDuration(last):
		return bad("has two durations")
	case isDuration(last):
		if openStart {
			return bad("has a duration after an open start")
		}
		start, ok := parseInstant(first)
		if !ok {
			return bad("starts with " + strconv.Quote(first) + ", which is not a date-time or a date")
		}
		end, ok := addDuration(start.Start, last, 1)
		if !ok {
			return bad("ends with " + strconv.Quote(last) + ", which is not an ISO 8601 duration such as P1M2D or PT12H")
		}
		iv = tileset.Interval{Start: start.Start, End: end}
	case isDuration(first):
		if openEnd {
			return bad("has a duration before an open end")
		}
		end, ok := parseInstant(last)
		if !ok {
			return bad("ends with " + strconv.Quote(last) + ", which is not a date-time or a date")
		}
		start, ok := addDuration(end.End, first, -1)
		if !ok {
			return bad("starts with " + strconv.Quote(first) + ", which is not an ISO 8601 duration such as P1M2D or PT12H")
		}
		iv = tileset.Interval{Start: start, End: end.End}
	default:
		if !openStart {
			start, ok := parseInstant(first)
			if !ok {
				return bad("starts with " + strconv.Quote(first) + ", which is not a date-time, a date or ..")
			}
			iv.Start = start.Start
		}
		if !openEnd {
			end, ok := parseInstant(last)
			if !ok {
				return bad("ends with " + strconv.Quote(last) + ", which is not a date-time, a date or ..")
			}
			iv.End = end.End
		}
	}
	if !iv.Start.IsZero() && !iv.End.IsZero() && iv.Start.After(iv.End) {
		return bad("ends before it starts; swap its ends")
	}
	return iv, ""
}

// parseInstant reads an RFC 3339 date-time (an instant) or a date (its
// whole day in UTC). A '+' of an offset that came unencoded in the URL
// reads as a space, so a space within the time part is taken for one.
func parseInstant(s string) (tileset.Interval, bool) {
	if len(s) == len("2006-01-02") {
		return tileset.ParseTime(s)
	}
	if len(s) < len("2006-01-02T15:04:05Z") {
		return tileset.Interval{}, false
	}
	if i := strings.LastIndexByte(s, ' '); i >= len("2006-01-02T15:04:05") {
		s = s[:i] + "+" + s[i+1:]
	}
	// RFC 3339 requires an offset, which ParseTime does not.
	if z := s[len(s)-1]; z != 'Z' && z != 'z' {
		if len(s) < len("2006-01-02T15:04:05+07:00") || (s[len(s)-6] != '+' && s[len(s)-6] != '-') {
			return tileset.Interval{}, false
		}
	}
	return tileset.ParseTime(s)
}

// isDuration reports whether s is written as an ISO 8601 duration.
func isDuration(s string) bool {
	return len(s) > 1 && (s[0] == 'P' || s[0] == 'p')
}

// addDuration adds the ISO 8601 duration d (PnYnMnWnDTnHnMnS, whole numbers
// but for the seconds), sign times, to t: years, months and days on the
// calendar, as time.AddDate does, then hours, minutes and seconds.
func addDuration(t time.Time, d string, sign int) (time.Time, bool) {
	d = strings.ToUpper(d[1:])
	datePart, timePart, hasTime := strings.Cut(d, "T")
	if datePart == "" && timePart == "" || hasTime && timePart == "" {
		return time.Time{}, false
	}
	var y, mo, days int
	var clock time.Duration
	for _, part := range []struct {
		text  string
		units string
	}{{datePart, "YMWD"}, {timePart, "HMS"}} {
		rest, units := part.text, part.units
		for rest != "" {
			i := strings.IndexAny(rest, "YMWDHS")
			if i <= 0 {
				return time.Time{}, false
			}
			unit := rest[i]
			at := strings.IndexByte(units, unit)
			if at < 0 {
				return time.Time{}, false // a unit out of place or out of order
			}
			units = units[at+1:]
			num := rest[:i]
			rest = rest[i+1:]
			if part.units == "HMS" && unit == 'S' {
				f, err := strconv.ParseFloat(num, 64)
				if err != nil || f < 0 || f > 1e12 || !isDecimalDigits(strings.Replace(num, ".", "", 1)) {
					return time.Time{}, false
				}
				clock += time.Duration(f * float64(time.Second))
				continue
			}
			if !isDecimalDigits(num) || len(num) > 9 {
				return time.Time{}, false
			}
			n, _ := strconv.Atoi(num)
			switch {
			case part.units == "YMWD" && unit == 'Y':
				y = n
			case part.units == "YMWD" && unit == 'M':
				mo = n
			case unit == 'W':
				days += 7 * n
			case unit == 'D':
				days += n
			case unit == 'H':
				clock += time.Duration(n) * time.Hour
			default: // minutes
				clock += time.Duration(n) * time.Minute
			}
		}
	}
	return t.AddDate(sign*y, sign*mo, sign*days).Add(time.Duration(sign) * clock), true
}

func isDecimalDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
