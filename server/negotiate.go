package server

import "strings"

// acceptsGzip reports whether Accept-Encoding header values (RFC 9110
// §12.5.3) allow a gzip-coded response: "gzip" or "x-gzip" with a non-zero
// q, or failing those "*" with a non-zero q. An explicit q=0 refuses gzip
// even when "*" would allow it. It does not allocate: it runs on every tile.
func acceptsGzip(values []string) bool {
	gzip, star := -1, -1 // -1: not listed, 0: refused, 1: accepted
	for _, v := range values {
		for v != "" {
			var item string
			item, v, _ = strings.Cut(v, ",")
			coding, params, _ := strings.Cut(item, ";")
			coding = strings.TrimSpace(coding)
			ok := 1
			if qZero(params) {
				ok = 0
			}
			switch {
			case strings.EqualFold(coding, "gzip"), strings.EqualFold(coding, "x-gzip"):
				if gzip != 0 { // a refusal anywhere wins
					gzip = ok
				}
			case coding == "*":
				if star != 0 {
					star = ok
				}
			}
		}
	}
	if gzip >= 0 {
		return gzip == 1
	}
	return star == 1
}

// qZero reports whether the parameters of one Accept-Encoding item carry a
// weight of zero: q=0, q=0., q=0.0, q=0.00 or q=0.000.
func qZero(params string) bool {
	for params != "" {
		var p string
		p, params, _ = strings.Cut(params, ";")
		name, val, ok := strings.Cut(p, "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(name), "q") {
			continue
		}
		val = strings.TrimSpace(val)
		if val == "" || val[0] != '0' {
			return false
		}
		return strings.Trim(val[1:], ".0") == "" && strings.Count(val, ".") <= 1
	}
	return false
}

// etagListMatches reports whether If-None-Match header values match etag
// under the weak comparison that RFC 9110 §13.1.2 prescribes for
// If-None-Match: a W/ prefix is ignored, and "*" matches any current
// representation.
func etagListMatches(values []string, etag string) bool {
	for _, v := range values {
		for v != "" {
			var tag string
			tag, v, _ = strings.Cut(v, ",")
			tag = strings.TrimSpace(tag)
			if tag == "*" {
				return true
			}
			tag = strings.TrimPrefix(tag, "W/")
			if tag == etag {
				return true
			}
		}
	}
	return false
}
