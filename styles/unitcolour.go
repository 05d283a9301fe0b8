package styles

import (
	"hash/fnv"
	"math"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/lucasb-eyer/go-colorful"
)

// Colours of map units the survey gives none for: shades of the ICS colour
// of each unit's age, in CIELAB (D65), so that the units of one age read as
// one family on the map and stay apart from one another. README.md states
// the rule; these are its figures, in CIE76 ΔE (CIELAB distance).
const (
	// unitMinDeltaE is the least ΔE between two units of one age, measured
	// on the #RRGGBB written, while the family has room for it; a larger
	// family gets unitMinDeltaE·0.8, ·0.8², … until all fit.
	unitMinDeltaE = 10.0
	// unitLightness, unitChroma and unitHue bound a shade's offset from the
	// age colour along lightness, chroma (towards or away from grey) and
	// hue (across the a*b* plane): an ellipsoid, so that shades vary in
	// lightness and chroma far more than in hue. The largest is the family
	// bound: no shade is further than unitLightness from its age colour.
	unitLightness = 25.0
	unitChroma    = 20.0
	unitHue       = 8.0
	// unitGrid is the step of the grid of candidate shades in the ellipsoid.
	unitGrid = 1.5
	// unitMinL and unitMaxL keep shades light enough for black labels and
	// dark enough to tell from the background.
	unitMinL, unitMaxL = 35.0, 96.0
)

// unitToColour is what unitColours colours: a unit code, its family's
// colour, and the survey's own colour when it gives one.
type unitToColour struct {
	code, family, given string
}

// unitColours returns a "#RRGGBB" for each unit code: the survey's own
// colour where it gives one, exactly; otherwise a shade of its family's
// colour. Within a family (the units of one age), units are taken in code
// order; each starts at the candidate shade its code hashes to and takes
// the first one, in the grid's order from there, at least the family's
// minimum ΔE from every colour already given or taken in the family. The
// result depends only on the codes and families given, never on map order.
//
// The result is cached by its input, since the server makes styles per
// request and a tileset's units do not change; the map returned is shared
// and must not be changed.
func unitColours(units []unitToColour) map[string]string {
	var key strings.Builder
	for _, u := range units {
		key.WriteString(u.code + "\x1f" + u.family + "\x1f" + u.given + "\x1e")
	}
	if v, ok := unitColourCache.Load(key.String()); ok {
		return v.(map[string]string)
	}
	out := computeUnitColours(units)
	if unitColourCached.Add(1) > maxUnitColourCache {
		unitColourCache.Clear()
		unitColourCached.Store(0)
	}
	unitColourCache.Store(key.String(), out)
	return out
}

// The cache of unitColours: at most maxUnitColourCache legends, emptied
// when full (tilesets are few, and a legend's colours take well under a
// millisecond to make again).
const maxUnitColourCache = 256

var (
	unitColourCache  sync.Map // legend key -> map[string]string
	unitColourCached atomic.Int64
)

func computeUnitColours(units []unitToColour) map[string]string {
	out := map[string]string{}
	families := map[string][]unitToColour{}
	for _, u := range units {
		families[u.family] = append(families[u.family], u)
	}
	for family, us := range families {
		sort.Slice(us, func(i, j int) bool { return us[i].code < us[j].code })
		var taken []labColour
		var todo []string
		for _, u := range us {
			if u.given != "" {
				out[u.code] = u.given
				if c, err := colorful.Hex(u.given); err == nil {
					taken = append(taken, labOf(c))
				}
				continue
			}
			todo = append(todo, u.code)
		}
		if len(todo) == 0 {
			continue
		}
		cands := shades(family)
		for min := unitMinDeltaE; ; min *= 0.8 {
			got, ok := place(todo, cands, taken, min)
			if ok || min < 0.5 {
				for code, c := range got {
					out[code] = c
				}
				break
			}
		}
	}
	return out
}

// labColour is a colour as written, "#RRGGBB", with its CIELAB
// coordinates (L* 0–100).
type labColour struct {
	hex string
	lab [3]float64
}

func labOf(c colorful.Color) labColour {
	l, a, b := c.Lab()
	return labColour{hex: strings.ToUpper(c.Hex()), lab: [3]float64{l * 100, a * 100, b * 100}}
}

// deltaE is the CIE76 colour difference: the distance in CIELAB.
func (c labColour) deltaE(o labColour) float64 {
	return math.Sqrt(sq(c.lab[0]-o.lab[0]) + sq(c.lab[1]-o.lab[1]) + sq(c.lab[2]-o.lab[2]))
}

// place gives each code a candidate at least min ΔE from the taken colours
// and from each other; ok is false when one found none.
func place(codes []string, cands, taken []labColour, min float64) (map[string]string, bool) {
	out := map[string]string{}
	used := append([]labColour(nil), taken...)
	ok := true
	for _, code := range codes {
		start := int(hashCode(code) % uint32(len(cands)))
		pick := -1
		for i := range cands {
			j := (start + i) % len(cands)
			if farFrom(cands[j], used, min) {
				pick = j
				break
			}
		}
		if pick < 0 {
			ok, pick = false, start
		}
		used = append(used, cands[pick])
		out[code] = cands[pick].hex
	}
	return out, ok
}

func farFrom(c labColour, used []labColour, min float64) bool {
	for _, u := range used {
		if c.deltaE(u) < min {
			return false
		}
	}
	return true
}

func hashCode(code string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(code))
	return h.Sum32()
}

// shadesOf caches shades by family colour: a chart has a few hundred.
var shadesOf sync.Map // string -> []labColour

// shades lists the candidate shades of a family colour ("#RRGGBB"): the
// points of a grid in the ellipsoid around it (see unitLightness), in sRGB
// gamut and in the lightness range, each rounded to the #RRGGBB it will be
// written as, in a fixed order (lightness, chroma, hue offsets ascending).
// The slice is shared: callers must not change it.
func shades(family string) []labColour {
	if v, ok := shadesOf.Load(family); ok {
		return v.([]labColour)
	}
	centre, err := colorful.Hex(family)
	if err != nil {
		centre = colorful.Color{R: 0.6, G: 0.6, B: 0.6}
	}
	l0, a0, b0 := centre.Lab()
	l0, a0, b0 = l0*100, a0*100, b0*100
	c0 := math.Hypot(a0, b0)
	// Unit vectors of chroma (away from grey) and hue in the a*b* plane.
	ca, cb := 1.0, 0.0
	if c0 > 1 {
		ca, cb = a0/c0, b0/c0
	}
	ha, hb := -cb, ca
	var out []labColour
	seen := map[string]bool{}
	n := func(r float64) int { return int(math.Floor(r / unitGrid)) }
	for i := -n(unitLightness); i <= n(unitLightness); i++ {
		for j := -n(unitChroma); j <= n(unitChroma); j++ {
			for k := -n(unitHue); k <= n(unitHue); k++ {
				dl, dc, dh := float64(i)*unitGrid, float64(j)*unitGrid, float64(k)*unitGrid
				if sq(dl/unitLightness)+sq(dc/unitChroma)+sq(dh/unitHue) > 1 {
					continue
				}
				l := l0 + dl
				if l < unitMinL || l > unitMaxL || c0+dc < 0 {
					continue
				}
				c := colorful.Lab(l/100, (a0+dc*ca+dh*ha)/100, (b0+dc*cb+dh*hb)/100)
				if !c.IsValid() {
					continue
				}
				h := c.Hex()
				if seen[h] {
					continue
				}
				seen[h] = true
				r, _ := colorful.Hex(h) // as written
				out = append(out, labOf(r))
			}
		}
	}
	if len(out) == 0 {
		out = append(out, labOf(centre))
	}
	v, _ := shadesOf.LoadOrStore(family, out)
	return v.([]labColour)
}

func sq(x float64) float64 { return x * x }
