package ingest

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseScale reads a map scale as surveys write it, 1:250000 (spaces,
// commas and thin spaces between digit groups allowed, 1:250 000), and
// returns its denominator.
func ParseScale(s string) (int, error) {
	n, ok := strings.CutPrefix(strings.TrimSpace(s), "1:")
	if ok {
		n = strings.Map(func(r rune) rune {
			switch r {
			case ' ', ',', '\u202f', '\u00a0', '_':
				return -1
			}
			return r
		}, n)
	}
	d, err := strconv.Atoi(n)
	if !ok || err != nil || d < 1 || d > 1_000_000_000 {
		return 0, fmt.Errorf("%q is not a map scale; give it as 1:N, e.g. --scale 1:250000", s)
	}
	return d, nil
}
