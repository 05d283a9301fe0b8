package styles

import (
	"fmt"
	"math"
	"strconv"
)

// rgb is a colour in 8-bit sRGB channels.
type rgb [3]uint8

// parseHex reads "#RRGGBB", the one colour form that MapLibre, QGIS's style
// converter and CSS all read identically.
func parseHex(s string) (rgb, error) {
	if len(s) != 7 || s[0] != '#' {
		return rgb{}, fmt.Errorf("colour %q is not #RRGGBB", s)
	}
	v, err := strconv.ParseUint(s[1:], 16, 32)
	if err != nil {
		return rgb{}, fmt.Errorf("colour %q is not #RRGGBB", s)
	}
	return rgb{uint8(v >> 16), uint8(v >> 8), uint8(v)}, nil
}

// hex writes the colour as "#RRGGBB", upper case like the ICS chart's.
func (c rgb) hex() string {
	return fmt.Sprintf("#%02X%02X%02X", c[0], c[1], c[2])
}

// darker mixes the colour with black by the fraction f, which keeps its hue:
// the outline of a Permian unit stays a Permian red, only deeper.
func darker(hex string, f float64) string {
	c, err := parseHex(hex)
	if err != nil {
		return hex
	}
	for i := range c {
		c[i] = uint8(math.Round(float64(c[i]) * (1 - f)))
	}
	return c.hex()
}
