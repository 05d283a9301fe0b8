// Command wmscheck compares two renderings of the same map for
// bench/wms.sh, so that a speed comparison is one of equal maps: inside
// every unit of a legend, the two must paint the unit's colour.
//
//	wmscheck -legend LEGEND.json [-radius PIXELS] [-min PIXELS] A.png B.png
//
// LEGEND.json is an Outcrop legend (/collections/{id}/legend?f=json); its
// fill entries name the units and their colours. A pixel is inside a unit
// in an image when it and every pixel within -radius of it (a square)
// hold that unit's colour exactly: away from outlines, antialiasing and
// lines drawn over the units. For each unit, the pixels inside it in
// either image are counted, and those where the other image holds the same
// colour (each channel within 2 levels) agree. It prints one line a unit
// and the totals, and exits 1 when a unit with at least -min such pixels
// agrees on fewer than 98 % of them, when the units agree on fewer than
// 99 % of all, or when the images differ in size or hold no unit at all.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"slices"
	"strconv"
	"strings"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "wmscheck:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("wmscheck", flag.ContinueOnError)
	legendPath := fs.String("legend", "", "an Outcrop legend (JSON) naming the units and their colours")
	radius := fs.Int("radius", 3, "pixels around a pixel that must hold its unit's colour for it to count as inside the unit")
	minPixels := fs.Int("min", 200, "units with fewer pixels inside them are reported but not judged")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *legendPath == "" || fs.NArg() != 2 {
		return errors.New("usage: wmscheck -legend LEGEND.json A.png B.png")
	}
	units, err := readLegend(*legendPath)
	if err != nil {
		return err
	}
	var imgs [2]image.Image
	for i, path := range fs.Args() {
		if imgs[i], err = readPNG(path); err != nil {
			return err
		}
	}
	tally, err := compare(imgs[0], imgs[1], units, *radius)
	if err != nil {
		return err
	}
	return report(tally, fs.Arg(0), fs.Arg(1), *minPixels)
}

// unit is a legend entry drawn as an area.
type unit struct {
	label  string
	colour [3]uint8
}

// readLegend reads the fill entries of an Outcrop legend.
func readLegend(path string) ([]unit, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var leg struct {
		Symbol  string `json:"symbol"`
		Entries []struct {
			Label, Colour, Symbol string
		} `json:"entries"`
	}
	if err := json.Unmarshal(b, &leg); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	var out []unit
	for _, e := range leg.Entries {
		if e.Symbol == "" {
			e.Symbol = leg.Symbol
		}
		if e.Symbol != "fill" {
			continue
		}
		c, err := parseHex(e.Colour)
		if err != nil {
			return nil, fmt.Errorf("%s: entry %q: %v", path, e.Label, err)
		}
		out = append(out, unit{e.Label, c})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s has no fill entries: give the legend of a style that draws areas", path)
	}
	return out, nil
}

func parseHex(s string) ([3]uint8, error) {
	v, err := strconv.ParseUint(strings.TrimPrefix(s, "#"), 16, 32)
	if err != nil || len(s) != 7 || s[0] != '#' {
		return [3]uint8{}, fmt.Errorf("colour %q is not #RRGGBB", s)
	}
	return [3]uint8{uint8(v >> 16), uint8(v >> 8), uint8(v)}, nil
}

func readPNG(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return img, nil
}

// count is a unit's pixels inside it in one image, and those of them the
// other image agrees on.
type count struct{ inside, agree int }

// tally is the comparison of two images, per unit.
type tally struct {
	units []unit
	a, b  []count // inside the unit in image a (checked in b), and in b
}

// compare counts, for each unit, its inside pixels in each image and the
// other image's agreement there.
func compare(a, b image.Image, units []unit, radius int) (tally, error) {
	if a.Bounds().Size() != b.Bounds().Size() {
		return tally{}, fmt.Errorf("the images differ in size: %v and %v", a.Bounds().Size(), b.Bounds().Size())
	}
	pa, pb := pixels(a), pixels(b)
	t := tally{units: units, a: make([]count, len(units)), b: make([]count, len(units))}
	for i, u := range units {
		t.a[i] = agreement(pa, pb, u.colour, radius)
		t.b[i] = agreement(pb, pa, u.colour, radius)
	}
	return t, nil
}

// raster is an image's RGB values, row by row.
type raster struct {
	w, h int
	rgb  [][3]uint8
}

func pixels(img image.Image) raster {
	b := img.Bounds()
	r := raster{w: b.Dx(), h: b.Dy(), rgb: make([][3]uint8, b.Dx()*b.Dy())}
	for y := range r.h {
		for x := range r.w {
			cr, cg, cb, _ := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
			r.rgb[y*r.w+x] = [3]uint8{uint8(cr >> 8), uint8(cg >> 8), uint8(cb >> 8)}
		}
	}
	return r
}

// agreement counts the pixels inside colour's unit in p, and those where q
// holds the colour too.
func agreement(p, q raster, colour [3]uint8, radius int) count {
	var c count
	for y := radius; y < p.h-radius; y++ {
		for x := radius; x < p.w-radius; x++ {
			if p.rgb[y*p.w+x] != colour || !uniform(p, x, y, radius) {
				continue
			}
			c.inside++
			if near(q.rgb[y*q.w+x], colour) {
				c.agree++
			}
		}
	}
	return c
}

func uniform(p raster, x, y, radius int) bool {
	want := p.rgb[y*p.w+x]
	for j := y - radius; j <= y+radius; j++ {
		for i := x - radius; i <= x+radius; i++ {
			if p.rgb[j*p.w+i] != want {
				return false
			}
		}
	}
	return true
}

func near(a, b [3]uint8) bool {
	for i := range a {
		if d := int(a[i]) - int(b[i]); d < -2 || d > 2 {
			return false
		}
	}
	return true
}

// report prints a line a unit, largest first, and the totals, and says
// whether the images agree.
func report(t tally, nameA, nameB string, minPixels int) error {
	order := make([]int, len(t.units))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(i, j int) int { return (t.a[j].inside + t.b[j].inside) - (t.a[i].inside + t.b[i].inside) })
	pct := func(c count) float64 {
		if c.inside == 0 {
			return 100
		}
		return 100 * float64(c.agree) / float64(c.inside)
	}
	fmt.Printf("%-52s %8s %9s %8s %9s\n", "unit (colour)", "A px", "B agrees", "B px", "A agrees")
	var all count
	var bad []string
	for _, i := range order {
		u, ca, cb := t.units[i], t.a[i], t.b[i]
		if ca.inside+cb.inside == 0 {
			continue
		}
		label := fmt.Sprintf("%s (#%02X%02X%02X)", u.label, u.colour[0], u.colour[1], u.colour[2])
		if len(label) > 52 {
			label = label[:49] + "..."
		}
		fmt.Printf("%-52s %8d %8.1f%% %8d %8.1f%%\n", label, ca.inside, pct(ca), cb.inside, pct(cb))
		for _, c := range []count{ca, cb} {
			all.inside += c.inside
			all.agree += c.agree
		}
		if ca.inside+cb.inside >= minPixels && (pct(ca) < 98 || pct(cb) < 98) {
			bad = append(bad, u.label)
		}
	}
	fmt.Printf("inside units, both ways: %d pixels, %.2f %% agree (A = %s, B = %s)\n", all.inside, pct(all), nameA, nameB)
	switch {
	case all.inside == 0:
		return errors.New("no pixel inside any unit of the legend in either image: not the same map")
	case len(bad) > 0:
		return fmt.Errorf("%d units agree on fewer than 98 %% of their pixels: %s", len(bad), strings.Join(bad, "; "))
	case pct(all) < 99:
		return fmt.Errorf("the units agree on %.2f %% of their pixels, fewer than 99 %%", pct(all))
	}
	return nil
}
