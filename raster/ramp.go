package raster

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"
)

//go:embed ramps.json
var rampsJSON []byte

// DefaultRamp is the ramp a tile is rendered with when none is asked for.
const DefaultRamp = "viridis"

// Ramp maps values scaled to 0…1 onto colours, through 256 entries
// interpolated linearly (in sRGB) between its stops.
type Ramp struct {
	Name        string
	Description string
	lut         [256]color.NRGBA
	// stops, when set, are a custom ramp's values and colours: Value maps a
	// band value straight to its colour, exactly, without a stretch.
	stops []stop
}

// stop is one value of a custom ramp and its colour.
type stop struct {
	v float64
	c color.NRGBA
}

// Colour returns the ramp's colour at t, clamped to 0…1.
func (r *Ramp) Colour(t float64) color.NRGBA {
	switch {
	case !(t > 0): // also NaN
		return r.lut[0]
	case t >= 1:
		return r.lut[255]
	}
	return r.lut[int(t*255+0.5)]
}

var ramps = mustLoadRamps(rampsJSON)

// Ramps returns the names of the bundled ramps, sorted.
func Ramps() []string {
	names := make([]string, 0, len(ramps))
	for n := range ramps {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// RampByName returns the bundled ramp called name, or nil.
func RampByName(name string) *Ramp { return ramps[name] }

func mustLoadRamps(b []byte) map[string]*Ramp {
	var doc map[string]struct {
		Description string               `json:"description"`
		Stops       [][2]json.RawMessage `json:"stops"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		panic("raster: ramps.json: " + err.Error())
	}
	out := map[string]*Ramp{}
	for name, d := range doc {
		pos := make([]float64, len(d.Stops))
		cols := make([]color.NRGBA, len(d.Stops))
		for i, s := range d.Stops {
			var hex string
			if err := json.Unmarshal(s[0], &pos[i]); err != nil {
				panic(fmt.Sprintf("raster: ramps.json: %s stop %d: %v", name, i, err))
			}
			if err := json.Unmarshal(s[1], &hex); err != nil {
				panic(fmt.Sprintf("raster: ramps.json: %s stop %d: %v", name, i, err))
			}
			c, err := parseHex(hex)
			if err != nil {
				panic(fmt.Sprintf("raster: ramps.json: %s stop %d: %v", name, i, err))
			}
			cols[i] = c
		}
		if len(pos) < 2 || pos[0] != 0 || pos[len(pos)-1] != 1 || !slices.IsSorted(pos) {
			panic("raster: ramps.json: " + name + ": stops must ascend from 0 to 1")
		}
		r := &Ramp{Name: name, Description: d.Description}
		k := 0
		for i := range r.lut {
			t := float64(i) / 255
			for k < len(pos)-2 && t > pos[k+1] {
				k++
			}
			f := (t - pos[k]) / (pos[k+1] - pos[k])
			a, b := cols[k], cols[k+1]
			mix := func(x, y uint8) uint8 { return uint8(float64(x) + f*(float64(y)-float64(x)) + 0.5) }
			r.lut[i] = color.NRGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), 255}
		}
		out[name] = r
	}
	return out
}

// MaxStops is the most stops a custom ramp may have.
const MaxStops = 64

// ParseRamp reads a custom ramp: comma-separated stops value:rrggbb, values
// (in the band's units) ascending, at least two, e.g.
// "-600:0000ff,-300:ffffff,0:ff0000". A value between two stops is coloured
// by linear interpolation in sRGB; below the first or above the last, by
// that stop's colour. The error says what is wrong, for a 400.
func ParseRamp(s string) (*Ramp, error) {
	parts := strings.Split(s, ",")
	if len(parts) < 2 || len(parts) > MaxStops {
		return nil, fmt.Errorf("give 2 to %d stops value:rrggbb, comma-separated, e.g. -600:0000ff,0:ff0000", MaxStops)
	}
	r := &Ramp{Name: s, Description: "custom", stops: make([]stop, len(parts))}
	for i, p := range parts {
		a, b, ok := strings.Cut(p, ":")
		v, err := strconv.ParseFloat(a, 64)
		if !ok || err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("stop %q is not value:rrggbb", p)
		}
		c, err := parseHex("#" + b)
		if err != nil {
			return nil, fmt.Errorf("stop %q: colour %q is not rrggbb (six hex digits, no #)", p, b)
		}
		if i > 0 && v <= r.stops[i-1].v {
			return nil, fmt.Errorf("stop %q: values must ascend", p)
		}
		r.stops[i] = stop{v, c}
	}
	for i := range r.lut {
		r.lut[i] = r.Value(r.stops[0].v + float64(i)/255*(r.stops[len(r.stops)-1].v-r.stops[0].v))
	}
	return r, nil
}

// Custom reports whether the ramp is a custom one of values (ParseRamp),
// coloured by Value rather than through a stretch.
func (r *Ramp) Custom() bool { return r.stops != nil }

// Value returns a custom ramp's colour for the band value v (see
// ParseRamp). On a bundled ramp it is Colour(v).
func (r *Ramp) Value(v float64) color.NRGBA {
	st := r.stops
	if st == nil {
		return r.Colour(v)
	}
	if !(v > st[0].v) {
		return st[0].c
	}
	if v >= st[len(st)-1].v {
		return st[len(st)-1].c
	}
	k, _ := slices.BinarySearchFunc(st, v, func(s stop, v float64) int {
		if s.v < v {
			return -1
		}
		if s.v > v {
			return 1
		}
		return 0
	})
	// st[k-1].v < v <= st[k].v
	a, b := st[k-1], st[k]
	f := (v - a.v) / (b.v - a.v)
	mix := func(x, y uint8) uint8 { return uint8(float64(x) + f*(float64(y)-float64(x)) + 0.5) }
	return color.NRGBA{mix(a.c.R, b.c.R), mix(a.c.G, b.c.G), mix(a.c.B, b.c.B), 255}
}

func parseHex(s string) (color.NRGBA, error) {
	h, ok := strings.CutPrefix(s, "#")
	if !ok || len(h) != 6 {
		return color.NRGBA{}, fmt.Errorf("colour %q is not #rrggbb", s)
	}
	v, err := strconv.ParseUint(h, 16, 32)
	if err != nil {
		return color.NRGBA{}, fmt.Errorf("colour %q is not #rrggbb", s)
	}
	return color.NRGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 255}, nil
}
