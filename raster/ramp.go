package raster

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"image/color"
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
